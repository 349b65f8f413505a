/**
 * Kuaishou feeds → BridgeEvent, as route tables (the tables are in docs/platforms/kuaishou.md):
 * one from a frame's payload type to what it means (events, or a session signal such as the
 * enter-room ack), one from a feed push's lists to event kinds. Pure apart from the room state
 * it is handed (last viewer count, recent feed ids, unpriced combos) and `ctx.now`.
 */
import type { BridgeEvent, GiftEvent, User } from '../../src/core/events.js';
import { decodePayload, decodeSocketMessage, KuaishouDecodeError, openPayload, u64Number, type U64 } from './codec.js';
import { parseDisplayCount } from './counts.js';
import type { GiftCatalog } from './gifts.js';
import { PAYLOAD } from './proto.js';
import type {
  RawAudienceState,
  RawCommentFeed,
  RawEnterRoomAck,
  RawError,
  RawFeedPush,
  RawGiftFeed,
  RawLikeFeed,
  RawUser,
  RawWatchingUsers,
} from './raw.js';
import type { RoomState } from './room-state.js';

const PLATFORM = 'kuaishou';

/** What mapping needs besides the frame. */
export interface MappingContext {
  /** The configured source name, stamped on every event. */
  source: string;
  gifts: GiftCatalog;
  /** The broadcast's running state (viewer count, recent ids, unpriced combos). */
  room: RoomState;
  /** Event time for feeds that carry none (likes, viewer counts). */
  now(): number;
  /** A gift was reported with value 0 because nothing prices it (once per combo). */
  unpriced(giftId: string): void;
}

/** What one frame means. */
export type KuaishouOutput =
  /** `malformed`: feeds without an id or a user, counted by the caller as `malformed_feed`. */
  | { kind: 'events'; events: BridgeEvent[]; malformed: number }
  | { kind: 'enter_ack'; heartbeatMs: number; minReconnectMs: number; maxReconnectMs: number }
  | { kind: 'heartbeat_ack' }
  | { kind: 'error'; code: number; subCode: number; message: string }
  | { kind: 'pause' }
  | { kind: 'resume' };

const NO_EVENTS: KuaishouOutput = { kind: 'events', events: [], malformed: 0 };

function clamp(n: number | undefined): number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.min(Math.floor(n), Number.MAX_SAFE_INTEGER) : 0;
}

/** The fan badge: the entry whose icon names a fans group, as the web client shows it. */
function fanBadge(state: RawAudienceState | null | undefined): string {
  for (const entry of state?.badges ?? []) {
    const badge = entry.badge;
    if (badge?.badgeIcon && badge.badgeIcon.toLowerCase().startsWith('fans') && badge.badgeName) return badge.badgeName;
  }
  return '';
}

/** The viewer as MetaStudio needs it; undefined without a principalId (nothing to attribute the event to). */
export function mapUser(user: RawUser | null | undefined, state: RawAudienceState | null | undefined): User | undefined {
  const id = user?.principalId;
  if (!id) return undefined;
  return {
    id,
    name: user.userName ?? '',
    level: clamp(state?.wealthGrade),
    badge: fanBadge(state),
    badgeLevel: clamp(state?.liveFansGroupState?.intimacyLevel) || clamp(state?.fansGroupIntimacyLevel),
  };
}

function timeOr(value: U64 | undefined, ctx: MappingContext): number {
  const t = u64Number(value);
  return t > 0 ? t : ctx.now();
}

/**
 * Gifts in one feed: comboCount counts the sends of a combo (1, 2, 3, ...) and batchSize the
 * gifts per send, so a batch of 10 is batchSize 10, comboCount 1. Their product is the combo's
 * running count. (Open clients count batchSize when comboCount is 1, else comboCount: the same
 * for both known cases; the product also covers a combo of batches.)
 */
export function giftCount(feed: Pick<RawGiftFeed, 'batchSize' | 'comboCount'>): number {
  const count = Math.max(1, clamp(feed.comboCount)) * Math.max(1, clamp(feed.batchSize));
  return Math.min(count, Number.MAX_SAFE_INTEGER);
}

/** One list of a feed push and what its entries become. */
interface FeedRoute<F> {
  feeds(push: RawFeedPush): F[] | undefined;
  map(feed: F, ctx: MappingContext): BridgeEvent | undefined;
}

function mapComment(feed: RawCommentFeed, ctx: MappingContext): BridgeEvent | undefined {
  const user = mapUser(feed.user, feed.senderState);
  if (!feed.id || !user) return undefined;
  return {
    kind: 'comment',
    id: feed.id,
    platform: PLATFORM,
    source: ctx.source,
    ts: timeOr(feed.time, ctx),
    user,
    text: feed.content ?? '',
  };
}

function mapLike(feed: RawLikeFeed, ctx: MappingContext): BridgeEvent | undefined {
  const user = mapUser(feed.user, feed.liveAudienceState);
  if (!feed.id || !user) return undefined;
  // Only a viewer's first like is pushed: one like, stamped on receipt (the feed has no time).
  return { kind: 'like', id: feed.id, platform: PLATFORM, source: ctx.source, ts: ctx.now(), user, count: 1 };
}

