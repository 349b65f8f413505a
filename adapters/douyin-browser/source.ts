/**
 * The douyin-browser Source: launch Chromium on a persistent profile, run the room tab, decode
 * what it captures with the Douyin adapter's codec and mapping, and relaunch with full-jitter
 * backoff whenever the browser goes away. playwright-core is loaded only inside start().
 */
import { EventEmitter } from 'node:events';
import type { BrowserContext } from 'playwright-core';
import { fullJitterBackoff, pause, type Clock } from '../../src/core/clock.js';
import type { Logger } from '../../src/core/logger.js';
import type { Source, SourceDeps, SourceEvents, SourceState } from '../../src/core/source.js';
import { DiscardReporter } from '../common/discard.js';
import { GiftTable } from '../douyin/gift-table.js';
import { webRidFrom } from '../douyin/page-state.js';
import { CaptureDecoder, type CaptureResult } from './capture.js';
import { DOUYIN_BROWSER_DEFAULTS, type DouyinBrowserSourceConfig } from './config.js';
import { findExecutable, launchContext, loadPlaywright, runningAsRoot, type PlaywrightModule } from './launch.js';
import { hasLogin, loginCookies, profileDirFor, writeLoginMarker } from './profile.js';
import { runTab, type TabListener } from './tab.js';
import { sourceIdentity } from '../kit/plugin.js';
import { douyinBrowserPlugin } from './plugin.js';

/** What the browser source takes besides SourceDeps. */
export interface DouyinBrowserSourceDeps extends SourceDeps {
  /** Randomness for relaunch backoff (tests pin it). */
  random?: () => number;
  /** Loads playwright-core (the lazy boundary; tests may observe it). */
  loadPlaywright?: () => Promise<PlaywrightModule>;
  /** Whether the process runs as root (decides the sandbox default). */
  isRoot?: boolean;
}

/** Follows one Douyin room through a browser tab. */
export class DouyinBrowserSource extends EventEmitter<SourceEvents> implements Source {
  readonly name: string;
  readonly platform = 'douyin-browser';
  /** The persistent profile directory this source launches Chromium on. */
  readonly profileDir: string;
  readonly #config: DouyinBrowserSourceConfig;
  readonly #deps: DouyinBrowserSourceDeps;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #roomUrl: string;
  readonly #giftTable: GiftTable;
  readonly #decoder: CaptureDecoder;
  #state: SourceState['state'] | undefined;
  #warnedAnonymous = false;

