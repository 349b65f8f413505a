/**
 * Kuaishou's web API as the room needs it: the room page, websocketinfo (token and socket URLs),
 * livedetail (fallback and offline check), allgifts (names) and the room's gift-list (prices).
 * Every call carries the logged-in cookie, the room as Referer and `Kww` (the kwfv1 cookie), and
 * waits for its turn on the pacer. `data.result` becomes an answer: 1 ok, 671/677 not live,
 * 2 (too fast) and 400002 (captcha) refused with what the operator should do.
 */
import { BridgeError } from '../../src/core/errors.js';
import { CookieHttpClient, type HttpAnswer, type HttpDeps } from '../common/http.js';
import type { KuaishouSourceConfig } from './config.js';
import { readRoomPage, type PageAnswer } from './page.js';
import type { Pacer } from './pacer.js';
import type { WsInfoSigner } from './signer.js';

/** A call failed for a reason other than a refusal: transport, HTTP status, an unreadable body, an unknown result. */
export class KuaishouApiError extends BridgeError {
  constructor(what: string, detail: string) {
    super('kuaishou_api', `kuaishou: ${what} ${detail}`);
  }
}

/** Where a socket session goes. */
export interface SocketTicket {
  liveStreamId: string;
  token: string;
  urls: string[];
}

/** What websocketinfo or livedetail said. */
export type StreamAnswer =
  | ({ kind: 'live'; title: string } & SocketTicket)
  | { kind: 'offline'; reason: string }
  | { kind: 'blocked'; result: number; reason: string };

/** The result codes of `data.result`. */
export const RESULT = { ok: 1, tooFast: 2, captcha: 400002, notLive: [671, 677] } as const;

const MESSAGE_CHARS = 160;

type Json = Record<string, unknown>;

function record(value: unknown): Json | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' && Number.isFinite(value) ? String(value) : '';
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && /^wss?:\/\//.test(v)) : [];
}

/** The platform's own words in a refusal (error_msg, message), cut short. */
function platformMessage(body: Json, data: Json | undefined): string {
  for (const v of [data?.error_msg, data?.message, body.error_msg, body.message]) {
    const t = text(v).trim();
    if (t) return t.length > MESSAGE_CHARS ? `${t.slice(0, MESSAGE_CHARS)}…` : t;
  }
  return '';
}

/** The operator-facing reason of a refusal: what Kuaishou said and what to do about it. */
export function refusalReason(result: number, said: string, roomUrl: string): string {
  const quoted = said ? `: "${said}"` : '';
  if (result === RESULT.captcha)
    return (
      `kuaishou asks for a slider captcha (result 400002${quoted}); open ${roomUrl} in a browser logged in with the same account, ` +
      'pass the slider, then copy the fresh Cookie header into the config; retrying in 5 minutes or more'
    );
  if (result === RESULT.tooFast)
    return (
      `kuaishou refused the request as too fast (result 2${quoted}); retrying in 5 minutes or more; if it persists, ` +
      'raise api_min_interval_ms or run fewer rooms from this IP, and refresh the cookie'
    );
  return `kuaishou refused the request (result ${result}${quoted}); retrying in 5 minutes or more`;
}

/** Reads `{data: {result, ...}}`; a refusal or not-live result becomes an answer, other results throw. */
function classify(what: string, body: Json, roomUrl: string): { data: Json } | Exclude<StreamAnswer, { kind: 'live' }> {
  const data = record(body.data);
  if (!data) throw new KuaishouApiError(what, 'answered without data');
  const result = typeof data.result === 'number' ? data.result : RESULT.ok;
  if (result === RESULT.tooFast || result === RESULT.captcha)
    return { kind: 'blocked', result, reason: refusalReason(result, platformMessage(body, data), roomUrl) };
  if ((RESULT.notLive as readonly number[]).includes(result))
    return { kind: 'offline', reason: `the streamer is not live (result ${result})` };
  if (result !== RESULT.ok) throw new KuaishouApiError(what, `answered result ${result}`);
  return { data };
}

/** One source's client for Kuaishou's web API. */
export class KuaishouApi extends CookieHttpClient {
  readonly #config: KuaishouSourceConfig;
  readonly #principalId: string;
  readonly #pacer: Pacer;
  readonly #signer: WsInfoSigner;

  constructor(options: { config: KuaishouSourceConfig; principalId: string; pacer: Pacer; signer: WsInfoSigner }, http: HttpDeps = {}) {
    super({ userAgent: options.config.user_agent, cookie: options.config.cookie, timeoutMs: options.config.request_timeout_ms }, http);
    this.#config = options.config;
    this.#principalId = options.principalId;
    this.#pacer = options.pacer;
    this.#signer = options.signer;
  }

  /** The room page URL, also the Referer of every call. */
  get roomUrl(): string {
    return `${this.#config.urls.live_page}${encodeURIComponent(this.#principalId)}`;
  }

  /** The Kww header: the kwfv1 cookie (the web client sends it; absent when the cookie lacks it). */
  get kww(): string | undefined {
    return this.cookie('kwfv1');
  }

