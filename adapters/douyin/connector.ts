/**
 * Douyin's steps for the kit's lifecycle: resolve the web_rid to its broadcast (risk control is
 * `blocked`), bootstrap the resume state once per broadcast, sign each connection, and run the
 * push socket: frames decoded and mapped through the route table, acks when asked, a binary `hb`
 * at the interval the server sets, the end of the broadcast ending the session. Reconnects to
 * the same broadcast continue from the saved cursor.
 */
import type { Clock } from '../../src/core/clock.js';
import type { Connector, Resolution } from '../kit/lifecycle.js';
import type { SessionResult, SessionStop } from '../kit/session.js';
import type { SourceShell } from '../kit/shell.js';
import { runSocketSession, type Headers1, type SocketProtocol } from '../kit/socket-session.js';
import { encodeAck } from '../webcast/envelope.js';
import { HEARTBEAT_FRAME } from './codec.js';
import type { DouyinSourceConfig } from './config.js';
import { DouyinFrames } from './frame-processor.js';
import { GiftTable } from './gift-table.js';
import { DouyinHttp } from './http.js';
import type { MappingContext } from './mapping.js';
import { pushUrl, randomMsToken } from './params.js';
import { RoomResolver, type Bootstrap, type RoomInfo } from './room.js';
import { createSigner, SignerError, xMsStub, type Signer } from './signer/index.js';

const DEFAULTS = { maxHeartbeatMs: 60_000 } as const;

/** One broadcast: its room, and the resume state its sessions share. */
export interface DouyinTarget {
  room: RoomInfo;
  boot?: Bootstrap;
  resume?: { cursor: string; internalExt: string };
}

/** A refused handshake: Douyin answers 200 (not 101) with the reason in Handshake-Msg. */
export function handshakeRefusal(answer: { status: number; headers: Headers1 }): SessionStop {
  const msg = answer.headers['handshake-msg'];
  const status = answer.headers['handshake-status'];
  if (msg || answer.status === 200) {
    return {
      kind: 'blocked',
      reason: `handshake refused: ${msg ?? 'HTTP 200 instead of 101'} (handshake-status ${status ?? 'none'}, HTTP ${answer.status})`,
    };
  }
  return { kind: 'closed', reason: `handshake answered HTTP ${answer.status}`, code: answer.status };
}

/** Follows one Douyin web_rid. */
export class DouyinConnector implements Connector<DouyinTarget> {
  readonly #config: DouyinSourceConfig;
  readonly #shell: SourceShell;
  readonly #http: DouyinHttp;
  readonly #resolver: RoomResolver;
  readonly #signer: Signer;
  readonly #giftTable: GiftTable;
  readonly #ctx: MappingContext;
  /** The last broadcast's resume state: a re-resolution that finds the same room continues from it. */
  #resume: { roomId: string; cursor: string; internalExt: string } | undefined;
  #giftTimer: ReturnType<Clock['setTimeout']> | undefined;

