/**
 * The EventSub source against the fake Twitch API (Helix + EventSub socket) over real HTTP and
 * WebSockets: subscriptions created after the welcome with the exact bodies and headers, the
 * keepalive watchdog, session_reconnect with the old socket kept until the new welcome, a plain
 * disconnect (subscribe again), duplicate and stale notifications, the 4003 deadline, a
 * revocation, a refused token, stream online/offline and the viewer poll.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../helpers/wait.js';
import { FakeTwitchApi, type FakeTwitchApiOptions } from '../../helpers/twitch/fake-eventsub.js';
import { CHANNEL, startEventSub } from '../../helpers/twitch/scenario.js';

const CLIENT_ID = 'fake-client-id-0123456789';
const TOKEN = 'broadcaster-user-token-abcdef';
const BROADCASTER = { id: '71092938', login: CHANNEL.login, displayName: CHANNEL.displayName };
const FOLLOWER = { user_id: '1337', user_login: 'new_fan', user_name: '新粉丝' };
const ALL_SCOPES = ['moderator:read:followers', 'channel:read:subscriptions', 'bits:read'];

const undo: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of undo.splice(0).reverse()) await step();
});

async function world(o: { section?: Record<string, unknown>; api?: Partial<FakeTwitchApiOptions>; live?: boolean } = {}) {
  const api = new FakeTwitchApi({
    clientId: CLIENT_ID,
    tokens: { [TOKEN]: { userId: BROADCASTER.id, scopes: ALL_SCOPES } },
    users: [BROADCASTER, { id: FOLLOWER.user_id, login: FOLLOWER.user_login, displayName: FOLLOWER.user_name }],
    streams: o.live === false ? {} : { [BROADCASTER.id]: { id: '40000000001', viewerCount: 4321, title: '直播中' } },
    subscriptionDeadlineMs: 2_000,
    ...o.api,
  });
  await api.listen();
  undo.push(() => api.close());
  const h = await startEventSub({ client_id: CLIENT_ID, token: TOKEN, urls: api.urls(), ...o.section });
  undo.push(() => h.stop());
  return { api, h };
}

const base = (ts: number) => ({ platform: 'twitch', source: `twitch-eventsub:${CHANNEL.login}`, ts });

async function subscribed(api: FakeTwitchApi, index: number, count: number) {
  const conn = await api.connection(index);
  await waitFor(
    () => conn.subscriptions().length === count,
    () => `${count} subscriptions on socket ${index} (have ${conn.subscriptions().length})`,
  );
  return conn;
}

async function live(h: { states: { state: string }[] }, n = 1) {
  await waitFor(() => h.states.filter((s) => s.state === 'live').length >= n, `live #${n}`);
}

describe('twitch eventsub source', () => {
  it('subscribes right after the welcome with the exact Helix bodies, goes live and polls the viewer count', async () => {
    const { api, h } = await world();
    const conn = await subscribed(api, 0, 3);
    await live(h);
    expect(conn.path).toBe('/ws?keepalive_timeout_seconds=10');
    const posts = api.calls('POST', '/eventsub/subscriptions');
    expect(posts.map((r) => JSON.parse(r.body) as unknown).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([
      {
        type: 'channel.follow',
        version: '2',
        condition: { broadcaster_user_id: BROADCASTER.id, moderator_user_id: BROADCASTER.id },
        transport: { method: 'websocket', session_id: conn.sessionId },
      },
      {
        type: 'stream.offline',
        version: '1',
        condition: { broadcaster_user_id: BROADCASTER.id },
        transport: { method: 'websocket', session_id: conn.sessionId },
      },
      {
        type: 'stream.online',
        version: '1',
        condition: { broadcaster_user_id: BROADCASTER.id },
        transport: { method: 'websocket', session_id: conn.sessionId },
      },
    ]);
    expect(
      posts.every((r) => r.status === 202 && r.headers.authorization === `Bearer ${TOKEN}` && r.headers['client-id'] === CLIENT_ID),
    ).toBe(true);
    expect(api.requests.map((r) => `${r.method} ${r.path}?${r.query.toString()}`).slice(0, 2)).toEqual([
      'GET /users?login=somechan',
      'GET /users?',
    ]);
    expect(h.states.at(-1)).toEqual({ state: 'live', roomId: BROADCASTER.id, title: '直播中' });

    await waitFor(() => h.events.length === 1, 'the first viewer count');
    const first = h.events[0]!;
    expect(first).toEqual({ ...base(h.clock.now()), kind: 'viewers', id: `viewers:40000000001:${h.clock.now()}`, count: 4321 });
    api.options.streams![BROADCASTER.id]!.viewerCount = 5000;
    await h.clock.advanceAsync(60_000);
    await waitFor(() => h.events.length === 2, 'the second viewer count');
    expect(h.events[1]).toMatchObject({ kind: 'viewers', count: 5000, ts: first.ts + 60_000 });
    expect(JSON.stringify(h.logs)).not.toContain(TOKEN);
    expect(JSON.stringify(h.logs)).not.toContain(CLIENT_ID);
  });

  it('maps a follow exactly and reports a duplicate message_id once', async () => {
    const { api, h } = await world({ section: { viewers_interval_ms: 0 } });
    const conn = await subscribed(api, 0, 3);
    await live(h);
    const at = new Date(h.clock.now() - 1_000).toISOString();
    const event = {
      ...FOLLOWER,
      broadcaster_user_id: BROADCASTER.id,
      broadcaster_user_login: CHANNEL.login,
      broadcaster_user_name: CHANNEL.displayName,
      followed_at: at,
    };
    const seen = h.frames();
    conn.notify('channel.follow', event, { messageId: 'befa7b53-d79d-478f-86b9-120f112b044e', timestamp: at });
    conn.notify('channel.follow', event, { messageId: 'befa7b53-d79d-478f-86b9-120f112b044e', timestamp: at });
    conn.keepalive();
    // Frames are handled in order: once the keepalive is in, both notifications were handled.
    await waitFor(() => h.frames() === seen + 3, 'the three frames');
    expect(h.events).toEqual([
      {
        ...base(Date.parse(at)),
        kind: 'follow',
        id: 'es:befa7b53-d79d-478f-86b9-120f112b044e',
        user: { id: '1337', name: '新粉丝', level: 0, badge: '', badgeLevel: 0 },
      },
    ]);
  });

  it('drops a notification older than ten minutes, counted', async () => {
    const { api, h } = await world({ section: { viewers_interval_ms: 0 } });
    const conn = await subscribed(api, 0, 3);
    await live(h);
    conn.notify('channel.follow', { ...FOLLOWER, followed_at: '' }, { timestamp: new Date(h.clock.now() - 11 * 60_000).toISOString() });
    await waitFor(() => h.discards.length === 1, 'the stale discard');
    expect(h.discards).toEqual([{ reason: 'eventsub_stale', count: 1 }]);
    expect(h.events).toEqual([]);
  });

  it('reports subscriptions, gifts and cheers when configured to own them', async () => {
    const { api, h } = await world({ section: { viewers_interval_ms: 0, events: ['subscribe', 'gift', 'cheer'] } });
    const conn = await subscribed(api, 0, 4);
    await live(h);
    const ts = new Date(h.clock.now()).toISOString();
    conn.notify(
      'channel.subscription.gift',
      { user_id: '300', user_login: 'whale', user_name: 'Whale', total: 5, tier: '1000', cumulative_total: 9, is_anonymous: false },
      { messageId: 'g1', timestamp: ts },
    );
    // Each recipient's channel.subscribe says is_gift: the gift above is not counted again.
    for (let i = 1; i <= 5; i += 1)
      conn.notify(
        'channel.subscribe',
        { user_id: `90${i}`, user_login: `r${i}`, user_name: `R${i}`, tier: '1000', is_gift: true },
        { messageId: `r${i}`, timestamp: ts },
      );
    conn.notify(
      'channel.subscription.message',
      {
        user_id: '101',
        user_login: 'loyal',
        user_name: '老粉',
        tier: '2000',
        cumulative_months: 13,
        message: { text: '又一年！', emotes: [] },
      },
      { messageId: 'rs1', timestamp: ts },
    );
    conn.notify(
      'channel.cheer',
      { is_anonymous: false, user_id: '7000', user_login: 'cheerfan', user_name: 'CheerFan', message: 'Cheer100 great stream!', bits: 100 },
      { messageId: 'ch1', timestamp: ts },
    );
    await waitFor(
      () => h.events.length === 5,
      () => `5 events (got ${JSON.stringify(h.events)})`,
    );
    const u = (id: string, name: string) => ({ id, name, level: 0, badge: '', badgeLevel: 0 });
    expect(h.events).toEqual([
      {
        ...base(h.clock.now()),
        kind: 'gift',
        id: 'es:g1',
        user: u('300', 'Whale'),
        gift: { giftId: 'sub_1000', name: 'Tier 1 Sub', count: 5, unitValue: 500 },
      },
      { ...base(h.clock.now()), kind: 'subscribe', id: 'es:rs1', user: u('101', '老粉'), subscription: { tier: '2000', months: 13 } },
      { ...base(h.clock.now()), kind: 'comment', id: 'es:rs1:text', user: u('101', '老粉'), text: '又一年！' },
      {
        ...base(h.clock.now()),
        kind: 'gift',
        id: 'es:ch1:bits',
        user: u('7000', 'CheerFan'),
        gift: { giftId: 'bits', name: 'Bits', count: 100, unitValue: 1 },
      },
      { ...base(h.clock.now()), kind: 'comment', id: 'es:ch1', user: u('7000', 'CheerFan'), text: 'great stream!' },
    ]);
  });

  it('treats 1.2 × keepalive of silence as a dead socket, then subscribes again on the new session', async () => {
    const { api, h } = await world({ section: { viewers_interval_ms: 0 } });
    const first = await subscribed(api, 0, 3);
    await live(h);
    await h.clock.advanceAsync(11_000);
    const seen = h.frames();
    first.keepalive();
    await waitFor(() => h.frames() === seen + 1, 'the keepalive received');
    await h.clock.advanceAsync(11_900);
    expect(api.connections).toHaveLength(1);
    await h.clock.advanceAsync(200);
    const second = await subscribed(api, 1, 3);
    expect(h.reconnects).toEqual(['initial', 'stall']);
    expect(second.sessionId).not.toBe(first.sessionId);
    expect(api.calls('POST', '/eventsub/subscriptions')).toHaveLength(6);
  });

  it('session_reconnect: the old socket stays open until the new welcome, subscriptions carry over, nothing is reported twice', async () => {
    const { api, h } = await world({
      section: { viewers_interval_ms: 0 },
      api: { autoWelcome: (path) => !path.startsWith('/reconnect') },
    });
    const first = await subscribed(api, 0, 3);
    await live(h);
    const url = first.sendReconnect();
    const second = await api.connection(1);
    expect(`${api.wsBase}${second.path}`).toBe(url);
    // Before the new welcome the old socket still delivers.
    const ts = new Date(h.clock.now()).toISOString();
    first.notify('channel.follow', { ...FOLLOWER, followed_at: ts }, { messageId: 'before-move', timestamp: ts });
    await waitFor(() => h.events.length === 1, 'the follow on the old socket');
    expect(first.open).toBe(true);
    second.welcome();
    await waitFor(() => first.closedBy !== undefined, 'the old socket closed');
    expect([first.closedBy, first.closeCode]).toEqual(['client', 1000]);
    expect(second.subscriptions()).toHaveLength(3);
    // Twitch may deliver the same notification again on the new socket.
    second.notify('channel.follow', { ...FOLLOWER, followed_at: ts }, { messageId: 'before-move', timestamp: ts });
    second.notify(
      'channel.follow',
      { user_id: '1338', user_login: 'fan2', user_name: 'Fan2', followed_at: ts },
      { messageId: 'after-move', timestamp: ts },
    );
    await waitFor(() => h.events.length === 2, 'the follow on the new socket');
    await new Promise((r) => setTimeout(r, 50));
    expect(h.events.map((e) => e.id)).toEqual(['es:before-move', 'es:after-move']);
    expect(api.calls('POST', '/eventsub/subscriptions')).toHaveLength(3);
    expect(h.reconnects).toEqual(['initial']);
    expect(second.open).toBe(true);
  });

  it('a plain disconnect starts a new session and creates the subscriptions again', async () => {
    const { api, h } = await world({ section: { viewers_interval_ms: 0 } });
    (await subscribed(api, 0, 3)).terminate();
    const second = await subscribed(api, 1, 3);
    expect(h.reconnects).toEqual(['initial', 'closed']);
    expect(api.subscriptions.every((s) => s.sessionId === second.sessionId)).toBe(true);
  });

  it('missing the subscription deadline: Twitch closes with 4003, and the next session subscribes in time', async () => {
    const { api, h } = await world({ section: { viewers_interval_ms: 0 }, api: { subscriptionDeadlineMs: 150 } });
    api.slowSubscribes = 3;
    api.subscribeDelayMs = 600;
    const first = await api.connection(0);
    await waitFor(() => first.closeCode !== undefined, 'the 4003 close');
    expect([first.closedBy, first.closeCode]).toEqual(['server', 4003]);
    await subscribed(api, 1, 3);
    await live(h);
    expect(h.reconnects).toEqual(['initial', 'closed']);
    expect(h.states).toContainEqual({
      state: 'connecting',
      reason:
        'closed: twitch eventsub closed the socket: connection unused: no subscription was created within the deadline after the welcome (4003)',
    });
  });

  it('a revocation blocks the source with the reason, and it retries slowly', async () => {
    const { api, h } = await world({ section: { viewers_interval_ms: 0, blocked_retry_ms: 300_000 } });
    const conn = await subscribed(api, 0, 3);
    await live(h);
    conn.revoke('channel.follow', 'authorization_revoked');
    await waitFor(() => h.states.at(-1)?.state === 'blocked', 'blocked');
    expect(h.states.at(-1)).toEqual({ state: 'blocked', reason: 'twitch revoked the channel.follow subscription (authorization_revoked)' });
    await waitFor(() => conn.closedBy !== undefined, 'the socket closed');
    expect(api.connections).toHaveLength(1);
    // The slow retry is the only timer: 300 s with the jitter (random 0 → 0.8 ×).
    expect(h.clock.delays()).toEqual([240_000]);
    await h.clock.advanceAsync(240_000);
    await subscribed(api, 1, 3);
    expect(h.reconnects).toEqual(['initial', 'blocked_retry']);
  });

  it('a refused token (401) is blocked at once, and the token appears in no log line', async () => {
    const { api, h } = await world({ section: { token: 'expired-token-999' } });
    await waitFor(() => h.states.some((s) => s.state === 'blocked'), 'blocked');
    expect(h.states.at(-1)).toEqual({ state: 'blocked', reason: 'twitch helix: users (channel) answered HTTP 401: Invalid OAuth token' });
    expect(api.connections).toHaveLength(0);
    expect(JSON.stringify(h.logs)).not.toContain('expired-token-999');
  });

  it('a missing scope refuses one subscription only; the others carry on', async () => {
    const { api, h } = await world({
      section: { viewers_interval_ms: 0, events: ['follow', 'cheer'] },
      api: { tokens: { [TOKEN]: { userId: BROADCASTER.id, scopes: ['moderator:read:followers'] } } },
    });
    await subscribed(api, 0, 1);
    await live(h);
    expect(
      api
        .calls('POST', '/eventsub/subscriptions')
        .map((r) => r.status)
        .sort(),
    ).toEqual([202, 403]);
    expect(
      h.logs.some((l) => l.message === 'twitch refused an eventsub subscription; the others carry on' && l.type === 'channel.cheer'),
    ).toBe(true);
  });

  it('offline at first; stream.online → live (and viewers), stream.offline → ended', async () => {
    const { api, h } = await world({ live: false });
    const conn = await subscribed(api, 0, 3);
    await waitFor(() => h.states.at(-1)?.state === 'offline', 'offline');
    expect(h.states.at(-1)).toEqual({ state: 'offline', reason: 'the channel is not live' });
    api.options.streams![BROADCASTER.id] = { id: '40000000002', viewerCount: 12, title: 'back' };
    const ts = new Date(h.clock.now()).toISOString();
    conn.notify(
      'stream.online',
      { id: '40000000002', broadcaster_user_id: BROADCASTER.id, type: 'live', started_at: ts },
      { timestamp: ts },
    );
    await waitFor(() => h.states.at(-1)?.state === 'live', 'live');
    await waitFor(() => h.events.length === 1, 'a viewer count');
    expect(h.events[0]).toMatchObject({ kind: 'viewers', count: 12 });
    conn.notify('stream.offline', { broadcaster_user_id: BROADCASTER.id }, { timestamp: ts });
    await waitFor(() => h.states.at(-1)?.state === 'ended', 'ended');
    expect(h.states.at(-1)).toEqual({ state: 'ended', reason: 'the stream went offline (stream.offline)' });
    delete api.options.streams![BROADCASTER.id];
    // A minute of keepalives: the socket stays, and no viewer count is polled while ended.
    for (let i = 0; i < 6; i += 1) {
      const seen = h.frames();
      conn.keepalive();
      await waitFor(() => h.frames() === seen + 1, 'the keepalive received');
      await h.clock.advanceAsync(10_000);
    }
    expect(h.events).toHaveLength(1);
    expect(conn.open).toBe(true);
    expect(h.reconnects).toEqual(['initial']);
  });
});
