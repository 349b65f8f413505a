/**
 * EventSub notifications → BridgeEvent, as a route table keyed by subscription type (documented
 * in docs/platforms/twitch.md). Pure: each event is checked with zod; one that does not fit its
 * type is a problem (a counted discard), never a throw.
 */
import { z } from 'zod';
import type { BridgeEvent, User } from '../../../src/core/events.js';
import { stripCheermotes } from '../irc/cheer.js';
import { eventId, PLATFORM } from '../ids.js';
import { giftOfBits, giftOfSubs, subscriberPlan, type PaidValues } from '../paid.js';

/** What mapping needs besides the notification. */
export interface EventSubMappingContext extends PaidValues {
  source: string;
}

/** A stream state a notification announced. */
export type StreamChange = { state: 'live' } | { state: 'ended'; reason: string };

/** What one notification maps to. */
export interface EventSubMapResult {
  events: BridgeEvent[];
  stream?: StreamChange;
  /** Events that did not fit their type's shape (each a discard). */
  problems: number;
}

/** One notification's identity: its message id and timestamp. */
export interface NotificationMeta {
  id: string;
  at: number;
}

const Str = z.string().max(10_000);
const UserId = z.string().min(1).max(512);
/** The user fields every user event carries (`user_*`); null on anonymous gifts and cheers. */
const UserShape = { user_id: UserId.nullable(), user_login: Str.nullable(), user_name: Str.nullable() };
const Count = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

const Follow = z.looseObject({ ...UserShape, user_id: UserId, followed_at: Str.optional() });
const Subscribe = z.looseObject({ ...UserShape, user_id: UserId, tier: Str, is_gift: z.boolean() });
const SubscriptionMessage = z.looseObject({
  ...UserShape,
  user_id: UserId,
  tier: Str,
  cumulative_months: z.number().int().nonnegative().max(1_000_000),
  message: z.looseObject({ text: Str }).optional(),
});
const SubscriptionGift = z.looseObject({ ...UserShape, tier: Str, total: Count, is_anonymous: z.boolean().optional() });
const Cheer = z.looseObject({ ...UserShape, bits: Count, message: Str.optional(), is_anonymous: z.boolean().optional() });
const Stream = z.looseObject({ broadcaster_user_id: UserId });

/** Gifts and cheers made anonymously carry no user. */
const ANONYMOUS: User = { id: 'anonymous', name: 'Anonymous', level: 0, badge: '', badgeLevel: 0 };

function userOf(e: { user_id: string | null; user_login: string | null; user_name: string | null }): User {
  if (!e.user_id) return ANONYMOUS;
  return { id: e.user_id, name: e.user_name?.trim() || e.user_login || e.user_id, level: 0, badge: '', badgeLevel: 0 };
}

type Mapped = { events: BridgeEvent[]; stream?: StreamChange };

interface Route<S extends z.ZodType> {
  schema: S;
  map(event: z.infer<S>, base: { id: string; platform: string; source: string; ts: number }, ctx: EventSubMappingContext): Mapped;
}

function route<S extends z.ZodType>(schema: S, map: Route<S>['map']): Route<z.ZodType> {
  return { schema, map: map as Route<z.ZodType>['map'] };
}

/** Subscription type → how its events map. */
export const EVENTSUB_ROUTES: Readonly<Record<string, Route<z.ZodType>>> = {
  'channel.follow': route(Follow, (e, b) => {
    const at = e.followed_at ? Date.parse(e.followed_at) : Number.NaN;
    return { events: [{ ...b, ts: Number.isNaN(at) ? b.ts : at, kind: 'follow', user: userOf(e) }] };
  }),
  // A gifted sub's recipient: the gift is reported once, by channel.subscription.gift.
  'channel.subscribe': route(Subscribe, (e, b) =>
    e.is_gift
      ? { events: [] }
      : { events: [{ ...b, kind: 'subscribe', user: userOf(e), subscription: { tier: subscriberPlan(e.tier), months: 1 } }] },
  ),
  'channel.subscription.message': route(SubscriptionMessage, (e, b) => {
    const user = userOf(e);
    const events: BridgeEvent[] = [
      { ...b, kind: 'subscribe', user, subscription: { tier: subscriberPlan(e.tier), months: e.cumulative_months } },
    ];
    const text = e.message?.text.trim() ?? '';
    if (text !== '') events.push({ ...b, id: `${b.id}:text`, kind: 'comment', user, text });
    return { events };
  }),
  'channel.subscription.gift': route(SubscriptionGift, (e, b, ctx) => ({
    events: [{ ...b, kind: 'gift', user: e.is_anonymous ? ANONYMOUS : userOf(e), gift: giftOfSubs(e.tier, e.total, ctx) }],
  })),
  'channel.cheer': route(Cheer, (e, b, ctx) => {
    const user = e.is_anonymous ? ANONYMOUS : userOf(e);
    const events: BridgeEvent[] = [{ ...b, id: `${b.id}:bits`, kind: 'gift', user, gift: giftOfBits(e.bits, ctx) }];
    const rest = stripCheermotes(e.message ?? '', e.bits);
    if (rest !== '') events.push({ ...b, kind: 'comment', user, text: rest });
    return { events };
  }),
  'stream.online': route(Stream, () => ({ events: [], stream: { state: 'live' } })),
  'stream.offline': route(Stream, () => ({ events: [], stream: { state: 'ended', reason: 'the stream went offline (stream.offline)' } })),
};

/** Maps one notification's events (several in the batched form). */
export function mapNotification(
  type: string,
  events: readonly unknown[],
  meta: NotificationMeta,
  ctx: EventSubMappingContext,
): EventSubMapResult {
  const result: EventSubMapResult = { events: [], problems: 0 };
  const r = Object.hasOwn(EVENTSUB_ROUTES, type) ? EVENTSUB_ROUTES[type] : undefined;
  if (!r) return result;
  events.forEach((raw, i) => {
    const parsed = r.schema.safeParse(raw);
    if (!parsed.success) {
      result.problems += 1;
      return;
    }
    const id = eventId(`es:${meta.id}`, events.length > 1 ? String(i) : undefined);
    const mapped = r.map(parsed.data, { id, platform: PLATFORM, source: ctx.source, ts: meta.at }, ctx);
    result.events.push(...mapped.events);
    if (mapped.stream) result.stream = mapped.stream;
  });
  return result;
}
