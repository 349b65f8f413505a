/**
 * One browser run: the room tab opened in a launched context, its push frames and im/fetch
 * answers captured, kept cheap (media muted and paused, images and the video stream blocked)
 * and alive (a small input every minute, a reload when traffic stalls). It ends when the signal
 * aborts or the browser goes away (crash, killed process, closed tab); the source relaunches.
 */
import type { BrowserContext, Page, Response, Route, WebSocket } from 'playwright-core';
import type { Clock, TimerHandle } from '../../src/core/clock.js';
import type { Logger } from '../../src/core/logger.js';
import { parseGiftList, type GiftTable } from '../douyin/gift-table.js';
import type { DouyinBrowserSourceConfig } from './config.js';
import { QUIET_MEDIA_SCRIPT } from './page-scripts.js';

/** Why a browser run ended. */
export type TabEnd = { kind: 'aborted' } | { kind: 'crashed'; reason: string };

/** What the tab reports to its source. */
export interface TabListener {
  /** The page opened its push WebSocket (`roomId` from its `room_id` query, if any). */
  pushOpened(roomId: string | undefined): void;
  /** A push frame (binary) or an im/fetch body arrived. */
  pushFrame(bytes: Buffer): void;
  fetchBody(bytes: Buffer): void;
  /** A text frame on the push socket (not Douyin's protocol). */
  textFrame(text: string): void;
  /** The page is about to be reloaded because nothing arrived for `idleMs`. */
  reloading(idleMs: number): void;
  /** The room page itself answered with a refusal or failed to load. */
  pageProblem(state: 'blocked' | 'error', reason: string): void;
  /** The page loaded (once per run): a chance to look at cookies. */
  loaded(context: BrowserContext): void;
}

/** One tab run's browser context, room page, capture settings and injected clock, logger and listener. */
export interface TabOptions {
  context: BrowserContext;
  roomUrl: string;
  config: Pick<
    DouyinBrowserSourceConfig,
    | 'urls'
    | 'block_resource_types'
    | 'block_url_patterns'
    | 'stall_ms'
    | 'blocked_retry_ms'
    | 'keepalive_ms'
    | 'navigation_timeout_ms'
    | 'user_agent'
    | 'headless'
  >;
  clock: Clock;
  logger: Logger;
  giftTable: GiftTable;
  listener: TabListener;
}

const BROWSER_GONE = 'the browser or its room tab went away (killed, crashed or closed)';
const REFUSED_STATUS = new Set([403, 429]);
const CAPTCHA_URL = /captcha|verify(center)?\./i;

