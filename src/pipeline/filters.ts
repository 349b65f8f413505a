/**
 * The `filters:` section as one compiled check: per-type enable, comment blocklists (words and
 * regular expressions, compiled once), minimum user level, comment length and repeated-text spam.
 */
import type { Clock } from '../core/clock.js';
import type { BridgeEvent } from '../core/events.js';
import { ConfigError } from '../core/errors.js';
import type { FiltersConfig } from '../config/sections/pipeline.js';
import { compileBlockedPattern, type BlockedPattern } from '../config/sections/pipeline.js';
import { truncateGraphemes } from './text.js';
import { TtlSet } from '../core/ttl-set.js';

/** Why the filters dropped an event (stable reasons, counted as intentional drops). */
export type FilterReason = 'filtered_type' | 'filtered_word' | 'filtered_pattern' | 'filtered_level' | 'spam';

/** The event to pass on (comments possibly truncated), or why it was dropped (a string: no allocation per event). */
export type FilterResult = BridgeEvent | FilterReason;

const DEFAULTS = { spamMaxEntries: 50_000 } as const;

/** A compiled filter set. Throws ConfigError (listing every bad pattern) when a pattern does not compile. */
export class Filters {
  readonly #config: FiltersConfig;
  readonly #words: string[];
  readonly #patterns: BlockedPattern[];
  readonly #recent: TtlSet;
  readonly #clock: Clock;

  constructor(config: FiltersConfig, clock: Clock) {
    this.#config = config;
    this.#clock = clock;
    this.#words = config.blocked_words.map((w) => w.toLowerCase());
    const problems: string[] = [];
    this.#patterns = [];
    config.blocked_patterns.forEach((source, i) => {
      const compiled = compileBlockedPattern(source);
      if ('error' in compiled) problems.push(`filters.blocked_patterns[${i}]: ${compiled.error}`);
      else this.#patterns.push(compiled);
    });
    if (problems.length > 0) throw new ConfigError(problems);
    this.#recent = new TtlSet(DEFAULTS.spamMaxEntries, Math.max(1, config.spam_window_ms));
  }

  check(event: BridgeEvent): FilterResult {
    const config = this.#config;
    if (!config.enabled[event.kind]) return 'filtered_type';
    // A gift or a subscription is money whoever pays it: the level threshold applies to the other user events.
    if (event.kind !== 'viewers' && event.kind !== 'gift' && event.kind !== 'subscribe' && event.user.level < config.min_user_level) {
      return 'filtered_level';
    }
    if (event.kind !== 'comment') return event;
    // Blocklists judge the text as it would be sent: cut first, so matching work stays bounded.
    const text = truncateGraphemes(event.text, config.max_comment_length);
    if (this.#words.length > 0) {
      const lower = text.toLowerCase();
      for (const word of this.#words) if (lower.includes(word)) return 'filtered_word';
    }
    for (const pattern of this.#patterns) if (pattern.test(text)) return 'filtered_pattern';
    if (config.spam_window_ms > 0) {
      // Keyed on the cut text, so the memory per key stays bounded by max_comment_length.
      const key = `${event.platform}\u0000${event.user.id}\u0000${text}`;
      const now = this.#clock.now();
      // The window runs from the last comment that passed, so a repeated text gets through once per window.
      if (this.#recent.seen(key, now)) return 'spam';
    }
    return text === event.text ? event : { ...event, text };
  }
}
