/**
 * BridgeEvent: the one normalised event union that crosses from adapters/ into src/.
 *
 * Ids are strings everywhere: Douyin and TikTok ids exceed 2^53 and must never pass through a
 * JS number. Raw platform shapes never leave their adapter; only these objects do.
 */
import { z } from 'zod';

/** A platform id (message, user, gift): a non-empty string, never a number. */
export const IdSchema = z.string().min(1).max(512);

const NonNegInt = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/** The viewer behind a user event, as MetaStudio's `user` object needs it. */
export const UserSchema = z.strictObject({
  id: IdSchema,
  name: z.string(),
  /** Platform level (Douyin pay grade, Bilibili user level); 0 when unknown. */
  level: NonNegInt,
  /** Fan-club / medal name; empty when none. */
  badge: z.string(),
  /** Fan-club / medal level; 0 when none. */
  badgeLevel: NonNegInt,
});
/** A viewer as every platform's events carry them. */
export type User = z.infer<typeof UserSchema>;

const BaseShape = {
  /** The platform's message id, unique per platform; the dedupe key. */
  id: IdSchema,
  /** The platform the event came from: `douyin`, `bilibili`, `simulate`, ... */
  platform: z.string().min(1),
  /** The configured source name (several sources may feed one job). */
  source: z.string().min(1),
  /** When the event happened on the platform, ms since the epoch. */
  ts: NonNegInt,
};

/** A viewer's comment. */
export const CommentEventSchema = z.strictObject({
  ...BaseShape,
  kind: z.literal('comment'),
  user: UserSchema,
  text: z.string(),
});
/** A viewer entered the room. */
export const JoinEventSchema = z.strictObject({ ...BaseShape, kind: z.literal('join'), user: UserSchema });
/** A viewer's likes since their last like event. */
export const LikeEventSchema = z.strictObject({
  ...BaseShape,
  kind: z.literal('like'),
  user: UserSchema,
  /** Likes in this event (a per-user delta, not the room total). */
  count: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});
/** A viewer followed the streamer. */
export const FollowEventSchema = z.strictObject({ ...BaseShape, kind: z.literal('follow'), user: UserSchema });
/**
 * A paid membership as the platform reports it: TikTok SubNotify, Twitch sub/resub, YouTube new
 * member, Bilibili guard purchases where they are not already a gift. A gifted membership is a
 * gift (someone paid for another), not a subscribe.
 */
export const SubscriptionSchema = z.strictObject({
  /** The plan as the platform names it (Twitch "1000"/"Prime", a YouTube member level, a guard rank); '' when unknown. */
  tier: z.string().max(200),
  /** Months subscribed so far, this one included; 0 when the platform does not say. */
  months: NonNegInt,
});
/** A paid membership's plan and length. */
export type Subscription = z.infer<typeof SubscriptionSchema>;

/** A viewer took (or renewed) a paid membership. */
export const SubscribeEventSchema = z.strictObject({
  ...BaseShape,
  kind: z.literal('subscribe'),
  user: UserSchema,
  subscription: SubscriptionSchema,
});

/** The room's current viewer count. */
export const ViewersEventSchema = z.strictObject({
  ...BaseShape,
  kind: z.literal('viewers'),
  /** Viewers currently in the room. */
  count: NonNegInt,
});

/**
 * A gift streak as the adapter sees it: the key groups the messages of one combo (same user,
 * same gift, same platform group id); `final` marks the platform's end-of-streak message.
 */
export const GiftStreakSchema = z.strictObject({ key: z.string().min(1), final: z.boolean() });

/**
 * Gift details. Value convention, applied everywhere: `unitValue` is the value of ONE gift in the
 * platform's unit (Douyin diamonds, Bilibili gold seeds after the configured multiplier) and the
 * total is always `count × unitValue`, computed by {@link giftTotalValue}. The total is not
 * stored so that it can never disagree with count and unit value.
 */
export const GiftSchema = z.strictObject({
  giftId: IdSchema,
  name: z.string(),
  /** Gifts in this event; for a streak message, the running count of the streak so far. */
  count: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  unitValue: NonNegInt,
  streak: GiftStreakSchema.optional(),
});
/** Gift details; the total is always {@link giftTotalValue}. */
export type Gift = z.infer<typeof GiftSchema>;

/** A viewer sent gifts (one message, or one step of a streak). */
export const GiftEventSchema = z.strictObject({ ...BaseShape, kind: z.literal('gift'), user: UserSchema, gift: GiftSchema });

/** The normalised event union, discriminated on `kind`. */
export const BridgeEventSchema = z.discriminatedUnion('kind', [
  CommentEventSchema,
  JoinEventSchema,
  LikeEventSchema,
  GiftEventSchema,
  FollowEventSchema,
  SubscribeEventSchema,
  ViewersEventSchema,
]);

/** Any normalised event; narrow on `kind`. */
export type BridgeEvent = z.infer<typeof BridgeEventSchema>;
/** A parsed comment event. */
export type CommentEvent = z.infer<typeof CommentEventSchema>;
/** A parsed join event. */
export type JoinEvent = z.infer<typeof JoinEventSchema>;
/** A parsed like event. */
export type LikeEvent = z.infer<typeof LikeEventSchema>;
/** A parsed gift event. */
export type GiftEvent = z.infer<typeof GiftEventSchema>;
/** A parsed follow event. */
export type FollowEvent = z.infer<typeof FollowEventSchema>;
/** A parsed subscribe event. */
export type SubscribeEvent = z.infer<typeof SubscribeEventSchema>;
/** A parsed viewers event. */
export type ViewersEvent = z.infer<typeof ViewersEventSchema>;
/** The event kinds; MetaStudio's wire has six types, and follow and subscribe share type 5. */
export type EventKind = BridgeEvent['kind'];
/** The events that carry a user (all but viewer counts). */
export type UserEvent = Exclude<BridgeEvent, ViewersEvent>;

/** Every kind, in delivery-priority order from least to most important. */
export const EVENT_KINDS = ['viewers', 'like', 'join', 'comment', 'follow', 'subscribe', 'gift'] as const satisfies readonly EventKind[];

/** The total value of a gift event: always `count × unitValue` (see {@link GiftSchema}). */
export function giftTotalValue(gift: Pick<Gift, 'count' | 'unitValue'>): number {
  return gift.count * gift.unitValue;
}
