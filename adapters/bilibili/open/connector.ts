/**
 * The open platform's steps for the kit's lifecycle: resolving starts the app (项目) with the
 * streamer's code and keeps it alive with an HTTP heartbeat every 20 s; sessions are danmaku
 * sockets over the returned wss links, authenticated with the given auth_body; releasing the
 * target ends the app (otherwise the next start is refused for a while). A heartbeat that finds
 * the session gone ends the running socket, so the lifecycle starts the app again.
 */
import type { TimerHandle } from '../../../src/core/clock.js';
import type { Connector, Resolution } from '../../kit/lifecycle.js';
import type { SessionResult } from '../../kit/session.js';
import type { SourceShell } from '../../kit/shell.js';
import { openSocketSession, type SocketSession } from '../../kit/socket-session.js';
import type { BilibiliOpenSourceConfig } from '../config.js';
import { danmakuProtocol } from '../danmaku.js';
import { BilibiliApiError, BilibiliHttp } from '../http.js';
import type { MappingContext } from '../mapping-common.js';
import { CODE_SESSION_GONE, OpenApi, type OpenSession } from './api.js';
import { mapOpenCommand } from './mapping.js';

/** A started app: its socket links, the next one to try, its heartbeat, and the socket running now. */
export interface OpenTarget {
  session: OpenSession;
  attempt: number;
  heartbeat?: TimerHandle;
  /** Set when the app heartbeat found the session gone: the next connect restarts at once. */
  gone?: string;
  current?: SocketSession;
}

/** Follows the streamer's room through the official open platform. */
export class BilibiliOpenConnector implements Connector<OpenTarget> {
  readonly #config: BilibiliOpenSourceConfig;
  readonly #shell: SourceShell;
  readonly #api: OpenApi;
  readonly #ctx: MappingContext;

  constructor(config: BilibiliOpenSourceConfig, shell: SourceShell) {
    this.#config = config;
    this.#shell = shell;
    const http = new BilibiliHttp(
      { userAgent: config.user_agent, cookie: '', timeoutMs: config.request_timeout_ms },
      { fetch: shell.deps.fetch, dispatcher: shell.deps.dispatcher },
    );
    this.#api = new OpenApi({ config, http, now: () => shell.clock.now() });
    this.#ctx = { source: shell.name, valueMultiplier: config.value_multiplier, now: () => shell.clock.now() };
  }

  /** app/start; a refusal (7002 a session still open, 7007 a bad code, 4002 a bad signature) is `blocked`. */
  async resolve(signal: AbortSignal): Promise<Resolution<OpenTarget>> {
    let session: OpenSession;
    try {
      session = await this.#api.start(signal);
    } catch (err) {
      if (err instanceof BilibiliApiError) return { kind: 'blocked', reason: err.message };
      throw err;
    }
    this.#shell.logger.info('open platform session started', { room_id: session.roomId, links: session.wssLinks.length });
    const target: OpenTarget = { session, attempt: 0 };
    this.#beat(target);
    return { kind: 'live', target };
  }

  async connect(target: OpenTarget, signal: AbortSignal): Promise<SessionResult> {
    if (target.gone) return { end: { kind: 'restart', reason: target.gone }, healthy: false, frames: 0 };
    const { session } = target;
    const protocol = danmakuProtocol(this.#shell, {
      authBody: session.authBody,
      heartbeatMs: this.#config.heartbeat_ms,
      onAuthed: () => this.#shell.setState({ state: 'live', roomId: session.roomId }),
      onCommand: (cmd, io) => {
        const result = mapOpenCommand(cmd, this.#ctx, session.gameId);
        if (result.problem) this.#shell.discard(result.problem, JSON.stringify(cmd));
        for (const e of result.events) this.#shell.event(e);
        const status = result.status;
        if (status?.state === 'live' && this.#shell.state.state !== 'live') this.#shell.setState({ state: 'live' });
        if (status?.state === 'offline') this.#shell.setState({ state: 'offline', reason: status.reason });
        if (status?.state === 'restart') {
          io.end({ kind: 'restart', reason: status.reason });
          return true;
        }
      },
    });
    const url = session.wssLinks[target.attempt++ % session.wssLinks.length]!;
    const running = openSocketSession(
      this.#shell,
      { url, headers: { 'user-agent': this.#config.user_agent }, stallMs: this.#config.stall_ms, protocol },
      signal,
    );
    target.current = running;
    try {
      return await running.done;
    } finally {
      target.current = undefined;
    }
  }

  /** Stops the app heartbeat and ends the app; a refusal or failure is only a warning. */
  async release(target: OpenTarget): Promise<void> {
    if (target.heartbeat) this.#shell.clock.clearTimeout(target.heartbeat);
    target.heartbeat = undefined;
    target.gone ??= 'released';
    try {
      const ok = await this.#api.end(target.session.gameId);
      if (!ok) this.#shell.logger.warn('app/end was refused; the next start may be refused for a while');
    } catch (err) {
      this.#shell.logger.warn('app/end failed; the next start may be refused for a while', {
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }

  /** Heartbeats the app every app_heartbeat_ms until released; a vanished session ends the running socket. */
  #beat(target: OpenTarget): void {
    const beat = () => {
      if (target.gone) return;
      this.#api.heartbeat(target.session.gameId).then(
        (code) => {
          if (code === CODE_SESSION_GONE && !target.gone) {
            target.gone = 'app heartbeat: the session is gone (7003)';
            target.current?.end({ kind: 'restart', reason: target.gone });
          } else if (code !== 0) this.#shell.logger.warn('app heartbeat refused', { code });
        },
        (err: unknown) => this.#shell.logger.warn('app heartbeat failed', { error: err instanceof Error ? err.message : String(err) }),
      );
      target.heartbeat = this.#shell.clock.setTimeout(beat, this.#config.app_heartbeat_ms);
    };
    target.heartbeat = this.#shell.clock.setTimeout(beat, this.#config.app_heartbeat_ms);
  }
}
