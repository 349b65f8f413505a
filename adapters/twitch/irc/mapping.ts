/**
 * Twitch chat lines → BridgeEvent, as a route table (command, then USERNOTICE `msg-id`); the
 * table is documented in docs/platforms/twitch.md. Pure but for the community-gift memory in
 * the context. CLEARCHAT, CLEARMSG, NOTICE and every line not in the table report nothing.
 */
import type { BridgeEvent, User } from '../../../src/core/events.js';
import { eventId, hashId, PLATFORM } from '../ids.js';
import { giftOfBits, giftOfSubs, subscriberPlan, type PaidValues } from '../paid.js';
import { stripCheermotes } from './cheer.js';
import type { CommunityGifts } from './community-gifts.js';
import type { IrcMessage } from './parse.js';
import { userFromTags } from './user.js';

/** What mapping needs besides the line. */
export interface ChatMappingContext extends PaidValues {
  /** The configured source name, stamped on every event. */
  source: string;
  /** Receive time, for lines without `tmi-sent-ts`. */
  now(): number;
  communityGifts: CommunityGifts;
  /**
   * Whether this source reports money (cheers, subs, gifted subs). Off when an EventSub source
   * owns them (adapters/twitch/ownership.ts): then those lines, their text included, report nothing here.
   */
  paidEvents: boolean;
}

type Route = (msg: IrcMessage, ctx: ChatMappingContext) => BridgeEvent[];

/** CTCP's delimiter around a `/me` action (`\x01ACTION text\x01`). */
const CTCP = '\u0001';
const ACTION_PREFIX = `${CTCP}ACTION `;

function tag(msg: IrcMessage, key: string): string {
  return msg.tags.get(key) ?? '';
}

function count(msg: IrcMessage, key: string): number {
  const raw = tag(msg, key);
  return /^\d{1,9}$/.test(raw) ? Number(raw) : 0;
}

function timestamp(msg: IrcMessage, ctx: ChatMappingContext): number {
  const raw = tag(msg, 'tmi-sent-ts');
  return /^\d{1,15}$/.test(raw) ? Number(raw) : ctx.now();
}

/** The line's `id` tag, or a hash of what makes it unique when a line lacks one. */
function lineId(msg: IrcMessage): string {
  const id = tag(msg, 'id');
  return id ? eventId(id) : hashId('line', [msg.command, tag(msg, 'room-id'), tag(msg, 'user-id'), tag(msg, 'tmi-sent-ts'), ...msg.params]);
}

function base(msg: IrcMessage, ctx: ChatMappingContext) {
  return { platform: PLATFORM, source: ctx.source, ts: timestamp(msg, ctx) };
}

/** PRIVMSG's text: the trailing param, a `/me` action unwrapped. */
function chatText(msg: IrcMessage): string {
  const text = msg.params[1] ?? '';
  return text.startsWith(ACTION_PREFIX) && text.endsWith(CTCP) && text.length > ACTION_PREFIX.length
    ? text.slice(ACTION_PREFIX.length, -1)
    : text;
}

const privmsg: Route = (msg, ctx) => {
  const user = userFromTags(msg.tags, msg.prefix?.nick ?? '');
  const id = lineId(msg);
  const text = chatText(msg);
  const bits = count(msg, 'bits');
  if (bits === 0) return [{ ...base(msg, ctx), kind: 'comment', id, user, text }];
  if (!ctx.paidEvents) return [];
  const events: BridgeEvent[] = [{ ...base(msg, ctx), kind: 'gift', id: `${id}:bits`, user, gift: giftOfBits(bits, ctx) }];
  const rest = stripCheermotes(text, bits);
  if (rest !== '') events.push({ ...base(msg, ctx), kind: 'comment', id, user, text: rest });
  return events;
};

/** The notice's sender: the `login` tag is their login (and the fallback name). */
function sender(msg: IrcMessage): User {
  return userFromTags(msg.tags, tag(msg, 'login'));
}

/** Months so far: `msg-param-cumulative-months`; a first `sub` without it is month 1. */
function months(msg: IrcMessage): number {
  return count(msg, 'msg-param-cumulative-months') || (tag(msg, 'msg-id') === 'sub' ? 1 : 0);
}

