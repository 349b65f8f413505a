/**
 * One socket frame → what it means: business commands (JSON objects), the auth reply's code, and
 * problems (discard reasons). Shared by the live session and the decode benchmark.
 */
import { isObj, parseJsonLossless, type Obj } from './json.js';
import { OP, PROTOVER, unpack, type Packet } from './packet.js';

/** Callbacks decodeFrame reports to, so the session and the benchmark share one decoder. */
export interface FrameHandlers {
  command(cmd: Obj): void;
  /** The auth reply's `code`; NaN when the reply is unreadable. */
  authReply(code: number): void;
  problem(reason: string, sample: Uint8Array, error?: unknown): void;
}

/** Decodes one binary frame, calling the handlers in wire order. */
export function decodeFrame(data: Buffer, h: FrameHandlers): void {
  unpack(data, {
    problem: h.problem,
    packet: (p: Packet) => {
      if (p.op === OP.authReply) {
        let code = NaN;
        try {
          const reply = parseJsonLossless(p.body.toString('utf8'));
          if (isObj(reply) && typeof reply.code === 'number') code = reply.code;
        } catch {
          // an unreadable reply is reported as NaN
        }
        h.authReply(code);
        return;
      }
      // Heartbeat replies (op 3) carry only an obsolete popularity figure.
      if (p.op !== OP.message || (p.ver !== PROTOVER.json && p.ver !== PROTOVER.int) || p.body.length === 0) return;
      let cmd: unknown;
      try {
        cmd = parseJsonLossless(p.body.toString('utf8'));
      } catch (err) {
        h.problem('bad_json', p.body, err);
        return;
      }
      if (isObj(cmd)) h.command(cmd);
      else h.problem('bad_json', p.body);
    },
  });
}
