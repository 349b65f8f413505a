/**
 * The route table from a chat message's `snippet.type` to BridgeEvents (docs/platforms/youtube.md
 * shows it as a table). Paid items become gifts valued through the configured currency rates; a
 * gifting of N memberships is one gift of N, and the N "received" messages that follow it are not
 * counted again; a new member is a subscribe. Deletions, bans, polls and mode changes are not
 * reported; YouTube has no joins and no per-user likes.
 */
import type { z } from 'zod';
import type { BridgeEvent, GiftEvent, User } from '../../src/core/events.js';
import { routeFor } from '../kit/index.js';
import type { YouTubeValueConfig } from './config.js';
import { AuthorSchema, DetailSchemas, type RawItem } from './raw.js';
import { parseRfc3339 } from './time.js';

/** The platform name stamped on every event. */
export const PLATFORM = 'youtube';

/** Why a message was discarded or only partly used (snake_case discard reasons). */
export type YouTubeDiscardReason =
  | 'item_malformed'
  | 'details_malformed'
  | 'author_missing'
  | 'unknown_type'
  /** A paid item in a currency the rate table lacks: reported, but valued 0. */
  | 'currency_without_rate';

/** What mapping needs besides the message. */
export interface MappingContext {
  /** The configured source name. */
  source: string;
  value: YouTubeValueConfig;
  /** Receive time, for messages without a readable publishedAt. */
  now(): number;
  combos: GiftCombos;
}

/** What one message maps to. */
export interface ItemResult {
  events: BridgeEvent[];
  /** Counted as a discard (the events, if any, still go out). */
  problem?: YouTubeDiscardReason;
  /** A chatEndedEvent: the chat is over. */
  ended?: boolean;
}

const NOTHING: ItemResult = Object.freeze({ events: [] }) as ItemResult;
const bad = (problem: YouTubeDiscardReason): ItemResult => ({ events: [], problem });

/**
 * giftEvent combos: each message carries the running `comboCount` of one streak, with no end
 * marker (and may reuse the streak's message id); a count that does not grow starts a new
 * streak. The streak key tells the pipeline's folder which messages belong together (it reports
 * each streak once, at its highest count).
 */
export class GiftCombos {
  readonly #last = new Map<string, { generation: number; count: number }>();
  readonly #maxEntries: number;

  constructor(maxEntries = 10_000) {
    this.#maxEntries = maxEntries;
  }

