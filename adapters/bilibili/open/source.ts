/**
 * The open-platform Source: app/start with the streamer's code, then sockets over the returned
 * wss links (AUTH with the given auth_body), an app heartbeat over HTTP every 20 s beside the
 * socket heartbeat, and app/end on shutdown (otherwise the next start is refused for a while).
 */
import { EventEmitter } from 'node:events';
import { fullJitterBackoff, sleep, type Clock, type TimerHandle } from '../../../src/core/clock.js';
import type { Logger } from '../../../src/core/logger.js';
import type { Source, SourceEvents, SourceState } from '../../../src/core/source.js';
import type { BilibiliOpenSourceConfig } from '../config.js';
import { DiscardReporter } from '../../common/discard.js';
import { BilibiliApiError, BilibiliHttp } from '../http.js';
import type { Obj } from '../json.js';
import type { MappingContext } from '../mapping-common.js';
import type { BilibiliSourceDeps } from '../source.js';
import { sourceIdentity } from '../../kit/plugin.js';
import { bilibiliOpenPlugin } from '../plugin.js';
import { defaultSocketFactory, runSession, type SocketFactory } from '../session.js';
import { CODE_SESSION_GONE, OpenApi, type OpenSession } from './api.js';
import { mapOpenCommand } from './mapping.js';

/** Socket failures in a row before the app is started again (as the web mode re-runs its HTTP steps). */
const DEFAULTS = { restartAfterFailures: 3 } as const;

/** Follows the streamer's room through the official open platform. */
export class BilibiliOpenSource extends EventEmitter<SourceEvents> implements Source {
  readonly name: string;
  readonly platform = 'bilibili-open';
  readonly #config: BilibiliOpenSourceConfig;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #random: () => number;
  readonly #api: OpenApi;
  readonly #socketFactory: SocketFactory;
  readonly #discards: DiscardReporter;
  readonly #ctx: MappingContext;
  readonly #userAgent: string;
  #last: SourceState['state'] | undefined;

