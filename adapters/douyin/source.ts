/**
 * The Douyin Source: resolve the room, bootstrap, sign, connect, and keep following it
 * (reconnects with full-jitter backoff and the saved cursor, blocked refusals retried slowly,
 * live end followed by slow status polls and a new broadcast's new room id).
 */
import { EventEmitter } from 'node:events';
import { fullJitterBackoff, pause, type Clock } from '../../src/core/clock.js';
import type { Logger } from '../../src/core/logger.js';
import type { Source, SourceDeps, SourceEvents, SourceState } from '../../src/core/source.js';
import { DOUYIN_DEFAULTS, webRidFrom, type DouyinSourceConfig } from './config.js';
import { DiscardReporter } from '../common/discard.js';
import { GiftTable } from './gift-table.js';
import type { HttpDeps } from '../common/http.js';
import { DouyinHttp } from './http.js';
import type { MappingContext } from './mapping.js';
import { pushUrl, randomMsToken } from './params.js';
import { RoomResolver, type RoomInfo } from './room.js';
import { defaultSocketFactory, runSession, type SocketFactory } from './session.js';
import { createSigner, SignerError, xMsStub, type Signer } from './signer/index.js';

/** What the Douyin source takes besides SourceDeps. */
export interface DouyinSourceDeps extends SourceDeps, HttpDeps {
  socketFactory?: SocketFactory;
  /** Randomness for backoff and poll jitter (tests pin it). */
  random?: () => number;
  /** Every raw binary frame as received (used by `live-bridge record`). */
  onFrame?: (bytes: Uint8Array) => void;
}

const DEFAULTS = {
  /** Consecutive failed sessions (no frame received) before the room is resolved again. */
  recheckAfterFailures: 4,
  pollJitter: 0.2,
} as const;

type FollowOutcome = 'aborted' | 'ended' | 'recheck';

/** Follows one Douyin room. */
export class DouyinSource extends EventEmitter<SourceEvents> implements Source {
  readonly name: string;
  readonly platform = 'douyin';
  readonly #config: DouyinSourceConfig;
  readonly #deps: DouyinSourceDeps;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #random: () => number;
  readonly #http: DouyinHttp;
  readonly #resolver: RoomResolver;
  readonly #signer: Signer;
  readonly #giftTable: GiftTable;
  readonly #discards: DiscardReporter;
  /** Consecutive failures (lookups, signatures, sessions without a frame): the backoff exponent. */
  #failures = 0;
  /** The last broadcast's resume state: a re-resolution that finds the same room continues from it. */
  #resume: { roomId: string; cursor: string; internalExt: string } | undefined;