  /** The streak key for this step of `userId`'s combo of `gift`. */
  key(userId: string, gift: string, count: number): string {
    const id = `${userId}\u0000${gift}`;
    const last = this.#last.get(id);
    const generation = last === undefined ? 1 : count > last.count ? last.generation : last.generation + 1;
    this.#last.delete(id);
    this.#last.set(id, { generation, count });
    if (this.#last.size > this.#maxEntries) this.#last.delete(this.#last.keys().next().value!);
    return `${gift}:${generation}`;
  }
}

/** The author as a User: channel id, display name, a badge from their chat role, levels 0. */
export function authorUser(item: RawItem): User | undefined {
  const a = AuthorSchema.safeParse(item.authorDetails);
  if (!a.success) return undefined;
  const badge = a.data.isChatOwner ? 'Owner' : a.data.isChatModerator ? 'Moderator' : a.data.isChatSponsor ? 'Member' : '';
  return { id: a.data.channelId, name: a.data.displayName, level: 0, badge, badgeLevel: 0 };
}

type DetailKey = keyof typeof DetailSchemas;
type Details<K extends DetailKey> = z.infer<(typeof DetailSchemas)[K]>;

function details<K extends DetailKey>(item: RawItem, key: K): Details<K> | undefined {
  const r = DetailSchemas[key].safeParse(item.snippet[key]);
  return r.success ? (r.data as Details<K>) : undefined;
}

function base(item: RawItem, ctx: MappingContext, suffix = '') {
  const ts = item.snippet.publishedAt === undefined ? undefined : parseRfc3339(item.snippet.publishedAt);
  return { id: `${item.id}${suffix}`, platform: PLATFORM, source: ctx.source, ts: ts ?? ctx.now() };
}

/** amountMicros ÷ 10⁶ × the currency's rate, rounded; undefined when the table has no rate. */
export function moneyValue(amountMicros: string, currency: string, value: YouTubeValueConfig): number | undefined {
  const rate = value.currency_rates[currency];
  if (rate === undefined) return undefined;
  const v = Math.round((Number(amountMicros) / 1e6) * rate);
  return Number.isSafeInteger(v) && v > 0 ? v : 0;
}

function comment(item: RawItem, ctx: MappingContext, user: User, text: string, suffix = ''): BridgeEvent {
  return { ...base(item, ctx, suffix), kind: 'comment', user, text };
}

function gift(item: RawItem, ctx: MappingContext, user: User, g: GiftEvent['gift']): GiftEvent {
  return { ...base(item, ctx), kind: 'gift', user, gift: g };
}

/** A Super Chat / Super Sticker: one gift valued by its amount, plus the Super Chat's comment. */
function paid(
  item: RawItem,
  ctx: MappingContext,
  user: User,
  p: { giftId: string; name: string; micros: string; currency: string; comment?: string },
) {
  const unitValue = moneyValue(p.micros, p.currency, ctx.value);
  const events: BridgeEvent[] = [gift(item, ctx, user, { giftId: p.giftId, name: p.name, count: 1, unitValue: unitValue ?? 0 })];
  if (p.comment) events.push(comment(item, ctx, user, p.comment, ':comment'));
  return unitValue === undefined ? { events, problem: 'currency_without_rate' as const } : { events };
}

type Route = (item: RawItem, ctx: MappingContext, user: User) => ItemResult;

/** A type that is read but not reported. */
const IGNORE = 'ignore';

/** `snippet.type` → what it becomes. Types absent here are `unknown_type` discards. */
export const ROUTES: Readonly<Record<string, Route | typeof IGNORE | 'end'>> = {
  textMessageEvent(item, ctx, user) {
    const d = details(item, 'textMessageDetails');
    return d ? { events: [comment(item, ctx, user, d.messageText)] } : bad('details_malformed');
  },
  superChatEvent(item, ctx, user) {
    const d = details(item, 'superChatDetails');
    if (!d) return bad('details_malformed');
    return paid(item, ctx, user, {
      giftId: 'super_chat',
      name: 'Super Chat',
      micros: d.amountMicros,
      currency: d.currency,
      comment: d.userComment,
    });
  },
  superStickerEvent(item, ctx, user) {
    const d = details(item, 'superStickerDetails');
    if (!d) return bad('details_malformed');
    const meta = d.superStickerMetadata;
    return paid(item, ctx, user, {
      giftId: meta.stickerId || 'super_sticker',
      name: meta.altText || 'Super Sticker',
      micros: d.amountMicros,
      currency: d.currency,
    });
  },
  giftEvent(item, ctx, user) {
    const d = details(item, 'giftDetails');
    const name = d ? d.giftName || d.altText : '';
    if (!d || !name || d.comboCount < 1) return bad('details_malformed');
    const unitValue = Math.round(d.jewelsAmount * ctx.value.jewel);
    const streak = { key: ctx.combos.key(user.id, name, d.comboCount), final: false };
    // YouTube may reuse one message id for each step of a combo: the step's count keeps the event ids apart.
    return {
      events: [
        {
          ...base(item, ctx, `:${d.comboCount}`),
          kind: 'gift',
          user,
          gift: { giftId: name, name, count: d.comboCount, unitValue, streak },
        },
      ],
    };
  },
  membershipGiftingEvent(item, ctx, user) {
    const d = details(item, 'membershipGiftingDetails');
    if (!d || d.giftMembershipsCount < 1) return bad('details_malformed');
    const unitValue = Math.round(ctx.value.membership);
    return { events: [gift(item, ctx, user, { giftId: 'membership', name: 'Membership', count: d.giftMembershipsCount, unitValue })] };
  },
  // Each recipient's message points back to the gifting (associatedMembershipGiftingMessageId), which was counted.
  giftMembershipReceivedEvent: IGNORE,
  newSponsorEvent(item, ctx, user) {
    const d = details(item, 'newSponsorDetails');
    if (!d) return bad('details_malformed');
    // A new member is in their first month; an upgrade does not say how long they have been one.
    const subscription = { tier: d.memberLevelName, months: d.isUpgrade ? 0 : 1 };
    return { events: [{ ...base(item, ctx), kind: 'subscribe', user, subscription }] };
  },
  memberMilestoneChatEvent(item, ctx, user) {
    const d = details(item, 'memberMilestoneChatDetails');
    if (!d) return bad('details_malformed');
    if (d.userComment) return { events: [comment(item, ctx, user, d.userComment)] };
    return { events: [{ ...base(item, ctx), kind: 'subscribe', user, subscription: { tier: d.memberLevelName, months: d.memberMonth } }] };
  },
  messageDeletedEvent: IGNORE,
  messageRetractedEvent: IGNORE,
  userBannedEvent: IGNORE,
  pollEvent: IGNORE,
  sponsorOnlyModeStartedEvent: IGNORE,
  sponsorOnlyModeEndedEvent: IGNORE,
  tombstone: IGNORE,
  // Retired in 2017 (replaced by Super Chat); never sent by live chats today.
  fanFundingEvent: IGNORE,
  chatEndedEvent: 'end',
};

/**
 * The key a message is deduplicated by: its id, and for a giftEvent also its combo count,
 * because YouTube may send every step of a combo under one id.
 */
export function dedupeKey(item: RawItem): string {
  if (item.snippet.type !== 'giftEvent') return item.id;
  const d = details(item, 'giftDetails');
  return `${item.id}\u0000${d?.comboCount ?? ''}`;
}

/** Maps one chat message (already checked against ItemSchema). */
export function mapItem(item: RawItem, ctx: MappingContext): ItemResult {
  // Own keys only: a hostile type such as `constructor` or `__proto__` finds nothing.
  const route = routeFor(ROUTES, item.snippet.type);
  if (route === undefined) return bad('unknown_type');
  if (route === IGNORE) return NOTHING;
  if (route === 'end') return { events: [], ended: true };
  const user = authorUser(item);
  return user ? route(item, ctx, user) : bad('author_missing');
}

/** The broadcast's concurrentViewers as a viewers event (id by video and second, stamped `now`). */
export function viewersEvent(videoId: string, count: number, source: string, now: number): BridgeEvent {
  return { id: `${videoId}:viewers:${Math.floor(now / 1000)}`, platform: PLATFORM, source, ts: now, kind: 'viewers', count };
}
