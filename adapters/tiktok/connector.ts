/**
 * TikTok's steps for the kit's lifecycle: resolve the handle to its live room with unsigned calls
 * only (page, room API, room info: waiting for a broadcast never spends sign budget), then for each
 * connection one sign call (counted against the budget first) and the push socket: `im_enter_room`
 * on open, `hb` at the configured or Handshake-Options interval, acks for needAck frames, frames
 * decoded and mapped through the shared webcast codec and TikTok's route table, the end of the
 * broadcast ending the session. Reconnects to the same room resume from the last cursor; after a
 * live end the handle is resolved again, and only a new live room id is dialled.
 */
import { randomBytes } from 'node:crypto';
import {
  runSocketSession,
  type Connector,
  type Headers1,
  type Resolution,
  type SessionResult,
  type SessionStop,
  type SocketProtocol,
  type SourceShell,
} from '../kit/index.js';
import { WebcastFrames } from '../webcast/frames.js';
import { roomRefFrom, TIKTOK_DEFAULTS, type TikTokSourceConfig } from './config.js';
import { Dialer, type DialTarget } from './dial.js';
import { TikTokHttp } from './http.js';
import type { TikTokMappingContext } from './mapping.js';
import { TIKTOK_PROTOCOL } from './protocol.js';
import { ackFrame, enterRoomFrame, heartbeatFrame, pingIntervalMs, randomEnterId } from './push.js';
import { RoomResolver, type TikTokRoom } from './room.js';
import { sharedSignBudget } from './sign/budget.js';
import { HttpSignProvider, SignError } from './sign/provider.js';

/** One broadcast, and the resume state its sessions share. */
export interface TikTokTarget {
  room: TikTokRoom;
  /** The last cursor: the next sign call resumes from it ('' before the first). */
  cursor: string;
}

/** TikTok refuses a handshake with HTTP 200 instead of 101, the reason in Handshake-Msg: key on the 200. */
export function handshakeRefusal(answer: { status: number; headers: Headers1 }): SessionStop {
  if (answer.status === 200)
    return { kind: 'blocked', reason: `handshake refused: ${answer.headers['handshake-msg'] || 'HTTP 200 instead of 101'}`, code: 200 };
  return { kind: 'closed', reason: `handshake answered HTTP ${answer.status}`, code: answer.status };
}

const NO_SESSION: SessionResult['frames'] = 0;

/** Follows one TikTok account (or one room id). */
export class TikTokConnector implements Connector<TikTokTarget> {
  readonly #config: TikTokSourceConfig;
  readonly #shell: SourceShell;
  readonly #resolver: RoomResolver;
  readonly #dialer: Dialer;
  readonly #ctx: TikTokMappingContext;
  /** The last room followed and where it was left: a re-resolution to the same room resumes. */
  #last: { roomId: string; cursor: string } | undefined;
  /** The room whose broadcast ended: never dialled again unless room info says it is live. */
  #ended: string | undefined;

