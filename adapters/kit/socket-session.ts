/**
 * One WebSocket session, for every socket platform: open (the factory's errors and refused
 * handshakes become ends, with the HTTP status and headers for the connector to read), frames
 * sent on open, a heartbeat fixed or set by the server at runtime, a stall watchdog, text and
 * binary frames handed to the connector (each one to the recorder first), abort, and a clean
 * close: code 1000 and a reason on stop and whenever we end the session, the socket terminated
 * only when the close handshake times out or the socket stalled.
 */
import WebSocket from 'ws';
import type { IncomingMessage } from 'node:http';
import type { TimerHandle } from '../../src/core/clock.js';
import type { RawFrame } from './capture.js';
import type { SessionEnd, SessionResult, SessionStop } from './session.js';
import type { SourceShell } from './shell.js';
import { defaultSocketFactory } from './socket.js';

/** An HTTP answer's headers, lower-case names, first value of each. */
export type Headers1 = Record<string, string | undefined>;

/** What a protocol can do with its running session. */
export interface SocketIO {
  /** Sends a frame; false when the socket is not open. */
  send(data: Uint8Array | string): boolean;
  /** Ends the session now (closing cleanly with 1000 unless it stalled). */
  end(end: SessionStop): void;
  /** Says the session works: the lifecycle's backoff and recheck counters start over. */
  healthy(): void;
  /** Starts the heartbeat (one at once, then every interval); `intervalMs` replaces the configured one. */
  startHeartbeat(intervalMs?: number): void;
  /** Changes the heartbeat interval from the next beat on (a server-set interval). */
  setHeartbeatInterval(ms: number): void;
  /** Changes the stall timeout from now on (a server-set keepalive). */
  setStallTimeout(ms: number): void;
  /** Messages received so far. */
  readonly frames: number;
}

/** The platform's side of a socket session. */
export interface SocketProtocol {
  /** Called once open, with the upgrade answer's headers (TikTok's Handshake-Options): send AUTH, enter-room, ... */
  onOpen?(io: SocketIO, upgrade: Headers1): void;
  /** Every message, text or binary, in order. A throw is counted as a `handler_error` discard. */
  onFrame(frame: RawFrame, io: SocketIO): void;
  /** The heartbeat: its frame and interval; `onOpen` starts it at open (else the protocol calls startHeartbeat). */
  heartbeat?: { frame(): Uint8Array | string; intervalMs: number; onOpen?: boolean };
  /** Turns a server close into an end (EventSub's 4000-4007); default `closed`. */
  onClose?(code: number, reason: string): SessionStop | undefined;
  /** Turns a handshake answered without 101 into an end (TikTok's 200 + Handshake-Msg); default `closed`. */
  onUnexpectedResponse?(answer: { status: number; headers: Headers1 }): SessionStop | undefined;
}

/** One session's target and timing. */
export interface SocketSessionOptions {
  url: string;
  headers?: Record<string, string>;
  protocols?: readonly string[];
  /** Nothing received for this long ends the session as `stall`. */
  stallMs: number;
  /** The opening handshake's timeout (default: stallMs). */
  handshakeTimeoutMs?: number;
  /** How long a clean close may take before the socket is terminated (default 3 s). */
  closeTimeoutMs?: number;
  protocol: SocketProtocol;
}

/** A running session: its result, and handles to act on it from outside (an app heartbeat, a handover). */
export interface SocketSession {
  readonly done: Promise<SessionResult>;
  end(end: SessionStop): void;
  send(data: Uint8Array | string): boolean;
}

const DEFAULTS = { closeTimeoutMs: 3_000, closeReasonBytes: 120, logReasonChars: 120 } as const;

/** Close code 1000: a normal closure. */
export const CLOSE_NORMAL = 1000;

function firstValues(headers: IncomingMessage['headers']): Headers1 {
  const out: Headers1 = {};
  for (const [k, v] of Object.entries(headers)) out[k] = Array.isArray(v) ? v[0] : v;
  return out;
}

/** A close reason within the protocol's 123-byte limit, cut on a character boundary. */
function closeReason(text: string): string {
  let out = text;
  while (Buffer.byteLength(out) > DEFAULTS.closeReasonBytes) out = out.slice(0, -1);
  return out;
}

function toFrame(data: WebSocket.RawData, isBinary: boolean): RawFrame {
  const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
  return isBinary ? { type: 'binary', bytes } : { type: 'text', text: bytes.toString('utf8') };
}