  constructor(config: DouyinSourceConfig, shell: SourceShell) {
    this.#config = config;
    this.#shell = shell;
    const http = { fetch: shell.deps.fetch, dispatcher: shell.deps.dispatcher };
    this.#http = new DouyinHttp({ userAgent: config.user_agent, cookie: config.cookie, timeoutMs: config.request_timeout_ms }, http);
    const msToken = this.#http.cookie('msToken') || randomMsToken();
    this.#resolver = new RoomResolver({
      webRid: shell.room,
      config,
      http: this.#http,
      logger: shell.logger,
      msToken,
      now: () => shell.clock.now(),
    });
    this.#signer = createSigner(config.signer, { userAgent: config.user_agent, http });
    this.#giftTable = new GiftTable(config.gift_names);
    this.#ctx = { source: shell.name, giftTable: this.#giftTable, now: () => shell.clock.now() };
  }

  open(signal: AbortSignal): void {
    const every = this.#config.gift_list_refresh_ms;
    if (every < 0) return;
    const load = async () => {
      try {
        const gifts = await this.#resolver.giftList(signal);
        this.#giftTable.replace(gifts);
        this.#shell.logger.debug('gift list loaded', { gifts: gifts.size });
      } catch (err) {
        if (!signal.aborted)
          this.#shell.logger.warn('gift list unavailable; names come from messages and gift_names', {
            error: err instanceof Error ? err.message : String(err),
          });
      }
      if (every > 0 && !signal.aborted) this.#giftTimer = this.#shell.clock.setTimeout(() => void load(), every);
    };
    void load();
  }

  close(): void {
    if (this.#giftTimer) this.#shell.clock.clearTimeout(this.#giftTimer);
    this.#signer.close?.();
  }

  async resolve(signal: AbortSignal): Promise<Resolution<DouyinTarget>> {
    const found = await this.#resolver.resolve(signal);
    return found.kind === 'live' ? { kind: 'live', target: { room: found.room } } : found;
  }

  async connect(target: DouyinTarget, signal: AbortSignal): Promise<SessionResult> {
    const { room } = target;
    // bootstrap falls back to synthetic state on every failure; it only throws when aborted.
    const boot = (target.boot ??= await this.#resolver.bootstrap(room, signal));
    if (!target.resume) {
      const saved = this.#resume?.roomId === room.roomId ? this.#resume : undefined;
      target.resume = { cursor: saved?.cursor ?? boot.cursor, internalExt: saved?.internalExt ?? boot.internalExt };
      this.#resume = { roomId: room.roomId, ...target.resume };
    }
    const resume = target.resume;
    let signature: string;
    try {
      signature = await this.#signer.sign(
        xMsStub({ roomId: room.roomId, userUniqueId: room.userUniqueId, sdkVersion: this.#config.sdk_version }),
        signal,
      );
    } catch (err) {
      if (signal.aborted) throw err;
      throw err instanceof SignerError ? err : new SignerError('signer failed', { cause: err });
    }
    const base = (this.#config.urls.follow_push_server && boot.pushServer) || this.#config.urls.websocket;
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
    return runSocketSession(
      this.#shell,
      { url, headers: this.#handshakeHeaders(room), stallMs: this.#config.stall_ms, protocol: this.#protocol(target, boot) },
      signal,
    );
  }

  #protocol(target: DouyinTarget, boot: Bootstrap): SocketProtocol {
    const shell = this.#shell;
    const frames = new DouyinFrames();
    const floorMs = this.#config.heartbeat_ms;
    const heartbeatMs = (seconds: number) => Math.min(DEFAULTS.maxHeartbeatMs, Math.max(floorMs, seconds * 1000));
    return {
      heartbeat: { frame: () => HEARTBEAT_FRAME, intervalMs: heartbeatMs(boot.heartbeatDurationS), onOpen: true },
      onUnexpectedResponse: handshakeRefusal,
      onOpen: () => shell.setState({ state: 'live', roomId: target.room.roomId, title: target.room.title }),
      onFrame: (frame, io) => {
        io.healthy();
        if (frame.type === 'text') return shell.discard('text_frame', frame.text);
        const result = frames.process(frame.bytes, this.#ctx, shell.discards);
        const response = result.response;
        if (response && result.frame) {
          const resume = target.resume!;
          if (response.cursor) resume.cursor = response.cursor;
          if (response.internalExt) resume.internalExt = response.internalExt;
          this.#resume = { roomId: target.room.roomId, ...resume };
          if (response.needAck) io.send(encodeAck(result.frame.logId, response.internalExt));
          if (response.heartbeatDurationS > 0) io.setHeartbeatInterval(heartbeatMs(response.heartbeatDurationS));
        }
        for (const event of result.events) shell.event(event);
        if (result.liveEnded)
          io.end({
            kind: 'ended',
            reason:
              result.frame?.payloadType === 'close' ? 'the server sent a close frame' : 'the broadcast ended (ControlMessage action 3)',
          });
      },
    };
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
}