function mapGift(feed: RawGiftFeed, ctx: MappingContext): GiftEvent | undefined {
  const user = mapUser(feed.user, feed.liveAudienceState);
  if (!feed.id || !user || !feed.giftId) return undefined;
  const giftId = String(feed.giftId);
  const value = ctx.gifts.value(giftId);
  if (!value.priced && ctx.room.firstOfCombo(feed.mergeKey || feed.id)) ctx.unpriced(giftId);
  return {
    kind: 'gift',
    id: feed.id,
    platform: PLATFORM,
    source: ctx.source,
    ts: timeOr(feed.time, ctx),
    user,
    gift: {
      giftId,
      name: ctx.gifts.name(giftId),
      count: giftCount(feed),
      unitValue: value.priced ? value.value : 0,
      // No end-of-combo marker exists: the pipeline folds a combo's feeds by mergeKey and reports
      // it once, with the highest count, when the combo has been idle for gift_streak_idle_ms.
      ...(feed.mergeKey ? { streak: { key: feed.mergeKey, final: false } } : {}),
    },
  };
}

/** The lists of SCWebFeedPush that carry events; there are no joins or follows on this platform. */
export const FEED_ROUTES = {
  commentFeeds: { feeds: (p) => p.commentFeeds, map: mapComment } satisfies FeedRoute<RawCommentFeed>,
  likeFeeds: { feeds: (p) => p.likeFeeds, map: mapLike } satisfies FeedRoute<RawLikeFeed>,
  giftFeeds: { feeds: (p) => p.giftFeeds, map: mapGift } satisfies FeedRoute<RawGiftFeed>,
} as const;

/** The viewer count, when it parses and differs from the last one reported. */
function viewers(display: string | undefined, ctx: MappingContext, sample: Uint8Array): BridgeEvent | undefined {
  if (!display) return undefined;
  const count = parseDisplayCount(display);
  if (count === undefined) throw new KuaishouDecodeError('malformed_payload', sample, new Error(`viewer count ${JSON.stringify(display)}`));
  if (!ctx.room.viewersChanged(count)) return undefined;
  const ts = ctx.now();
  return { kind: 'viewers', id: `viewers:${ctx.room.liveStreamId}:${ts}:${count}`, platform: PLATFORM, source: ctx.source, ts, count };
}

function feedPush(payload: Uint8Array, ctx: MappingContext): KuaishouOutput {
  const push = decodePayload<RawFeedPush>('SCWebFeedPush', payload);
  const events: BridgeEvent[] = [];
  let malformed = 0;
  for (const route of Object.values(FEED_ROUTES) as FeedRoute<unknown>[]) {
    for (const feed of route.feeds(push) ?? []) {
      const event = route.map(feed, ctx);
      if (!event) malformed += 1;
      // A reconnect pushes recent feeds again: their ids were reported already.
      else if (ctx.room.firstSighting(event.id)) events.push(event);
    }
  }
  const count = viewers(push.displayWatchingCount, ctx, payload);
  if (count) events.push(count);
  return { kind: 'events', events, malformed };
}

/** One payload type: what its payload means. */
type PayloadRoute = (payload: Uint8Array, ctx: MappingContext) => KuaishouOutput;

const HEARTBEAT_BOUNDS = { minMs: 1_000, maxMs: 120_000 } as const;

/** The payload types the bridge reads; every other type is discarded and counted. */
export const PAYLOAD_ROUTES: Readonly<Record<string, PayloadRoute>> = {
  [PAYLOAD.scFeedPush]: feedPush,
  [PAYLOAD.scLiveWatchingList]: (payload, ctx) => {
    const list = decodePayload<RawWatchingUsers>('SCWebLiveWatchingUsers', payload);
    const event = viewers(list.displayWatchingCount, ctx, payload);
    return event ? { kind: 'events', events: [event], malformed: 0 } : NO_EVENTS;
  },
  [PAYLOAD.scEnterRoomAck]: (payload) => {
    const ack = decodePayload<RawEnterRoomAck>('SCWebEnterRoomAck', payload);
    const asked = u64Number(ack.heartbeatIntervalMs);
    return {
      kind: 'enter_ack',
      heartbeatMs: asked > 0 ? Math.min(HEARTBEAT_BOUNDS.maxMs, Math.max(HEARTBEAT_BOUNDS.minMs, asked)) : 0,
      minReconnectMs: u64Number(ack.minReconnectMs),
      maxReconnectMs: u64Number(ack.maxReconnectMs),
    };
  },
  [PAYLOAD.scHeartbeatAck]: () => ({ kind: 'heartbeat_ack' }),
  [PAYLOAD.scError]: (payload) => {
    const e = decodePayload<RawError>('SCWebError', payload);
    return { kind: 'error', code: e.code ?? 0, subCode: e.subCode ?? 0, message: e.msg ?? '' };
  },
  [PAYLOAD.scAuthorPause]: () => ({ kind: 'pause' }),
  [PAYLOAD.scAuthorResume]: () => ({ kind: 'resume' }),
};

/**
 * Decodes one binary frame and maps it. Throws KuaishouDecodeError for anything unreadable
 * (malformed frame, corrupt gzip, AES, an unknown payload type): the caller counts it.
 */
export function mapFrame(bytes: Uint8Array, ctx: MappingContext): KuaishouOutput {
  const frame = decodeSocketMessage(bytes);
  // Own keys only: a hostile type can never reach Object.prototype.
  const key = String(frame.payloadType);
  const route = Object.hasOwn(PAYLOAD_ROUTES, key) ? PAYLOAD_ROUTES[key] : undefined;
  // Checked before opening the payload: an unknown type is counted as such, whatever its compression.
  if (!route) throw new KuaishouDecodeError('unknown_payload_type', bytes.subarray(0, 64));
  return route(openPayload(frame), ctx);
}
