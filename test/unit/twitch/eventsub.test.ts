import { describe, expect, it } from 'vitest';
import { EventSubInbox } from '../../../adapters/twitch/eventsub/inbox.js';
import { mapNotification, type EventSubMappingContext } from '../../../adapters/twitch/eventsub/mapping.js';
import { parseEventSubFrame } from '../../../adapters/twitch/eventsub/messages.js';
import { scopesFor, subscriptionsFor } from '../../../adapters/twitch/eventsub/subscriptions.js';

const CTX: EventSubMappingContext = { source: 'es', bitsValue: 1, subValues: { '1000': 500, '2000': 1000, '3000': 2500 } };
const AT = Date.parse('2026-12-01T12:00:00.123456789Z');

function message(type: string, payload: unknown, extra: Record<string, string> = {}) {
  return JSON.stringify({
    metadata: { message_id: 'mid-1', message_type: type, message_timestamp: '2026-12-01T12:00:00.123456789Z', ...extra },
    payload,
  });
}

function notification(type: string, event: unknown, id = 'mid-1') {
  return JSON.stringify({
    metadata: {
      message_id: id,
      message_type: 'notification',
      message_timestamp: '2026-12-01T12:00:00.123456789Z',
      subscription_type: type,
      subscription_version: '1',
    },
    payload: { subscription: { id: 'sub-1', type, version: '1', status: 'enabled', condition: {}, transport: {}, created_at: '' }, event },
  });
}

describe('parseEventSubFrame', () => {
  it('reads a welcome, a keepalive, a reconnect, a revocation and an unknown type', () => {
    expect(
      parseEventSubFrame(
        message('session_welcome', { session: { id: 'S1', status: 'connected', keepalive_timeout_seconds: 10, reconnect_url: null } }),
      ),
    ).toEqual({
      ok: true,
      frame: {
        type: 'welcome',
        id: 'mid-1',
        session: { id: 'S1', status: 'connected', keepalive_timeout_seconds: 10, reconnect_url: null },
      },
    });
    expect(parseEventSubFrame(message('session_keepalive', {}))).toEqual({ ok: true, frame: { type: 'keepalive', id: 'mid-1' } });
    expect(
      parseEventSubFrame(
        message('session_reconnect', {
          session: { id: 'S1', status: 'reconnecting', keepalive_timeout_seconds: null, reconnect_url: 'wss://x/ws?id=1' },
        }),
      ),
    ).toEqual({ ok: true, frame: { type: 'reconnect', id: 'mid-1', url: 'wss://x/ws?id=1' } });
    expect(
      parseEventSubFrame(
        message('revocation', { subscription: { id: 's', type: 'channel.follow', version: '2', status: 'authorization_revoked' } }),
      ),
    ).toEqual({
      ok: true,
      frame: { type: 'revocation', id: 'mid-1', subscriptionType: 'channel.follow', status: 'authorization_revoked' },
    });
    expect(parseEventSubFrame(message('something_new', {}))).toEqual({
      ok: true,
      frame: { type: 'unknown', id: 'mid-1', messageType: 'something_new' },
    });
  });

  it('reads a notification with nanosecond timestamps, and the batched events[] form', () => {
    expect(parseEventSubFrame(notification('channel.follow', { user_id: '1' }))).toEqual({
      ok: true,
      frame: { type: 'notification', id: 'mid-1', at: AT, subscriptionType: 'channel.follow', events: [{ user_id: '1' }] },
    });
    const batched = JSON.stringify({
      metadata: { message_id: 'b', message_type: 'notification', message_timestamp: '2026-12-01T12:00:00Z' },
      payload: { subscription: { id: 's', type: 'channel.cheer', version: '1', status: 'enabled' }, events: [{ a: 1 }, { a: 2 }] },
    });
    expect(parseEventSubFrame(batched)).toMatchObject({ ok: true, frame: { events: [{ a: 1 }, { a: 2 }] } });
  });

  it('refuses garbage with a reason', () => {
    expect(parseEventSubFrame('not json')).toEqual({ ok: false, problem: 'eventsub_not_json' });
    expect(parseEventSubFrame('[]')).toEqual({ ok: false, problem: 'eventsub_malformed' });
    expect(parseEventSubFrame('{"metadata":{"message_id":1},"payload":{}}')).toEqual({ ok: false, problem: 'eventsub_malformed' });
    expect(parseEventSubFrame(message('session_welcome', {}))).toEqual({ ok: false, problem: 'eventsub_malformed' });
    expect(parseEventSubFrame(message('session_reconnect', { session: { id: 'S', status: 'x', reconnect_url: null } }))).toEqual({
      ok: false,
      problem: 'eventsub_malformed',
    });
    expect(parseEventSubFrame(message('notification', { event: {} }, { message_timestamp: 'yesterday' }))).toEqual({
      ok: false,
      problem: 'eventsub_bad_timestamp',
    });
  });
});