  constructor(config: BilibiliOpenSourceConfig, deps: BilibiliSourceDeps) {
    super();
    this.#config = config;
    this.#clock = deps.clock;
    this.#random = deps.random ?? Math.random;
    this.name = sourceIdentity(bilibiliOpenPlugin, config).name;
    this.#logger = deps.logger.child({ component: 'source', platform: 'bilibili-open', app_id: config.app_id });
    this.#userAgent = config.user_agent;
    const http = new BilibiliHttp(
      { userAgent: config.user_agent, cookie: '', timeoutMs: config.request_timeout_ms },
      { fetch: deps.fetch, dispatcher: deps.dispatcher },
    );
    this.#api = new OpenApi({ config, http, now: () => this.#clock.now() });
    this.#socketFactory = deps.socketFactory ?? defaultSocketFactory;
    this.#discards = new DiscardReporter({
      platform: 'bilibili',
      emit: (d) => this.emit('discard', d),
      logger: this.#logger,
      clock: this.#clock,
    });
    this.#ctx = { source: this.name, valueMultiplier: config.value_multiplier, now: () => this.#clock.now() };
  }

  #state(state: SourceState): void {
    this.#last = state.state;
    this.emit('state', state);
  }

  /** Heartbeats the app every app_heartbeat_ms until stopped; a vanished session aborts `session`. */
  #appHeartbeat(gameId: string, session: AbortController): () => void {
    let timer: TimerHandle | undefined;
    let stopped = false;
    const beat = () => {
      if (stopped) return;
      this.#api.heartbeat(gameId).then(
        (code) => {
          if (code === CODE_SESSION_GONE && !stopped) session.abort(new Error('app heartbeat: the session is gone (7003)'));
          else if (code !== 0) this.#logger.warn('app heartbeat refused', { code });
        },
        (err: unknown) => this.#logger.warn('app heartbeat failed', { error: err instanceof Error ? err.message : String(err) }),
      );
      timer = this.#clock.setTimeout(beat, this.#config.app_heartbeat_ms);
    };
    timer = this.#clock.setTimeout(beat, this.#config.app_heartbeat_ms);
    return () => {
      stopped = true;
      if (timer) this.#clock.clearTimeout(timer);
    };
  }

  async #end(gameId: string): Promise<void> {
    try {
      const ok = await this.#api.end(gameId);
      if (!ok) this.#logger.warn('app/end was refused; the next start may be refused for a while');
    } catch (err) {
      this.#logger.warn('app/end failed; the next start may be refused for a while', {
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }

  #onCommand(cmd: Obj, gameId: string): { restart: string } | void {
    const result = mapOpenCommand(cmd, this.#ctx, gameId);
    if (result.problem) this.#discards.report(result.problem, Buffer.from(JSON.stringify(cmd).slice(0, 512)));
    for (const e of result.events) this.emit('event', e);
    const status = result.status;
    if (status?.state === 'live' && this.#last !== 'live') this.#state({ state: 'live' });
    if (status?.state === 'offline') this.#state({ state: 'offline', reason: status.reason });
    if (status?.state === 'restart') return { restart: status.reason };
  }

  async start(signal: AbortSignal): Promise<void> {
    let failures = 0;
    let reason = 'initial';
    while (!signal.aborted) {
      this.emit('reconnect', { reason });
      this.#state({ state: 'connecting', reason });
      let session: OpenSession;
      try {
        session = await this.#api.start(signal);
      } catch (err) {
        if (signal.aborted) break;
        failures += 1;
        const message = err instanceof Error ? err.message : String(err);
        const refused = err instanceof BilibiliApiError;
        this.#state(refused ? { state: 'blocked', reason: message } : { state: 'error', reason: message, code: 'bilibili_http' });
        this.#logger.warn('app/start failed', { error: message });
        reason = 'start-failed';
        await sleep(this.#clock, refused ? this.#config.start_retry_ms : this.#backoffMs(failures), signal).catch(() => undefined);
        continue;
      }
      this.#logger.info('open platform session started', { room_id: session.roomId, links: session.wssLinks.length });
      reason = await this.#follow(session, signal);
      await this.#end(session.gameId);
      failures = 0;
      if (!signal.aborted) await sleep(this.#clock, this.#backoffMs(1), signal).catch(() => undefined);
    }
  }

  /** Runs sockets for one app session until it must be restarted or the source stops. */
  async #follow(session: OpenSession, signal: AbortSignal): Promise<string> {
    const app = new AbortController();
    const both = AbortSignal.any([signal, app.signal]);
    const stopHeartbeat = this.#appHeartbeat(session.gameId, app);
    let failures = 0;
    let attempt = 0;
    try {
      for (;;) {
        const { end, authed } = await runSession(
          {
            url: session.wssLinks[attempt++ % session.wssLinks.length]!,
            headers: { 'user-agent': this.#userAgent },
            authBody: session.authBody,
            socketFactory: this.#socketFactory,
            clock: this.#clock,
            heartbeatMs: this.#config.heartbeat_ms,
            stallMs: this.#config.stall_ms,
            discards: this.#discards,
            onAuthed: () => this.#state({ state: 'live', roomId: session.roomId }),
            onCommand: (cmd) => this.#onCommand(cmd, session.gameId),
          },
          both,
        );
        if (end.kind === 'aborted') return signal.aborted ? 'stopped' : `restart: ${String((app.signal.reason as Error).message)}`;
        if (end.kind === 'restart') return `restart: ${end.reason}`;
        if (end.kind === 'auth-failed') return `auth-failed: code ${end.code}`;
        failures = authed ? 1 : failures + 1;
        if (failures >= DEFAULTS.restartAfterFailures) return `${end.kind}: ${end.reason}`;
        this.emit('reconnect', { reason: `${end.kind}: ${end.reason}` });
        this.#state({ state: 'connecting', reason: end.reason });
        await sleep(this.#clock, this.#backoffMs(failures), both).catch(() => undefined);
        if (both.aborted) return signal.aborted ? 'stopped' : 'restart: app heartbeat';
      }
    } finally {
      stopHeartbeat();
    }
  }

  #backoffMs(failures: number): number {
    return fullJitterBackoff(failures - 1, this.#config.reconnect_base_ms, this.#config.reconnect_max_ms, this.#random);
  }
}