  constructor(config: TikTokSourceConfig, shell: SourceShell) {
    this.#config = config;
    this.#shell = shell;
    const http = { fetch: shell.deps.fetch, dispatcher: shell.deps.dispatcher };
    const client = new TikTokHttp(
      { userAgent: config.user_agent, cookie: config.cookie, targetIdc: config.target_idc, timeoutMs: config.request_timeout_ms },
      http,
    );
    const deviceId = String((BigInt(`0x${randomBytes(8).toString('hex')}`) % 9_000_000_000_000_000_000n) + 1_000_000_000_000_000_000n);
    this.#resolver = new RoomResolver({ ref: roomRefFrom(config.room)!, config, http: client, deviceId });
    const frames = new WebcastFrames(TIKTOK_PROTOCOL);
    const provider = new HttpSignProvider(config.signer, { http, decoder: frames.decoder, now: () => shell.clock.now() });
    this.#dialer = new Dialer({
      config,
      provider,
      budget: sharedSignBudget(config.signer, config.signer.budget, () => shell.clock.now()),
      http: client,
      observe: (outcome) => this.#signed(outcome),
    });
    this.#ctx = { source: shell.name, now: () => shell.clock.now(), giftNames: config.gift_names };
    if (config.cookie && !provider.forwardsSession)
      shell.logger.warn('a session cookie is configured but signer.session_host does not name the signer: the signer signs anonymously');
  }

  /** Counts one sign outcome: live_bridge_source_upstream_calls_total{call="sign_<outcome>"} and its units. */
  #signed(outcome: string): void {
    // Each call that reached the sign server spent one unit of its quota; a budget refusal made none.
    this.#shell.usage(`sign_${outcome}`, outcome === 'budget_refused' ? 0 : 1);
  }

  async resolve(signal: AbortSignal): Promise<Resolution<TikTokTarget>> {
    const found = await this.#resolver.resolve(signal);
    if (found.kind !== 'live') return found;
    const roomId = found.room.roomId;
    // After a live end the page may name the ended room a while longer; its id still answers,
    // and a sign call for it would spend budget on nothing: confirm through room info first.
    if (roomId === this.#ended && !(await this.#resolver.isLive(roomId, signal)))
      return { kind: 'offline', reason: `room ${roomId} ended; waiting for the next broadcast` };
    const cursor = this.#last?.roomId === found.room.roomId ? this.#last.cursor : '';
    return { kind: 'live', target: { room: found.room, cursor } };
  }

  async connect(target: TikTokTarget, signal: AbortSignal): Promise<SessionResult> {
    const shell = this.#shell;
    const dialed = await this.#dialer.dial(target.room.roomId, target.cursor, signal);
    const stats = this.#dialer.budget.stats;
    if (!dialed.ok) {
      const f = dialed.failure;
      shell.logger.warn('no signed connection', { code: f.code, reason: f.reason, sign_calls: stats.calls, sign_refusals: stats.refusals });
      if (f.kind === 'failed') throw new SignError('sign_failed', f.reason);
      // The lifecycle jitters a named wait by ±jitter: ask for enough that its low end is the reset.
      const retryAfterMs =
        f.kind === 'wait' ? Math.ceil(Math.max(1, f.retryAt - shell.clock.now()) / (1 - TIKTOK_DEFAULTS.jitter)) : undefined;
      return { end: { kind: 'blocked', reason: f.reason, code: f.code, retryAfterMs }, healthy: false, frames: NO_SESSION };
    }
    shell.logger.info('signed a connection', { roomId: dialed.target.roomId, sign_calls: stats.calls, sign_calls_last_day: stats.lastDay });
    return runSocketSession(
      shell,
      {
        url: dialed.target.url,
        headers: dialed.target.headers,
        protocols: ['echo-protocol'],
        stallMs: this.#config.stall_ms,
        protocol: this.#protocol(target, dialed.target),
      },
      signal,
    );
  }

  #protocol(target: TikTokTarget, dial: DialTarget): SocketProtocol {
    const shell = this.#shell;
    const frames = new WebcastFrames(TIKTOK_PROTOCOL);
    const roomId = dial.roomId;
    let seq = 0;
    target.cursor = dial.cursor;
    return {
      heartbeat: { frame: () => heartbeatFrame(roomId, ++seq), intervalMs: this.#config.heartbeat_ms, onOpen: false },
      onUnexpectedResponse: handshakeRefusal,
      onOpen: (io, upgrade) => {
        shell.setState({ state: 'live', roomId, title: target.room.title });
        io.send(enterRoomFrame(roomId, dial.cursor, randomEnterId()));
        io.startHeartbeat(pingIntervalMs(upgrade['handshake-options']) ?? this.#config.heartbeat_ms);
      },
      onFrame: (frame, io) => {
        if (frame.type === 'text') return shell.discard('text_frame', frame.text);
        const out = frames.process(frame.bytes, this.#ctx, shell.discards);
        const response = out.response;
        if (response && out.frame) {
          io.healthy();
          if (response.cursor) {
            target.cursor = response.cursor;
            this.#last = { roomId: target.room.roomId, cursor: response.cursor };
          }
          if (response.needAck) io.send(ackFrame(out.frame.logId, response.internalExt));
        }
        for (const [reason, count] of Object.entries(out.skipped)) shell.emit('discard', { reason, count });
        for (const event of out.events) shell.event(event);
        if (out.ended) {
          this.#ended = roomId;
          io.end({ kind: 'ended', reason: out.ended });
        }
      },
    };
  }
}