describe('mapNotification', () => {
  const meta = { id: 'm1', at: AT };
  const base = { platform: 'twitch', source: 'es', ts: AT };
  const user = (id: string, name: string) => ({ id, name, level: 0, badge: '', badgeLevel: 0 });

  it('channel.follow v2 → follow at followed_at', () => {
    expect(
      mapNotification(
        'channel.follow',
        [
          {
            user_id: '1234',
            user_login: 'cool_user',
            user_name: 'Cool_User',
            broadcaster_user_id: '1',
            followed_at: '2026-12-01T11:59:59.5Z',
          },
        ],
        meta,
        CTX,
      ),
    ).toEqual({
      events: [{ ...base, ts: Date.parse('2026-12-01T11:59:59.5Z'), id: 'es:m1', kind: 'follow', user: user('1234', 'Cool_User') }],
      problems: 0,
    });
  });

  it('channel.subscribe → subscribe, but a gifted sub recipient reports nothing (the gift is counted once)', () => {
    expect(
      mapNotification(
        'channel.subscribe',
        [{ user_id: '5', user_login: 'sub', user_name: '订阅者', tier: '2000', is_gift: false }],
        meta,
        CTX,
      ),
    ).toEqual({
      events: [{ ...base, id: 'es:m1', kind: 'subscribe', user: user('5', '订阅者'), subscription: { tier: '2000', months: 1 } }],
      problems: 0,
    });
    expect(
      mapNotification('channel.subscribe', [{ user_id: '5', user_login: 'sub', user_name: 'x', tier: '1000', is_gift: true }], meta, CTX),
    ).toEqual({ events: [], problems: 0 });
  });

  it('channel.subscription.message → subscribe with cumulative months, and the message as a comment', () => {
    expect(
      mapNotification(
        'channel.subscription.message',
        [
          {
            user_id: '6',
            user_login: 'loyal',
            user_name: '',
            tier: '1000',
            cumulative_months: 15,
            streak_months: null,
            duration_months: 1,
            message: { text: 'Love it', emotes: [] },
          },
        ],
        meta,
        CTX,
      ),
    ).toEqual({
      events: [
        { ...base, id: 'es:m1', kind: 'subscribe', user: user('6', 'loyal'), subscription: { tier: '1000', months: 15 } },
        { ...base, id: 'es:m1:text', kind: 'comment', user: user('6', 'loyal'), text: 'Love it' },
      ],
      problems: 0,
    });
  });

  it('channel.subscription.gift → one gift of total; anonymous gifters are Anonymous', () => {
    expect(
      mapNotification(
        'channel.subscription.gift',
        [{ user_id: '7', user_login: 'whale', user_name: 'Whale', total: 5, tier: '1000', cumulative_total: 50, is_anonymous: false }],
        meta,
        CTX,
      ),
    ).toEqual({
      events: [
        {
          ...base,
          id: 'es:m1',
          kind: 'gift',
          user: user('7', 'Whale'),
          gift: { giftId: 'sub_1000', name: 'Tier 1 Sub', count: 5, unitValue: 500 },
        },
      ],
      problems: 0,
    });
    expect(
      mapNotification(
        'channel.subscription.gift',
        [{ user_id: null, user_login: null, user_name: null, total: 2, tier: '3000', cumulative_total: null, is_anonymous: true }],
        meta,
        CTX,
      ).events[0],
    ).toMatchObject({ user: user('anonymous', 'Anonymous'), gift: { count: 2, unitValue: 2500 } });
  });

  it('channel.cheer → Bits gift, and the text left after the cheermotes as a comment', () => {
    expect(
      mapNotification(
        'channel.cheer',
        [{ is_anonymous: false, user_id: '8', user_login: 'fan', user_name: 'Fan', message: 'Cheer100 你好', bits: 100 }],
        meta,
        CTX,
      ),
    ).toEqual({
      events: [
        {
          ...base,
          id: 'es:m1:bits',
          kind: 'gift',
          user: user('8', 'Fan'),
          gift: { giftId: 'bits', name: 'Bits', count: 100, unitValue: 1 },
        },
        { ...base, id: 'es:m1', kind: 'comment', user: user('8', 'Fan'), text: '你好' },
      ],
      problems: 0,
    });
    expect(
      mapNotification(
        'channel.cheer',
        [{ is_anonymous: true, user_id: null, user_login: null, user_name: null, message: 'Cheer5', bits: 5 }],
        meta,
        CTX,
      ).events,
    ).toHaveLength(1);
  });

  it('stream.online/offline → stream state changes', () => {
    expect(mapNotification('stream.online', [{ id: '1', broadcaster_user_id: '1', type: 'live', started_at: '' }], meta, CTX)).toEqual({
      events: [],
      stream: { state: 'live' },
      problems: 0,
    });
    expect(mapNotification('stream.offline', [{ broadcaster_user_id: '1' }], meta, CTX)).toEqual({
      events: [],
      stream: { state: 'ended', reason: 'the stream went offline (stream.offline)' },
      problems: 0,
    });
  });

  it('counts events that do not fit their type, maps the rest, and ignores unknown types', () => {
    expect(mapNotification('channel.follow', [{ user_id: 5 }, { user_id: '9', user_login: 'a', user_name: 'A' }], meta, CTX)).toEqual({
      events: [{ ...base, id: 'es:m1:1', kind: 'follow', user: user('9', 'A') }],
      problems: 1,
    });
    expect(mapNotification('channel.raid', [{}], meta, CTX)).toEqual({ events: [], problems: 0 });
    expect(mapNotification('__proto__', [{}], meta, CTX)).toEqual({ events: [], problems: 0 });
  });
});

