/**
 * One chat page's JSON text → what the poller needs (the next page token, the server's polling
 * interval, whether the chat is over) and the events of its new messages. Used alike by the live
 * connector and by replay of recorded pages. Messages are deduplicated by id here, before
 * mapping, because a page retried with the same token may repeat messages and a repeated
 * giftEvent step would otherwise look like a new combo.
 */
import type { BridgeEvent } from '../../src/core/events.js';
import { TtlSet } from '../../src/core/ttl-set.js';
import type { YouTubeValueConfig } from './config.js';
import type { GarbageReason } from './errors.js';
import { dedupeKey, GiftCombos, mapItem, type MappingContext, type YouTubeDiscardReason } from './mapping.js';
import { ChatPageSchema, ItemSchema } from './raw.js';

const DEFAULTS = { seenMaxEntries: 20_000, seenTtlMs: 6 * 3_600_000, sampleChars: 512 } as const;

/** One message that could not be (fully) used. */
export interface PageProblem {
  reason: YouTubeDiscardReason;
  /** The message's JSON, truncated, for the discard log. */
  sample: string;
}

/** A decoded chat page. */
export interface DecodedPage {
  nextPageToken: string;
  /** The server's pollingIntervalMillis, when given. */
  pollingIntervalMs: number | undefined;
  /** offlineAt was set or a chatEndedEvent arrived: the chat is over after this page. */
  ended: boolean;
  events: BridgeEvent[];
  problems: PageProblem[];
  /** Messages on the page (new or not). */
  items: number;
}

/** A page, or why its text was not one. */
export type PageDecode = { ok: true; page: DecodedPage } | { ok: false; reason: GarbageReason };

/** What a decoder needs: the mapping context without the combo state it keeps itself. */
export interface ChatDecoderOptions {
  source: string;
  value: YouTubeValueConfig;
  now(): number;
}

/** Decodes the pages of one source (its dedupe memory and combo state span broadcasts). */
export class ChatDecoder {
  readonly #ctx: MappingContext;
  readonly #seen = new TtlSet(DEFAULTS.seenMaxEntries, DEFAULTS.seenTtlMs);

  constructor(options: ChatDecoderOptions) {
    this.#ctx = { ...options, combos: new GiftCombos() };
  }

  /**
   * Decodes a page. With `report: false` (the first page of a chat: history from before the
   * bridge looked) its messages are remembered but not reported.
   */
  decode(text: string, report: boolean): PageDecode {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return { ok: false, reason: 'answer_not_json' };
    }
    const envelope = ChatPageSchema.safeParse(json);
    if (!envelope.success) return { ok: false, reason: 'answer_unexpected' };
    const { nextPageToken, pollingIntervalMillis, offlineAt, items } = envelope.data;
    const page: DecodedPage = {
      nextPageToken,
      pollingIntervalMs: pollingIntervalMillis,
      ended: offlineAt !== undefined && offlineAt !== '',
      events: [],
      problems: [],
      items: items.length,
    };
    const now = this.#ctx.now();
    for (const raw of items) {
      const item = ItemSchema.safeParse(raw);
      if (!item.success) {
        page.problems.push({ reason: 'item_malformed', sample: sample(raw) });
        continue;
      }
      const key = dedupeKey(item.data);
      if (this.#seen.has(key, now)) continue;
      this.#seen.add(key, now);
      if (!report) {
        // History is not reported, but a chat that already ended in it is over.
        if (item.data.snippet.type === 'chatEndedEvent') page.ended = true;
        continue;
      }
      const result = mapItem(item.data, this.#ctx);
      page.events.push(...result.events);
      if (result.problem) page.problems.push({ reason: result.problem, sample: sample(raw) });
      if (result.ended) page.ended = true;
    }
    return { ok: true, page };
  }
}

function sample(raw: unknown): string {
  const text = JSON.stringify(raw) ?? String(raw);
  return text.slice(0, DEFAULTS.sampleChars);
}