/** A sub or resub: the subscription, and the message they attached (if any) as a comment. */
const subscription: Route = (msg, ctx) => {
  const user = sender(msg);
  const id = lineId(msg);
  const events: BridgeEvent[] = [
    {
      ...base(msg, ctx),
      kind: 'subscribe',
      id,
      user,
      subscription: { tier: subscriberPlan(tag(msg, 'msg-param-sub-plan')), months: months(msg) },
    },
  ];
  const text = (msg.params[1] ?? '').trim();
  if (text !== '') events.push({ ...base(msg, ctx), kind: 'comment', id: `${id}:text`, user, text });
  return events;
};

/** An upgrade of a gifted or Prime sub to a paid one: a subscription whose months Twitch does not say. */
const upgrade: Route = (msg, ctx) => [
  {
    ...base(msg, ctx),
    kind: 'subscribe',
    id: lineId(msg),
    user: sender(msg),
    subscription: { tier: subscriberPlan(tag(msg, 'msg-param-sub-plan')), months: 0 },
  },
];

/** One gifted sub, unless it is one of the notices that follow a community gift already counted. */
const subgift: Route = (msg, ctx) => {
  if (ctx.communityGifts.belongsToAnnounced(msg.tags, ctx.now())) return [];
  return [
    { ...base(msg, ctx), kind: 'gift', id: lineId(msg), user: sender(msg), gift: giftOfSubs(tag(msg, 'msg-param-sub-plan'), 1, ctx) },
  ];
};

/** A community gift of N subs: one gift of N; the N notices that follow are folded into it. */
const submysterygift: Route = (msg, ctx) => {
  ctx.communityGifts.announce(msg.tags, ctx.now());
  const n = Math.max(1, count(msg, 'msg-param-mass-gift-count'));
  return [
    { ...base(msg, ctx), kind: 'gift', id: lineId(msg), user: sender(msg), gift: giftOfSubs(tag(msg, 'msg-param-sub-plan'), n, ctx) },
  ];
};

/** A raid: the raiding channel joins. */
const raid: Route = (msg, ctx) => {
  const login = tag(msg, 'msg-param-login') || tag(msg, 'login');
  const user = userFromTags(msg.tags, login);
  const shown = tag(msg, 'msg-param-displayName').trim();
  return [{ ...base(msg, ctx), kind: 'join', id: lineId(msg), user: shown ? { ...user, name: shown } : user }];
};

/** A route that reports only while this source owns the money. */
function paid(route: Route): Route {
  return (msg, ctx) => (ctx.paidEvents ? route(msg, ctx) : []);
}

/** USERNOTICE `msg-id` → route; announcements, milestones, rituals and the rest report nothing. */
export const USERNOTICE_ROUTES: Readonly<Record<string, Route>> = {
  sub: paid(subscription),
  resub: paid(subscription),
  subgift: paid(subgift),
  anonsubgift: paid(subgift),
  submysterygift: paid(submysterygift),
  anonsubmysterygift: paid(submysterygift),
  giftpaidupgrade: paid(upgrade),
  anongiftpaidupgrade: paid(upgrade),
  primepaidupgrade: paid(upgrade),
  raid,
};

const usernotice: Route = (msg, ctx) => {
  const kind = tag(msg, 'msg-id');
  return Object.hasOwn(USERNOTICE_ROUTES, kind) ? USERNOTICE_ROUTES[kind]!(msg, ctx) : [];
};

/** Command → route. Everything else (CLEARCHAT, CLEARMSG, NOTICE, USERSTATE, ...) reports nothing. */
export const CHAT_ROUTES: Readonly<Record<string, Route>> = { PRIVMSG: privmsg, USERNOTICE: usernotice };

/** The events one chat line reports (often none). */
export function mapChatLine(msg: IrcMessage, ctx: ChatMappingContext): BridgeEvent[] {
  return Object.hasOwn(CHAT_ROUTES, msg.command) ? CHAT_ROUTES[msg.command]!(msg, ctx) : [];
}