describe('EventSubInbox', () => {
  const inbox = () => new EventSubInbox({ maxAgeMs: 600_000, ctx: CTX });
  const frame = (id: string, at: number) =>
    ({
      type: 'notification',
      id,
      at,
      subscriptionType: 'channel.follow',
      events: [{ user_id: '1', user_login: 'a', user_name: 'A' }],
    }) as const;

  it('reports a notification once: the same message_id again (on this or another socket) is a duplicate', () => {
    const box = inbox();
    expect(box.accept(frame('dup', AT), AT + 5)).toMatchObject({ kind: 'notification', events: [{ id: 'es:dup', kind: 'follow' }] });
    expect(box.accept(frame('dup', AT), AT + 60_000)).toEqual({ kind: 'duplicate' });
    expect(box.accept(frame('other', AT), AT + 60_000)).toMatchObject({ kind: 'notification' });
  });

  it('drops notifications older than the age limit', () => {
    expect(inbox().accept(frame('old', AT), AT + 600_001)).toEqual({ kind: 'stale', ageMs: 600_001 });
    expect(inbox().accept(frame('edge', AT), AT + 600_000)).toMatchObject({ kind: 'notification' });
  });

  it('turns a revocation into a reason an operator can act on', () => {
    expect(
      inbox().accept({ type: 'revocation', id: 'r', subscriptionType: 'channel.follow', status: 'authorization_revoked' }, AT),
    ).toEqual({
      kind: 'revoked',
      reason: 'twitch revoked the channel.follow subscription (authorization_revoked)',
    });
  });
});

describe('subscriptions', () => {
  it('each kind names its subscription types, versions and conditions; follows need the moderator', () => {
    expect(subscriptionsFor(['follow', 'stream', 'subscribe', 'gift', 'cheer'], { broadcasterId: '100', tokenUserId: '200' })).toEqual([
      { type: 'channel.follow', version: '2', condition: { broadcaster_user_id: '100', moderator_user_id: '200' } },
      { type: 'stream.online', version: '1', condition: { broadcaster_user_id: '100' } },
      { type: 'stream.offline', version: '1', condition: { broadcaster_user_id: '100' } },
      { type: 'channel.subscribe', version: '1', condition: { broadcaster_user_id: '100' } },
      { type: 'channel.subscription.message', version: '1', condition: { broadcaster_user_id: '100' } },
      { type: 'channel.subscription.gift', version: '1', condition: { broadcaster_user_id: '100' } },
      { type: 'channel.cheer', version: '1', condition: { broadcaster_user_id: '100' } },
    ]);
    expect(scopesFor(['follow', 'stream'])).toEqual(['moderator:read:followers']);
    expect(scopesFor(['cheer', 'gift', 'subscribe', 'follow'])).toEqual([
      'bits:read',
      'channel:read:subscriptions',
      'moderator:read:followers',
    ]);
  });
});