/** The `room_id` query parameter of a push URL, when it is a digit string. */
export function roomIdFromPushUrl(url: string): string | undefined {
  try {
    const id = new URL(url).searchParams.get('room_id');
    return id && /^\d{1,20}$/.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

/** Headless Chromium says "HeadlessChrome" in its User-Agent; Douyin need not know. */
async function maskHeadless(context: BrowserContext, page: Page): Promise<void> {
  const ua = await page.evaluate('navigator.userAgent');
  if (typeof ua !== 'string' || !ua.includes('HeadlessChrome/')) return;
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.setUserAgentOverride', { userAgent: ua.replace('HeadlessChrome/', 'Chrome/') });
}

/** Runs the tab until the signal aborts or the browser goes away. */
export async function runTab(o: TabOptions, signal: AbortSignal): Promise<{ end: TabEnd; traffic: number }> {
  const { context, config, clock, listener } = o;
  const logger = o.logger;
  let traffic = 0;
  let done = false;
  let lastTrafficAt = clock.now();
  let watchdogTimer: TimerHandle | undefined;
  let keepaliveTimer: TimerHandle | undefined;
  let keepaliveCount = 0;
  let refused = false;
  let resolveEnd!: (end: TabEnd) => void;
  const ended = new Promise<TabEnd>((resolve) => (resolveEnd = resolve));

  const finish = (end: TabEnd) => {
    if (done) return;
    done = true;
    if (watchdogTimer) clock.clearTimeout(watchdogTimer);
    if (keepaliveTimer) clock.clearTimeout(keepaliveTimer);
    signal.removeEventListener('abort', onAbort);
    resolveEnd(end);
  };
  const onAbort = () => finish({ kind: 'aborted' });
  if (signal.aborted) return { end: { kind: 'aborted' }, traffic };
  signal.addEventListener('abort', onAbort, { once: true });
  context.once('close', () => finish({ kind: 'crashed', reason: BROWSER_GONE }));

  const seen = () => {
    traffic += 1;
    lastTrafficAt = clock.now();
  };
  const onSocket = (ws: WebSocket) => {
    if (!ws.url().includes(config.urls.push_pattern)) return;
    logger.debug('push socket opened by the page', { url: ws.url().split('?')[0] });
    listener.pushOpened(roomIdFromPushUrl(ws.url()));
    ws.on('framereceived', ({ payload }) => {
      if (done) return;
      seen();
      if (typeof payload === 'string') listener.textFrame(payload);
      else listener.pushFrame(payload);
    });
    // Query strings (msToken, signature) stay out of the log.
    ws.on('socketerror', (error) =>
      logger.warn('the page push socket failed', { error: String(error).replace(/\?\S*/g, '?…').slice(0, 200) }),
    );
  };
  const onResponse = (response: Response) => {
    const url = response.url();
    if (url.includes(config.urls.fetch_pattern)) void captureFetch(response);
    else if (url.includes(config.urls.gift_list_pattern)) void captureGiftList(response);
  };
  const captureFetch = async (response: Response) => {
    if (!response.ok()) {
      logger.debug('im/fetch answered an error', { status: response.status() });
      return;
    }
    let body: Buffer;
    try {
      body = await response.body();
    } catch {
      return; // the page navigated away before the body was read
    }
    if (done) return;
    seen();
    listener.fetchBody(body);
  };
  const captureGiftList = async (response: Response) => {
    try {
      const gifts = parseGiftList(await response.json());
      if (gifts.size > 0) o.giftTable.replace(gifts);
      logger.debug('gift list captured from the page', { gifts: gifts.size });
    } catch (err) {
      logger.debug('gift list not readable', { error: err instanceof Error ? err.message : String(err) });
    }
  };
  const blockTypes = new Set(config.block_resource_types);
  const block = (route: Route) => {
    const request = route.request();
    const url = request.url();
    const blocked = blockTypes.has(request.resourceType()) || config.block_url_patterns.some((p) => url.includes(p));
    return (blocked ? route.abort('blockedbyclient') : route.continue()).catch(() => undefined);
  };

  const navigate = async (): Promise<void> => {
    refused = false;
    try {
      const response = await page.goto(o.roomUrl, { waitUntil: 'domcontentloaded', timeout: config.navigation_timeout_ms });
      if (done) return;
      const status = response?.status() ?? 0;
      const captcha = page.frames().some((f) => CAPTCHA_URL.test(f.url()));
      // Reloading a refused page every stall_ms would only prolong the refusal.
      refused = REFUSED_STATUS.has(status) || captcha;
      if (refused)
        listener.pageProblem('blocked', captcha ? 'the room page shows a captcha (risk control)' : `the room page answered HTTP ${status}`);
      else if (status >= 400) listener.pageProblem('error', `the room page answered HTTP ${status}`);
    } catch (err) {
      if (!done)
        listener.pageProblem('error', `the room page did not load: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    }
  };
  const watchdog = () => {
    if (done) return;
    const idle = clock.now() - lastTrafficAt;
    const limit = refused ? config.blocked_retry_ms : config.stall_ms;
    if (idle < limit) {
      watchdogTimer = clock.setTimeout(watchdog, limit - idle);
      return;
    }
    listener.reloading(idle);
    lastTrafficAt = clock.now();
    watchdogTimer = clock.setTimeout(watchdog, config.stall_ms);
    void navigate();
  };
  const keepalive = () => {
    if (done) return;
    keepaliveCount += 1;
    const x = 40 + (keepaliveCount % 2) * 7;
    void page.mouse
      .move(x, 40)
      .then(() => page.keyboard.press('Shift'))
      .catch((err: unknown) => logger.debug('keepalive input failed', { error: err instanceof Error ? err.message : String(err) }));
    keepaliveTimer = clock.setTimeout(keepalive, config.keepalive_ms);
  };

  let page: Page;
  try {
    page = context.pages()[0] ?? (await context.newPage());
    page.once('crash', () => finish({ kind: 'crashed', reason: 'the room tab crashed' }));
    // A dying browser closes its pages before the context reports it: one reason for both.
    page.once('close', () => finish({ kind: 'crashed', reason: BROWSER_GONE }));
    await context.addInitScript(QUIET_MEDIA_SCRIPT);
    await page.route('**/*', block);
    if (config.headless && !config.user_agent) await maskHeadless(context, page);
    page.on('websocket', onSocket);
    page.on('response', onResponse);
  } catch (err) {
    finish({
      kind: 'crashed',
      reason: `the tab could not be prepared: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`,
    });
    return { end: await ended, traffic };
  }
  if (!done) {
    lastTrafficAt = clock.now();
    watchdogTimer = clock.setTimeout(watchdog, config.stall_ms);
    keepaliveTimer = clock.setTimeout(keepalive, config.keepalive_ms);
    await navigate();
    if (!done) listener.loaded(context);
  }
  return { end: await ended, traffic };
}
