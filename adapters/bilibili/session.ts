/**
 * One danmaku socket session, shared by both modes: AUTH (op 7) with the mode's body, the auth
 * reply (op 8), a heartbeat (op 2) at once and on a timer, a silence watchdog, and every
 * business packet (op 5) parsed as JSON and handed on. It ends with a reason; the source
 * decides what comes next.
 */
import WebSocket from 'ws';
import type { Clock, TimerHandle } from '../../src/core/clock.js';
import type { DiscardReporter } from '../common/discard.js';
import type { SocketFactory } from '../kit/socket.js';
import { decodeFrame } from './frame.js';
import type { Obj } from './json.js';
import { encodePacket, OP } from './packet.js';

export { defaultSocketFactory, type SocketFactory } from '../kit/socket.js';

/** Why a session ended. */
export type SessionEnd =
  | { kind: 'aborted' }
  | { kind: 'auth-failed'; code: number }
  | { kind: 'stall'; reason: string }
  | { kind: 'closed'; reason: string }
  | { kind: 'restart'; reason: string };

/** One session's socket target, AUTH body, timing and callbacks, all injected. */
export interface SessionOptions {
  url: string;
  headers: Record<string, string>;
  /** The AUTH body, sent as is (web: our JSON; open platform: the auth_body string). */
  authBody: string;
  socketFactory: SocketFactory;
  clock: Clock;
  heartbeatMs: number;
  stallMs: number;
  discards: DiscardReporter;
  onAuthed(): void;
  /** One business command; returning a restart ends the session. */
  onCommand(cmd: Obj): { restart: string } | void;
}

/** The heartbeat's body is ignored by the server; the web client sends this text. */
const HEARTBEAT = encodePacket(OP.heartbeat, '[object Object]');

/** Runs one session until it ends; `authed` says whether the server accepted AUTH. */
export function runSession(o: SessionOptions, signal: AbortSignal): Promise<{ end: SessionEnd; authed: boolean }> {
  return new Promise((resolve) => {
    let done = false;
    let authed = false;
    let lastAt = o.clock.now();
    let heartbeatTimer: TimerHandle | undefined;
    let watchdogTimer: TimerHandle | undefined;
    let ws: WebSocket;
    try {
      ws = o.socketFactory(o.url, { headers: o.headers, handshakeTimeoutMs: o.stallMs });
    } catch (err) {
      resolve({ end: { kind: 'closed', reason: `cannot open the socket: ${err instanceof Error ? err.message : String(err)}` }, authed });
      return;
    }

    const finish = (end: SessionEnd) => {
      if (done) return;
      done = true;
      if (heartbeatTimer) o.clock.clearTimeout(heartbeatTimer);
      if (watchdogTimer) o.clock.clearTimeout(watchdogTimer);
      signal.removeEventListener('abort', onAbort);
      ws.removeAllListeners();
      ws.on('error', () => undefined);
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.terminate();
      resolve({ end, authed });
    };
    const onAbort = () => finish({ kind: 'aborted' });
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) return onAbort();

    const heartbeat = () => {
      if (done) return;
      if (ws.readyState === WebSocket.OPEN) ws.send(HEARTBEAT);
      heartbeatTimer = o.clock.setTimeout(heartbeat, o.heartbeatMs);
    };
    const watchdog = () => {
      const silent = o.clock.now() - lastAt;
      if (silent >= o.stallMs) return finish({ kind: 'stall', reason: `no packet for ${Math.round(silent / 1000)} s` });
      watchdogTimer = o.clock.setTimeout(watchdog, o.stallMs - silent);
    };

    const handlers = {
      authReply: (code: number) => {
        if (done) return;
        if (code !== 0) return finish({ kind: 'auth-failed', code: Number.isNaN(code) ? -1 : code });
        authed = true;
        o.onAuthed();
        heartbeat();
      },
      command: (cmd: Obj) => {
        if (done) return;
        let outcome: { restart: string } | void;
        try {
          outcome = o.onCommand(cmd);
        } catch (err) {
          // A throw here would escape the ws 'message' listener and end the process: count it instead.
          o.discards.report('mapping_error', Buffer.from(JSON.stringify(cmd).slice(0, 512)), err);
          return;
        }
        if (outcome) finish({ kind: 'restart', reason: outcome.restart });
      },
      problem: (reason: string, sample: Uint8Array, error?: unknown) => o.discards.report(reason, sample, error),
    };

    ws.on('open', () => {
      lastAt = o.clock.now();
      ws.send(encodePacket(OP.auth, o.authBody));
    });
    ws.on('message', (data, isBinary) => {
      lastAt = o.clock.now();
      const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      if (!isBinary) return o.discards.report('text_frame', bytes);
      decodeFrame(bytes, handlers);
    });
    ws.on('unexpected-response', (_req, res) => finish({ kind: 'closed', reason: `handshake refused with HTTP ${res.statusCode ?? '?'}` }));
    ws.on('close', (code) => finish({ kind: 'closed', reason: `socket closed (${code})` }));
    ws.on('error', (err) => finish({ kind: 'closed', reason: `socket error: ${err.message}` }));
    watchdogTimer = o.clock.setTimeout(watchdog, o.stallMs);
  });
}
