/**
 * `platform: twitch` (chat over IRC-on-WebSocket, anonymous or with a token) and
 * `platform: twitch-eventsub` (follows, subscriptions, cheers and stream state through EventSub,
 * with a user token). Zod only: loading the config never loads the adapter.
 */
import { z } from 'zod';
import { SourceBaseShape } from '../../src/config/sections/source-base.js';
import type { SourceNaming } from '../kit/plugin.js';

/** Upstream defaults; every URL can be overridden (proxies, tests). */
export const TWITCH_DEFAULTS = {
  irc: 'wss://irc-ws.chat.twitch.tv:443',
  eventsub: 'wss://eventsub.wss.twitch.tv/ws',
  helix: 'https://api.twitch.tv/helix',
  /** Twitch's OAuth server: `GET <oauth>/validate` names a token's user, client id and scopes (check --online). */
  oauth: 'https://id.twitch.tv/oauth2',
} as const;

const Ms = z.number().int().positive();
const Value = z.number().int().nonnegative().max(1_000_000_000);

/** A channel login as configured: the login itself or a twitch.tv/<login> URL, lower-cased. */
export function channelFrom(channel: string): string | undefined {
  const trimmed = channel.trim().replace(/^#/, '');
  const m = /^(?:(?:https?:\/\/)?(?:www\.|m\.)?twitch\.tv\/)?([A-Za-z0-9_]{2,25})\/?(?:[?#].*)?$/.exec(trimmed);
  return m?.[1]?.toLowerCase();
}

const Channel = z
  .string()
  .refine((v) => channelFrom(v) !== undefined, 'a channel login (letters, digits, _) or a https://twitch.tv/<login> URL');

/** Money settings shared by both sources and their replays: one unit for bits and gifted subs (default: bits). */
export const PaidShape = {
  /** The value of one bit (≈ US$0.01); bits are counted, this is each one's unit value. */
  bits_value: Value.default(1),
  /** The value of one gifted sub by plan, in the same unit as bits (default: the bits a sub costs). */
  gift_sub_values: z.strictObject({ '1000': Value.default(500), '2000': Value.default(1000), '3000': Value.default(2500) }).prefault({}),
};

const BackoffShape = {
  reconnect_base_ms: Ms.default(1_000),
  reconnect_max_ms: Ms.default(120_000),
};

/** `platform: twitch`: one channel's chat, read over IRC on a WebSocket. */
export const TwitchSourceSchema = z
  .strictObject({
    ...SourceBaseShape,
    platform: z.literal('twitch'),
    /** The channel's login (twitch.tv/<login>) or that URL. */
    channel: Channel,
    /** Log in as this account (its login) with `token`; empty = anonymous (justinfan + digits), which reads chat just as well. */
    nick: z.union([z.literal(''), z.string().regex(/^[A-Za-z0-9_]{2,25}$/, 'a Twitch login')]).default(''),
    /** A user access token with chat:read for `nick` (with or without `oauth:`); empty = anonymous. */
    token: z.string().default(''),
    /**
     * Whether this source reports cheers, gifted subs and subs. Turn it off when a
     * twitch-eventsub source on the same channel reports them instead (check refuses both).
     */
    paid_events: z.boolean().default(true),
    ...PaidShape,
    urls: z.strictObject({ irc: z.url({ protocol: /^wss?$/ }).default(TWITCH_DEFAULTS.irc) }).prefault({}),
    /** Silence for this long → we send our own PING. */
    ping_interval_ms: Ms.default(60_000),
    /** No line within this long after our PING → the socket is dead and replaced. */
    pong_timeout_ms: Ms.default(10_000),
    ...BackoffShape,
  })
  .refine((s) => (s.token === '') === (s.nick === ''), {
    message: 'token and nick go together: set both, or neither for anonymous reading',
    path: ['nick'],
  });
/** A parsed `platform: twitch` source, defaults applied. */
export type TwitchSourceConfig = z.infer<typeof TwitchSourceSchema>;

/** A chat source is named after its channel login, however the channel was written. */
export const TWITCH_NAMING: SourceNaming<TwitchSourceConfig> = {
  platform: 'twitch',
  room: (config) => channelFrom(config.channel) ?? config.channel,
};

/** What an EventSub source can report; each maps to subscription types (docs/platforms/twitch.md). */
export const EVENTSUB_KINDS = ['follow', 'stream', 'subscribe', 'gift', 'cheer'] as const;
/** One of {@link EVENTSUB_KINDS}. */
export type EventSubKind = (typeof EVENTSUB_KINDS)[number];
/** The kinds that carry money, which only one Twitch source per channel may report. */
export const PAID_KINDS: readonly EventSubKind[] = ['subscribe', 'gift', 'cheer'];

/** `platform: twitch-eventsub`: EventSub over WebSocket with a user access token. */
export const TwitchEventSubSourceSchema = z.strictObject({
  ...SourceBaseShape,
  platform: z.literal('twitch-eventsub'),
  /** The channel's login (twitch.tv/<login>) or that URL. */
  channel: Channel,
  /** Your application's client id (dev.twitch.tv/console); a secret here. */
  client_id: z.string().min(1),
  /** A user access token of the broadcaster (or a moderator, for follows) issued to `client_id`. */
  token: z.string().min(1),
  /** What to report. Default: follows and stream online/offline; add subscribe, gift, cheer to have EventSub report the money. */
  events: z
    .array(z.enum(EVENTSUB_KINDS))
    .min(1)
    .default(['follow', 'stream'])
    .transform((kinds) => [...new Set(kinds)]),
  ...PaidShape,
  /** Viewer count from Helix streams this often while live; 0 = off. */
  viewers_interval_ms: z.number().int().min(0).default(60_000),
  /** Asked of the server as keepalive_timeout_seconds (10–600); the socket counts as dead after 1.2 × the welcome's value. */
  keepalive_timeout_s: z.number().int().min(10).max(600).default(10),
  /** Notifications older than this are dropped (Twitch redelivers for a while after an outage). */
  max_message_age_ms: Ms.default(600_000),
  request_timeout_ms: Ms.default(10_000),
  ...BackoffShape,
  /** Wait after a refusal (revoked subscription, rejected token) before trying again. */
  blocked_retry_ms: Ms.default(300_000),
  urls: z
    .strictObject({
      eventsub: z.url({ protocol: /^wss?$/ }).default(TWITCH_DEFAULTS.eventsub),
      /** Base of /users, /streams and /eventsub/subscriptions. */
      helix: z.url().default(TWITCH_DEFAULTS.helix),
      /** Base of /validate, which `check --online` asks for the token's client id and scopes. */
      oauth: z.url().default(TWITCH_DEFAULTS.oauth),
    })
    .prefault({}),
});
/** A parsed `platform: twitch-eventsub` source, defaults applied. */
export type TwitchEventSubSourceConfig = z.infer<typeof TwitchEventSubSourceSchema>;

/** An EventSub source is named after its channel login too (`twitch-eventsub:<login>`). */
export const TWITCH_EVENTSUB_NAMING: SourceNaming<TwitchEventSubSourceConfig> = {
  platform: 'twitch-eventsub',
  room: (config) => channelFrom(config.channel) ?? config.channel,
};

/** A chat replay's `options`: the money settings, and whether the capture's chat reported it. */
export const ChatReplayOptionsSchema = z.object({ paid_events: z.boolean().default(true), ...PaidShape });
/** An EventSub replay's `options`: the money settings. */
export const EventSubReplayOptionsSchema = z.object(PaidShape);
