/**
 * The danmaku socket's protocol, for both modes, on the kit's socket session: AUTH (op 7) with
 * the mode's body on open, the auth reply (op 8) ending the session or starting the heartbeat
 * (op 2, at once and on a timer), and every business packet (op 5) parsed as JSON and handed on.
 */
import type { SourceShell } from '../kit/shell.js';
import type { SocketIO, SocketProtocol } from '../kit/socket-session.js';
import { decodeFrame } from './frame.js';
import type { Obj } from './json.js';
import { encodePacket, OP } from './packet.js';

/** The heartbeat's body is ignored by the server; the web client sends this text. */
const HEARTBEAT = encodePacket(OP.heartbeat, '[object Object]');

/** Auth reply code for a rejected token. */
export const CODE_TOKEN_REJECTED = -101;

/** What a mode adds to the danmaku protocol. */
export interface DanmakuOptions {
  /** The AUTH body, sent as is (web: our JSON; open platform: the auth_body string). */
  authBody: string;
  heartbeatMs: number;
  /** The server accepted AUTH. */
  onAuthed(io: SocketIO): void;
  /** One business command; true ends the rest of the frame (the session was ended). A throw is a counted `handler_error`. */
  onCommand(cmd: Obj, io: SocketIO): boolean | void;
}

/** The socket protocol of one danmaku session. */
export function danmakuProtocol(shell: SourceShell, o: DanmakuOptions): SocketProtocol {
  /** Set once the session is ended: the rest of the frame is not for us any more. */
  let over = false;
  return {
    heartbeat: { frame: () => HEARTBEAT, intervalMs: o.heartbeatMs },
    onOpen: (io) => io.send(encodePacket(OP.auth, o.authBody)),
    onFrame: (frame, io) => {
      if (frame.type === 'text') return shell.discard('text_frame', frame.text);
      decodeFrame(frame.bytes, {
        authReply: (code) => {
          if (over) return;
          if (code !== 0) {
            over = true;
            const c = Number.isNaN(code) ? -1 : code;
            if (c === CODE_TOKEN_REJECTED) shell.logger.warn('the danmaku token was rejected (-101); fetching a new one');
            io.end({ kind: 'auth_failed', reason: `the server refused AUTH (code ${c})`, code: c });
            return;
          }
          io.healthy();
          o.onAuthed(io);
          io.startHeartbeat();
        },
        command: (cmd) => {
          if (over) return;
          try {
            if (o.onCommand(cmd, io) === true) over = true;
          } catch (err) {
            shell.discard('handler_error', JSON.stringify(cmd), err);
          }
        },
        problem: (reason, sample, error) => shell.discard(reason, sample, error),
      });
    },
  };
}
