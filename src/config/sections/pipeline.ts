/**
 * `pipeline:` and `filters:` — what reaches the reporter: dedupe, gift streaks, filters, caps.
 */
import { RE2JS } from 're2js';
import { z } from 'zod';

/** `pipeline:`: dedupe, gift-streak and like/join aggregation settings. */
export const PipelineSchema = z.strictObject({
  /** Ids remembered for dedupe (platform + message id); the oldest are forgotten first. */
  dedupe_max_entries: z.number().int().min(100).default(100_000),
  /** How long an id is remembered for dedupe (reconnects replay recent messages). */
  dedupe_ttl_ms: z.number().int().positive().default(600_000),
  /** A gift streak without its final message is reported after this much silence. */
  gift_streak_idle_ms: z.number().int().positive().default(3000),
  /** At most one like event per user per window; the counts inside are summed. */
  like_window_ms: z.number().int().positive().default(5000),
  /** Joins passed on in any one-second window (below 1: one per 1/n seconds; 0 drops every join). */
  max_joins_per_second: z.number().nonnegative().default(5),
});
/** A parsed `pipeline:` section, defaults applied. */
export type PipelineConfig = z.infer<typeof PipelineSchema>;

/** The longest `filters.blocked_patterns` entry accepted (a keyword list is a few hundred characters). */
export const MAX_PATTERN_LENGTH = 2000;

/** A compiled blocked pattern: whether a text contains a match. */
export interface BlockedPattern {
  test(text: string): boolean;
}

/**
 * Compiles one `filters.blocked_patterns` entry with RE2 syntax (re2js, a linear-time engine:
 * matching time grows with the text, never exponentially, whatever the pattern), matched
 * case-insensitively. Backreferences and lookaround, which no linear-time engine can run, are
 * refused here, at check time. Returns the error text when it does not compile.
 */
export function compileBlockedPattern(source: string): BlockedPattern | { error: string } {
  if (source.length > MAX_PATTERN_LENGTH)
    return { error: `a pattern of ${source.length} characters is over the limit of ${MAX_PATTERN_LENGTH}` };
  try {
    const re = RE2JS.compile(source, RE2JS.CASE_INSENSITIVE);
    return { test: (text) => re.matcher(text).find() };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return { error: `invalid regular expression ${JSON.stringify(source)} (RE2 syntax: no backreferences or lookaround): ${why}` };
  }
}

/** `filters:`: which kinds pass, and what gets dropped or cut as noise or spam. */
export const FiltersSchema = z.strictObject({
  enabled: z
    .strictObject({
      comment: z.boolean().default(true),
      join: z.boolean().default(true),
      like: z.boolean().default(true),
      gift: z.boolean().default(true),
      follow: z.boolean().default(true),
      subscribe: z.boolean().default(true),
      viewers: z.boolean().default(true),
    })
    .prefault({}),
  /** Comments containing any of these (case-insensitive substring) are dropped. */
  blocked_words: z.array(z.string().min(1)).default([]),
  /** Comments matching any of these regular expressions (RE2 syntax, case-insensitive; linear-time matching) are dropped. */
  blocked_patterns: z
    .array(
      z
        .string()
        .min(1)
        .superRefine((source, ctx) => {
          const compiled = compileBlockedPattern(source);
          if ('error' in compiled) ctx.addIssue({ code: 'custom', message: compiled.error });
        }),
    )
    .default([]),
  /** Comments, joins, likes and follows from users below this level are dropped (gifts and subscriptions never: they are paid). */
  min_user_level: z.number().int().nonnegative().default(0),
  /** Longer comments are cut to this many characters (graphemes). */
  max_comment_length: z.number().int().positive().default(200),
  /** The same text from the same user again within this window is spam (0 disables). */
  spam_window_ms: z.number().int().nonnegative().default(10_000),
});
/** A parsed `filters:` section, defaults applied. */
export type FiltersConfig = z.infer<typeof FiltersSchema>;