  /** One request; the caller has taken its turn on the pacer first (before signing, so turns keep call order). */
  async #get(url: string, what: string, accept: string, signal: AbortSignal): Promise<HttpAnswer> {
    const headers: Record<string, string> = {
      'user-agent': this.userAgent,
      accept,
      'accept-language': 'zh-CN,zh;q=0.9',
      referer: this.roomUrl,
    };
    const kww = this.kww;
    if (kww) headers.kww = kww;
    const answer = await this.send(
      url,
      { headers, signal },
      (err) => new KuaishouApiError(what, `failed: ${err instanceof Error ? err.message : String(err)}`),
    );
    if (answer.status !== 200) throw new KuaishouApiError(what, `answered HTTP ${answer.status}`);
    return answer;
  }

  async #json(url: string, what: string, signal: AbortSignal): Promise<Json> {
    const answer = await this.#get(url, what, 'application/json, text/plain, */*', signal);
    let body: unknown;
    try {
      body = JSON.parse(answer.text());
    } catch {
      throw new KuaishouApiError(what, 'answered something that is not JSON');
    }
    const r = record(body);
    if (!r) throw new KuaishouApiError(what, 'answered JSON that is not an object');
    return r;
  }

  /** The room page's view of the anchor; undefined when the page holds no usable playList. */
  async roomPage(signal: AbortSignal): Promise<PageAnswer | undefined> {
    await this.#pacer.turn(signal);
    const answer = await this.#get(this.roomUrl, 'room page', 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8', signal);
    return readRoomPage(answer.text(), this.#principalId);
  }

  /** websocketinfo for a live stream: its token and socket URLs. */
  async websocketInfo(liveStreamId: string, title: string, signal: AbortSignal): Promise<StreamAnswer> {
    await this.#pacer.turn(signal);
    const url = new URL(this.#config.urls.websocket_info);
    url.searchParams.set('caver', this.#config.caver);
    url.searchParams.set('liveStreamId', liveStreamId);
    const signature = await this.#signer.sign({ url: url.toString(), principalId: this.#principalId, liveStreamId }, signal);
    if (signature) {
      if (signature.caver) url.searchParams.set('caver', signature.caver);
      url.searchParams.set('__NS_hxfalcon', signature.hxfalcon);
    }
    const body = await this.#json(url.toString(), 'websocketinfo', signal);
    const c = classify('websocketinfo', body, this.roomUrl);
    if (!('data' in c)) return c;
    const token = text(c.data.token);
    const urls = [...strings(c.data.websocketUrls), ...strings(c.data.webSocketAddresses)];
    if (!token || urls.length === 0) throw new KuaishouApiError('websocketinfo', 'answered without a token or socket URLs');
    return { kind: 'live', liveStreamId, token, urls, title };
  }

  /** livedetail: the current broadcast with its socket ticket, or why there is none. */
  async liveDetail(signal: AbortSignal): Promise<StreamAnswer> {
    await this.#pacer.turn(signal);
    const url = new URL(this.#config.urls.live_detail);
    url.searchParams.set('principalId', this.#principalId);
    const body = await this.#json(url.toString(), 'livedetail', signal);
    const c = classify('livedetail', body, this.roomUrl);
    if (!('data' in c)) return c;
    const stream = record(c.data.liveStream);
    const liveStreamId = text(stream?.id);
    if (!liveStreamId || stream?.isLiving === false) return { kind: 'offline', reason: 'the streamer is not live (livedetail)' };
    const info = record(c.data.websocketInfo);
    const token = text(info?.token);
    // Sources disagree on the key: accept both.
    const urls = [...strings(info?.webSocketAddresses), ...strings(info?.websocketUrls)];
    const title = text(stream?.caption) || text(record(c.data.author)?.name);
    // A live stream without a ticket (token '' and no URLs) still tells whether the room is live.
    return token && urls.length > 0
      ? { kind: 'live', liveStreamId, token, urls, title }
      : { kind: 'live', liveStreamId, token: '', urls: [], title };
  }

  /** allgifts: gift id → name. */
  async allGifts(signal: AbortSignal): Promise<Map<string, string>> {
    await this.#pacer.turn(signal);
    const body = await this.#json(this.#config.urls.all_gifts, 'allgifts', signal);
    const c = classify('allgifts', body, this.roomUrl);
    if (!('data' in c)) throw new KuaishouApiError('allgifts', c.kind === 'blocked' ? `refused (result ${c.result})` : 'answered not live');
    const names = new Map<string, string>();
    for (const [id, entry] of Object.entries(c.data)) {
      const name = text(record(entry)?.giftName);
      if (/^\d{1,12}$/.test(id) && name) names.set(id, name);
    }
    return names;
  }

  /** The room's gift-list: gift id → unitPrice. */
  async giftPrices(liveStreamId: string, signal: AbortSignal): Promise<Map<string, number>> {
    await this.#pacer.turn(signal);
    const url = new URL(this.#config.urls.gift_list);
    url.searchParams.set('liveStreamId', liveStreamId);
    const body = await this.#json(url.toString(), 'gift-list', signal);
    const c = classify('gift-list', body, this.roomUrl);
    if (!('data' in c))
      throw new KuaishouApiError('gift-list', c.kind === 'blocked' ? `refused (result ${c.result})` : 'answered not live');
    const prices = new Map<string, number>();
    const list = [c.data.gifts, c.data.giftList, c.data.list].find(Array.isArray) as unknown[] | undefined;
    for (const item of list ?? []) {
      const g = record(item);
      const id = text(g?.id ?? g?.giftId);
      const price = g?.unitPrice;
      if (/^\d{1,12}$/.test(id) && typeof price === 'number' && Number.isSafeInteger(price) && price >= 0) prices.set(id, price);
    }
    return prices;
  }
}