/** Opens one session; `done` resolves once the socket is closed. */
export function openSocketSession(shell: SourceShell, o: SocketSessionOptions, signal: AbortSignal): SocketSession {
  const clock = shell.clock;
  const protocol = o.protocol;
  let frames = 0;
  let healthy = false;
  let done = false;
  let lastAt = clock.now();
  let stallMs = o.stallMs;
  let heartbeatMs = protocol.heartbeat?.intervalMs ?? 0;
  let heartbeatOn = false;
  let heartbeatTimer: TimerHandle | undefined;
  let watchdogTimer: TimerHandle | undefined;
  let resolveDone!: (r: SessionResult) => void;
  const result = new Promise<SessionResult>((resolve) => (resolveDone = resolve));
  let ws: WebSocket | undefined;

  const settle = (end: SessionEnd) => resolveDone({ end, healthy, frames });

  /** Closes the transport as the end calls for, then settles. */
  const finish = (end: SessionEnd) => {
    if (done) return;
    done = true;
    if (heartbeatTimer) clock.clearTimeout(heartbeatTimer);
    if (watchdogTimer) clock.clearTimeout(watchdogTimer);
    signal.removeEventListener('abort', onAbort);
    const socket = ws;
    if (!socket || socket.readyState === WebSocket.CLOSED) return settle(end);
    socket.removeAllListeners('message');
    // Late errors of a socket we are leaving are expected; they must not reach the process.
    socket.on('error', () => undefined);
    if (socket.readyState !== WebSocket.OPEN || end.kind === 'stall') {
      socket.terminate();
      return settle(end);
    }
    const timer = clock.setTimeout(() => socket.terminate(), o.closeTimeoutMs ?? DEFAULTS.closeTimeoutMs);
    socket.once('close', () => {
      clock.clearTimeout(timer);
      settle(end);
    });
    socket.close(CLOSE_NORMAL, closeReason(end.kind === 'aborted' ? 'source stopped' : end.reason));
  };
  const onAbort = () => finish({ kind: 'aborted' });

  const send = (data: Uint8Array | string): boolean => {
    if (done || ws?.readyState !== WebSocket.OPEN) return false;
    ws.send(data);
    return true;
  };
  const beat = () => {
    if (done || !protocol.heartbeat) return;
    send(protocol.heartbeat.frame());
    heartbeatTimer = clock.setTimeout(beat, heartbeatMs);
  };
  const watchdog = () => {
    const idle = clock.now() - lastAt;
    if (idle >= stallMs) finish({ kind: 'stall', reason: `nothing received for ${Math.round(idle / 1000)} s` });
    else watchdogTimer = clock.setTimeout(watchdog, stallMs - idle);
  };
  const io: SocketIO = {
    send,
    end: (end) => finish(end),
    healthy: () => {
      healthy = true;
    },
    startHeartbeat: (intervalMs) => {
      if (intervalMs !== undefined) heartbeatMs = intervalMs;
      if (heartbeatOn) return;
      heartbeatOn = true;
      beat();
    },
    setHeartbeatInterval: (ms) => {
      heartbeatMs = ms;
    },
    setStallTimeout: (ms) => {
      stallMs = ms;
      if (watchdogTimer) clock.clearTimeout(watchdogTimer);
      if (!done) watchdogTimer = clock.setTimeout(watchdog, Math.max(0, lastAt + stallMs - clock.now()));
    },
    get frames() {
      return frames;
    },
  };

  if (signal.aborted) {
    finish({ kind: 'aborted' });
    return { done: result, end: () => undefined, send };
  }
  try {
    ws = (shell.deps.socketFactory ?? defaultSocketFactory)(o.url, {
      headers: o.headers ?? {},
      handshakeTimeoutMs: o.handshakeTimeoutMs ?? o.stallMs,
      protocols: o.protocols,
    });
  } catch (err) {
    finish({ kind: 'closed', reason: `cannot open the socket: ${err instanceof Error ? err.message : String(err)}` });
    return { done: result, end: () => undefined, send };
  }
  const socket = ws;
  let upgrade: Headers1 = {};
  socket.on('upgrade', (res) => (upgrade = firstValues(res.headers)));
  socket.on('unexpected-response', (_req, res) => {
    const answer = { status: res.statusCode ?? 0, headers: firstValues(res.headers) };
    res.resume();
    finish(
      protocol.onUnexpectedResponse?.(answer) ?? {
        kind: 'closed',
        reason: `handshake answered HTTP ${answer.status}`,
        code: answer.status,
      },
    );
  });
  socket.on('open', () => {
    lastAt = clock.now();
    try {
      protocol.onOpen?.(io, upgrade);
      if (protocol.heartbeat?.onOpen) io.startHeartbeat();
    } catch (err) {
      shell.discard('handler_error', Buffer.alloc(0), err);
    }
  });
  socket.on('message', (data, isBinary) => {
    if (done) return;
    lastAt = clock.now();
    frames += 1;
    const frame = toFrame(data, isBinary);
    shell.record(frame);
    try {
      protocol.onFrame(frame, io);
    } catch (err) {
      // A throw here would escape ws's 'message' listener and end the process: count it instead.
      shell.discard('handler_error', frame.type === 'binary' ? frame.bytes : frame.text, err);
    }
  });
  socket.on('close', (code, reasonBytes) => {
    const reason = reasonBytes.toString('utf8').slice(0, DEFAULTS.logReasonChars);
    finish(
      protocol.onClose?.(code, reason) ?? { kind: 'closed', reason: `closed by server (code ${code}${reason ? `, ${reason}` : ''})`, code },
    );
  });
  socket.on('error', (err) => finish({ kind: 'closed', reason: `socket error: ${err.message}` }));
  signal.addEventListener('abort', onAbort, { once: true });
  watchdogTimer = clock.setTimeout(watchdog, stallMs);
  return { done: result, end: (end) => finish(end), send };
}

/** Runs one session to its end. */
export function runSocketSession(shell: SourceShell, o: SocketSessionOptions, signal: AbortSignal): Promise<SessionResult> {
  return openSocketSession(shell, o, signal).done;
}
