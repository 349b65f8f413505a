/**
 * `pipeline:` and `filters:` — what reaches the reporter: dedupe, gift streaks, filters, caps.
 */
import { z } from 'zod';

export const PipelineSchema = z.strictObject({
  dedupe_max_entries: z.number().int().min(100).default(100_000),
  dedupe_ttl_ms: z.number().int().positive().default(600_000),
  gift_streak_idle_ms: z.number().int().positive().default(3000),
  like_window_ms: z.number().int().positive().default(5000),
  max_joins_per_second: z.number().nonnegative().default(5),
});

export const FiltersSchema = z.strictObject({
  enabled: z
    .strictObject({
      comment: z.boolean().default(true),
      join: z.boolean().default(true),
      like: z.boolean().default(true),
      gift: z.boolean().default(true),
      follow: z.boolean().default(true),
      viewers: z.boolean().default(true),
    })
    .prefault({}),
  blocked_words: z.array(z.string().min(1)).default([]),
  blocked_patterns: z.array(z.string().min(1)).default([]),
  min_user_level: z.number().int().nonnegative().default(0),
  max_comment_length: z.number().int().positive().default(200),
  spam_window_ms: z.number().int().nonnegative().default(10_000),
});