  constructor(config: DouyinBrowserSourceConfig, deps: DouyinBrowserSourceDeps) {
    super();
    const webRid = webRidFrom(config.room);
    if (!webRid) throw new TypeError(`douyin-browser: room "${config.room}" is neither a web_rid nor a live.douyin.com URL`);
    this.#config = config;
    this.#deps = deps;
    this.#clock = deps.clock;
    this.name = sourceIdentity(douyinBrowserPlugin, config).name;
    this.profileDir = profileDirFor(config, deps.stateDir, this.name);
    this.#roomUrl = config.urls.room_page.replaceAll('{web_rid}', webRid);
    this.#logger = deps.logger.child({ component: 'source', platform: 'douyin-browser', room: webRid });
    this.#giftTable = new GiftTable(config.gift_names);
    const discards = new DiscardReporter({
      platform: 'douyin',
      emit: (d) => this.emit('discard', d),
      logger: this.#logger,
      clock: this.#clock,
    });
    this.#decoder = new CaptureDecoder({
      ctx: { source: this.name, giftTable: this.#giftTable, now: () => this.#clock.now() },
      discards,
      dedupeSize: config.dedupe_size,
    });
  }

  #setState(state: SourceState): void {
    this.#state = state.state;
    this.emit('state', state);
  }

  async start(signal: AbortSignal): Promise<void> {
    const random = this.#deps.random ?? Math.random;
    let reason = 'initial';
    let attempt = 0;
    while (!signal.aborted) {
      this.emit('reconnect', { reason });
      this.#setState({ state: 'connecting', reason });
      let context: BrowserContext;
      try {
        context = await this.#launch();
      } catch (err) {
        const e = err as Error & { code?: string };
        this.#logger.error('cannot start the browser', { error: e.message, code: e.code });
        this.#setState({ state: 'error', reason: e.message, code: e.code });
        reason = 'launch-failed';
        if (
          !(await pause(
            this.#clock,
            fullJitterBackoff(attempt++, this.#config.relaunch_base_ms, this.#config.relaunch_max_ms, random),
            signal,
          ))
        )
          return;
        continue;
      }
      const { end, traffic } = await runTab(
        {
          context,
          roomUrl: this.#roomUrl,
          config: this.#config,
          clock: this.#clock,
          logger: this.#logger,
          giftTable: this.#giftTable,
          listener: this.#listener(),
        },
        signal,
      );
      await context.close().catch(() => undefined);
      if (end.kind === 'aborted') return;
      if (traffic > 0) attempt = 0;
      const delay = fullJitterBackoff(attempt++, this.#config.relaunch_base_ms, this.#config.relaunch_max_ms, random);
      this.#logger.warn('browser lost; relaunching', { reason: end.reason, delayMs: delay });
      this.#setState({ state: 'error', reason: end.reason, code: 'browser_crashed' });
      reason = 'crash';
      if (!(await pause(this.#clock, delay, signal))) return;
    }
  }

  async #launch(): Promise<BrowserContext> {
    const executablePath = findExecutable(this.#config.executable_path);
    const sandbox = this.#config.sandbox ?? !(this.#deps.isRoot ?? runningAsRoot());
    this.#logger.info('starting the browser', { executable: executablePath, profile: this.profileDir, headless: this.#config.headless });
    return launchContext(
      {
        executablePath,
        profileDir: this.profileDir,
        headless: this.#config.headless,
        sandbox,
        userAgent: this.#config.user_agent,
        extraArgs: this.#config.extra_args,
        timeoutMs: this.#config.launch_timeout_ms,
        viewport: DOUYIN_BROWSER_DEFAULTS.viewport,
      },
      this.#deps.loadPlaywright ?? loadPlaywright,
    );
  }

  #deliver(result: CaptureResult): void {
    if (result.events.length > 0 && this.#state !== 'live' && this.#state !== 'ended') this.#setState({ state: 'live' });
    for (const event of result.events) this.emit('event', event);
    if (result.liveEnded && this.#state !== 'ended') {
      this.#logger.info('broadcast ended');
      this.#setState({ state: 'ended', reason: 'the broadcast ended (ControlMessage action 3)' });
    }
  }

  #listener(): TabListener {
    return {
      pushOpened: (roomId) => {
        if (this.#state !== 'live') this.#setState(roomId ? { state: 'live', roomId } : { state: 'live' });
      },
      pushFrame: (bytes) => this.#deliver(this.#decoder.pushFrame(bytes)),
      fetchBody: (bytes) => this.#deliver(this.#decoder.fetchBody(bytes)),
      textFrame: (text) => {
        this.emit('discard', { reason: 'text_frame', count: 1 });
        this.#logger.debug('text frame on the push socket', { bytes: text.length });
      },
      reloading: (idleMs) => {
        const ended = this.#state === 'ended';
        this.#logger.info(ended ? 'reloading the ended room to catch the next broadcast' : 'no push traffic; reloading the room page', {
          idleMs,
        });
        this.emit('reconnect', { reason: ended ? 'new-broadcast' : 'stall' });
        if (!ended) this.#setState({ state: 'connecting', reason: `no push traffic for ${idleMs} ms; reloading the page` });
      },
      pageProblem: (state, reason) => {
        this.#logger.warn('room page problem', { state, reason });
        this.#setState({ state, reason });
      },
      loaded: (context) => void this.#checkLogin(context),
    };
  }

  /** Records whether the profile is logged in (for `check`) and warns once when it is not. */
  async #checkLogin(context: BrowserContext): Promise<void> {
    try {
      const cookies = loginCookies(await context.cookies());
      await writeLoginMarker(this.profileDir, 'source', cookies, this.#clock.now());
      if (!hasLogin(cookies, this.#clock.now()) && !this.#warnedAnonymous) {
        this.#warnedAnonymous = true;
        this.#logger.warn(
          `browser profile has no Douyin login: gifts are withheld and nicknames masked; run live-bridge login douyin --profile ${this.profileDir}`,
        );
      }
    } catch (err) {
      this.#logger.debug('could not read the profile cookies', { error: err instanceof Error ? err.message : String(err) });
    }
  }
}