  constructor(config: DouyinSourceConfig, deps: DouyinSourceDeps) {
    super();
    const webRid = webRidFrom(config.room);
    if (!webRid) throw new TypeError(`douyin: room "${config.room}" is neither a web_rid nor a live.douyin.com URL`);
    this.#config = config;
    this.#deps = deps;
    this.#clock = deps.clock;
    this.#random = deps.random ?? Math.random;
    this.name = config.name ?? `douyin:${config.room}`;
    this.#logger = deps.logger.child({ component: 'source', platform: 'douyin', room: webRid });
    const http = { fetch: deps.fetch, dispatcher: deps.dispatcher };
    this.#http = new DouyinHttp({ userAgent: config.user_agent, cookie: config.cookie, timeoutMs: config.request_timeout_ms }, http);
    const msToken = this.#http.cookie('msToken') || randomMsToken();
    this.#resolver = new RoomResolver({ webRid, config, http: this.#http, logger: this.#logger, msToken, now: () => this.#clock.now() });
    this.#signer = createSigner(config.signer, { userAgent: config.user_agent, http });
    this.#giftTable = new GiftTable(config.gift_names);
    this.#discards = new DiscardReporter({
      platform: 'douyin',
      emit: (d) => this.emit('discard', d),
      logger: this.#logger,
      clock: this.#clock,
    });
    if (!config.cookie) this.#logger.warn('no cookie configured: Douyin withholds gifts and masks nicknames for anonymous viewers');
  }

  #state(state: SourceState): void {
    this.emit('state', state);
  }

  #jittered(ms: number, floor: number): number {
    return Math.max(floor, Math.round(ms * (1 - DEFAULTS.pollJitter + 2 * DEFAULTS.pollJitter * this.#random())));
  }

  /** The next reconnect delay: full jitter over an exponent that grows until a frame arrives. */
  #backoff(): number {
    return fullJitterBackoff(this.#failures++, this.#config.reconnect_base_ms, this.#config.reconnect_max_ms, this.#random);
  }

  #pollDelay(): number {
    return this.#jittered(this.#config.status_poll_ms, DOUYIN_DEFAULTS.minStatusPollMs);
  }

  async start(signal: AbortSignal): Promise<void> {
    const giftTimer = this.#scheduleGiftList(signal);
    let reason = 'initial';
    try {
      while (!signal.aborted) {
        if (reason !== 'status-poll') this.emit('reconnect', { reason });
        this.#state({ state: 'connecting', reason });
        let resolution;
        try {
          resolution = await this.#resolver.resolve(signal);
        } catch (err) {
          if (signal.aborted) break;
          this.#state({ state: 'error', reason: err instanceof Error ? err.message : String(err), code: (err as { code?: string }).code });
          reason = 'resolve-failed';
          if (!(await pause(this.#clock, this.#backoff(), signal))) break;
          continue;
        }
        if (resolution.kind === 'blocked') {
          this.#logger.warn('douyin refused the room lookup', { reason: resolution.reason });
          this.#state({ state: 'blocked', reason: resolution.reason });
          reason = 'blocked-retry';
          if (!(await pause(this.#clock, this.#jittered(this.#config.blocked_retry_ms, 1), signal))) break;
          continue;
        }
        if (resolution.kind !== 'live') {
          this.#state({ state: 'offline', reason: resolution.reason });
          reason = 'status-poll';
          if (!(await pause(this.#clock, this.#pollDelay(), signal))) break;
          continue;
        }
        const outcome = await this.#follow(resolution.room, signal);
        if (outcome === 'aborted') break;
        if (outcome === 'ended') {
          reason = 'new-broadcast';
          if (!(await pause(this.#clock, this.#pollDelay(), signal))) break;
        } else {
          reason = 'recheck';
        }
      }
    } finally {
      if (giftTimer.handle) this.#clock.clearTimeout(giftTimer.handle);
      this.#signer.close?.();
    }
  }

  /** Connects to one broadcast and keeps reconnecting to it until it ends. */
  async #follow(room: RoomInfo, signal: AbortSignal): Promise<FollowOutcome> {
    let boot;
    try {
      boot = await this.#resolver.bootstrap(room, signal);
    } catch {
      // bootstrap falls back to synthetic state on every failure; it only throws when aborted.
      return 'aborted';
    }
    const saved = this.#resume?.roomId === room.roomId ? this.#resume : undefined;
    const resume = { roomId: room.roomId, cursor: saved?.cursor ?? boot.cursor, internalExt: saved?.internalExt ?? boot.internalExt };
    this.#resume = resume;
    const base = (this.#config.urls.follow_push_server && boot.pushServer) || this.#config.urls.websocket;
    const heartbeatMs = Math.max(this.#config.heartbeat_ms, boot.heartbeatDurationS * 1000);
    const ctx: MappingContext = { source: this.name, giftTable: this.#giftTable, now: () => this.#clock.now() };
    let failedSessions = 0;
    for (;;) {
      let signature: string;
      try {
        signature = await this.#signer.sign(
          xMsStub({ roomId: room.roomId, userUniqueId: room.userUniqueId, sdkVersion: this.#config.sdk_version }),
          signal,
        );
      } catch (err) {
        if (signal.aborted) return 'aborted';
        const e = err instanceof SignerError ? err : new SignerError('signer failed', { cause: err });
        this.#logger.error('cannot sign the push URL', { signer: this.#signer.kind, error: e.message });
        this.#state({ state: 'error', reason: e.message, code: e.code });
        if (!(await pause(this.#clock, this.#backoff(), signal))) return 'aborted';
        continue;
      }
      const url = pushUrl({
        base,
        roomId: room.roomId,
        userUniqueId: room.userUniqueId,
        userAgent: this.#config.user_agent,
        sdkVersion: this.#config.sdk_version,
        cursor: resume.cursor,
        internalExt: resume.internalExt,
        signature,
      });
      const { end, frames } = await runSession(
        {
          url,
          headers: this.#handshakeHeaders(room),
          socketFactory: this.#deps.socketFactory ?? defaultSocketFactory,
          clock: this.#clock,
          heartbeatMs,
          stallMs: this.#config.stall_ms,
          ctx,
          discards: this.#discards,
          resume,
          onOpen: () => this.#state({ state: 'live', roomId: room.roomId, title: room.title }),
          onEvent: (event) => this.emit('event', event),
          onFrame: this.#deps.onFrame,
        },
        signal,
      );
      if (frames > 0) {
        this.#failures = 0;
        failedSessions = 0;
      } else {
        failedSessions += 1;
      }
      switch (end.kind) {
        case 'aborted':
          return 'aborted';
        case 'ended':
          this.#logger.info('broadcast ended', { roomId: room.roomId, reason: end.reason });
          this.#state({ state: 'ended', reason: end.reason });
          return 'ended';
        case 'blocked':
          this.#logger.warn('push handshake refused', { reason: end.reason });
          this.#state({ state: 'blocked', reason: end.reason });
          if (!(await pause(this.#clock, this.#jittered(this.#config.blocked_retry_ms, 1), signal))) return 'aborted';
          this.emit('reconnect', { reason: 'blocked-retry' });
          continue;
        case 'stall':
        case 'closed': {
          if (failedSessions >= DEFAULTS.recheckAfterFailures) return 'recheck';
          const delay = this.#backoff();
          this.#logger.info('push connection lost; reconnecting', { why: end.kind, reason: end.reason, delayMs: delay });
          this.#state({ state: 'connecting', reason: `${end.kind}: ${end.reason}` });
          if (!(await pause(this.#clock, delay, signal))) return 'aborted';
          this.emit('reconnect', { reason: end.kind });
        }
      }
    }
  }

  #handshakeHeaders(room: RoomInfo): Record<string, string> {
    const headers: Record<string, string> = {
      'User-Agent': this.#config.user_agent,
      Origin: 'https://live.douyin.com',
      Referer: `https://live.douyin.com/${room.webRid}`,
    };
    const cookie = this.#http.cookieHeader();
    if (cookie) headers.Cookie = cookie;
    return headers;
  }

  #scheduleGiftList(signal: AbortSignal): { handle?: ReturnType<Clock['setTimeout']> } {
    const slot: { handle?: ReturnType<Clock['setTimeout']> } = {};
    const every = this.#config.gift_list_refresh_ms;
    if (every < 0) return slot;
    const load = async () => {
      try {
        const gifts = await this.#resolver.giftList(signal);
        this.#giftTable.replace(gifts);
        this.#logger.debug('gift list loaded', { gifts: gifts.size });
      } catch (err) {
        if (!signal.aborted)
          this.#logger.warn('gift list unavailable; names come from messages and gift_names', {
            error: err instanceof Error ? err.message : String(err),
          });
      }
      if (every > 0 && !signal.aborted) slot.handle = this.#clock.setTimeout(() => void load(), every);
    };
    void load();
    return slot;
  }
}
