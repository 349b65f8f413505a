/**
 * One text frame of chat, from wire to events: its lines split and parsed (a line that does not
 * parse is counted as a discard, never thrown), each line's events mapped, and events seen
 * before (a line Twitch delivered again after a reconnect) dropped. The live connector and the
 * replay decoder both read frames through this.
 */
import type { BridgeEvent } from '../../../src/core/events.js';
import { TtlSet } from '../../../src/core/ttl-set.js';
import { mapChatLine, type ChatMappingContext } from './mapping.js';
import { parseIrcLine, splitLines, type IrcMessage } from './parse.js';

const DEFAULTS = {
  /** Twitch never replays chat history; a repeat comes within seconds of a reconnect. */
  seenTtlMs: 10 * 60_000,
  seenMax: 50_000,
} as const;

/** Where a frame's pieces go. */
export interface ChatFrameSink {
  /** A parsed line, before its events (the connector answers PING, notices RECONNECT ...). */
  line?(msg: IrcMessage): void;
  event(event: BridgeEvent): void;
  discard(reason: string, sample: string): void;
}

/** Reads the frames of one chat source, remembering event ids across its sockets. */
export class ChatFrameReader {
  readonly #ctx: ChatMappingContext;
  readonly #seen = new TtlSet(DEFAULTS.seenMax, DEFAULTS.seenTtlMs);

  constructor(ctx: ChatMappingContext) {
    this.#ctx = ctx;
  }

  /** Handles one frame; `stop()` lets the connector end mid-frame (after RECONNECT, later lines are not read). */
  read(text: string, sink: ChatFrameSink, stopped: () => boolean = () => false): void {
    for (const raw of splitLines(text)) {
      if (stopped()) return;
      const parsed = parseIrcLine(raw);
      if (!parsed.ok) {
        sink.discard(parsed.problem, raw);
        continue;
      }
      sink.line?.(parsed.message);
      for (const event of mapChatLine(parsed.message, this.#ctx)) {
        const now = this.#ctx.now();
        if (this.#seen.has(event.id, now)) continue;
        this.#seen.add(event.id, now);
        sink.event(event);
      }
    }
  }
}
