/**
 * One push WebSocket session: handshake (refusals recognised), frames decoded and mapped, acks
 * when asked, a binary `hb` on a timer, server pings answered (ws autoPong), and a stall
 * watchdog. It ends with a reason; the source decides what comes next.
 */
import WebSocket from 'ws';
import type { IncomingMessage } from 'node:http';
import type { Clock, TimerHandle } from '../../src/core/clock.js';
import type { BridgeEvent } from '../../src/core/events.js';
import { encodeAck, HEARTBEAT_FRAME } from './codec.js';
import type { DiscardReporter } from '../common/discard.js';
import type { SocketFactory } from '../common/socket.js';
import { processFrame } from './frame-processor.js';
import type { MappingContext } from './mapping.js';

export { defaultSocketFactory, type SocketFactory } from '../common/socket.js';

/** Why a session ended. */
export type SessionEnd =
  | { kind: 'aborted' }
  | { kind: 'ended'; reason: string }
  | { kind: 'blocked'; reason: string }
  | { kind: 'stall'; reason: string }
  | { kind: 'closed'; reason: string };

/** Resume state, updated in place as frames arrive so a reconnect continues where this left off. */
export interface ResumeState {
  cursor: string;
  internalExt: string;
}

/** One session's socket target, timing, mapping context, resume state and callbacks, all injected. */
export interface SessionOptions {
  url: string;
  headers: Record<string, string>;
  socketFactory: SocketFactory;
  clock: Clock;
  heartbeatMs: number;
  stallMs: number;
  ctx: MappingContext;
  discards: DiscardReporter;
  resume: ResumeState;
  onOpen(): void;
  onEvent(event: BridgeEvent): void;
  /** Every raw binary frame as received (the recorder). */
  onFrame?(bytes: Uint8Array): void;
}

const DEFAULTS = { maxHeartbeatMs: 60_000 } as const;

function header(res: IncomingMessage, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Runs one session until it ends; resolves with why and how many frames arrived. */
export function runSession(o: SessionOptions, signal: AbortSignal): Promise<{ end: SessionEnd; frames: number }> {
  return new Promise((resolve) => {
    let frames = 0;
    let done = false;
    let lastFrameAt = o.clock.now();
    let heartbeatMs = Math.min(DEFAULTS.maxHeartbeatMs, o.heartbeatMs);
    let heartbeatTimer: TimerHandle | undefined;
    let watchdogTimer: TimerHandle | undefined;
    let ws: WebSocket;
    try {
      ws = o.socketFactory(o.url, { headers: o.headers, handshakeTimeoutMs: o.stallMs });
    } catch (err) {
      resolve({
        end: { kind: 'closed', reason: `cannot open the socket: ${err instanceof Error ? err.message : String(err)}` },
        frames: 0,
      });
      return;
    }

    const finish = (end: SessionEnd) => {
      if (done) return;
      done = true;
      if (heartbeatTimer) o.clock.clearTimeout(heartbeatTimer);
      if (watchdogTimer) o.clock.clearTimeout(watchdogTimer);
      signal.removeEventListener('abort', onAbort);
      if (ws.readyState !== WebSocket.CLOSED) ws.terminate();
      resolve({ end, frames });
    };
    const onAbort = () => finish({ kind: 'aborted' });

    const watchdog = () => {
      const idle = o.clock.now() - lastFrameAt;
      if (idle >= o.stallMs) finish({ kind: 'stall', reason: `no frame for ${idle} ms` });
      else watchdogTimer = o.clock.setTimeout(watchdog, o.stallMs - idle);
    };
    const heartbeat = () => {
      if (done || ws.readyState !== WebSocket.OPEN) return;
      ws.send(HEARTBEAT_FRAME);
      heartbeatTimer = o.clock.setTimeout(heartbeat, heartbeatMs);
    };

    // After finish() the socket may still report errors; they are expected and ignored.
    ws.on('error', (err) => finish({ kind: 'closed', reason: `socket error: ${err.message}` }));
    ws.on('unexpected-response', (_req, res) => {
      const msg = header(res, 'handshake-msg');
      const status = header(res, 'handshake-status');
      res.resume();
      if (msg || res.statusCode === 200) {
        finish({
          kind: 'blocked',
          reason: `handshake refused: ${msg ?? 'HTTP 200 instead of 101'} (handshake-status ${status ?? 'none'}, HTTP ${res.statusCode})`,
        });
      } else {
        finish({ kind: 'closed', reason: `handshake answered HTTP ${res.statusCode}` });
      }
    });
    ws.on('open', () => {
      lastFrameAt = o.clock.now();
      o.onOpen();
      heartbeat();
    });
    ws.on('close', (code, reason) =>
      finish({
        kind: 'closed',
        reason: `closed by server (code ${code}${reason.length ? `, ${reason.toString('utf8').slice(0, 120)}` : ''})`,
      }),
    );
    ws.on('message', (data, isBinary) => {
      if (done) return;
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
      lastFrameAt = o.clock.now();
      frames += 1;
      if (!isBinary) {
        o.discards.report('text_frame', bytes);
        return;
      }
      o.onFrame?.(bytes);
      const result = processFrame(bytes, o.ctx, o.discards);
      const response = result.response;
      if (response && result.frame) {
        if (response.cursor) o.resume.cursor = response.cursor;
        if (response.internalExt) o.resume.internalExt = response.internalExt;
        if (response.needAck) ws.send(encodeAck(result.frame.logId, response.internalExt));
        if (response.heartbeatDurationS > 0)
          heartbeatMs = Math.min(DEFAULTS.maxHeartbeatMs, Math.max(o.heartbeatMs, response.heartbeatDurationS * 1000));
      }
      for (const event of result.events) o.onEvent(event);
      if (result.liveEnded)
        finish({
          kind: 'ended',
          reason: result.frame?.payloadType === 'close' ? 'the server sent a close frame' : 'the broadcast ended (ControlMessage action 3)',
        });
    });

    if (signal.aborted) return finish({ kind: 'aborted' });
    signal.addEventListener('abort', onAbort, { once: true });
    watchdogTimer = o.clock.setTimeout(watchdog, o.stallMs);
  });
}
