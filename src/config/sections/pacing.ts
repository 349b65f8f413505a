/**
 * `pacing:` — how fast the process opens upstream connections. One pacer per upstream host group
 * is shared by every source of every stream in the process, so a restart or a reload of many
 * streams opens at most `connects` connections (and room lookups) per `interval_ms` from one IP
 * per group, instead of a burst that platforms' risk control answers with captchas and bans.
 */
import { z } from 'zod';

const Connects = z.number().int().min(1).max(10_000);
const IntervalMs = z.number().int().min(1).max(3_600_000);

/** One named group: the platforms whose upstream hosts it paces together, and its own rate. */
export const PacingGroupSchema = z.strictObject({
  /** Platforms sharing this group's budget (douyin and douyin-browser reach the same hosts). */
  platforms: z.array(z.string().min(1)).min(1),
  connects: Connects.optional(),
  interval_ms: IntervalMs.optional(),
});

/** `pacing:`; a platform no group lists is a group of its own with the default rate. */
export const PacingSchema = z
  .strictObject({
    /** Connections and room lookups a group may open per interval (process-wide). */
    connects: Connects.default(5),
    interval_ms: IntervalMs.default(1000),
    groups: z.record(z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'lower-case letters, digits, _ and -'), PacingGroupSchema).default({}),
  })
  .superRefine((pacing, ctx) => {
    const owner = new Map<string, string>();
    for (const [name, group] of Object.entries(pacing.groups)) {
      for (const platform of group.platforms) {
        const other = owner.get(platform);
        if (other !== undefined && other !== name)
          ctx.addIssue({ code: 'custom', path: ['groups', name, 'platforms'], message: `${platform} is already in group ${other}` });
        owner.set(platform, name);
      }
    }
  });

/** A parsed `pacing:` section, defaults applied. */
export type PacingConfig = z.infer<typeof PacingSchema>;
