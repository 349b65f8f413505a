/**
 * End to end, as operators run it: the fake Twitch chat and the fake Twitch API (EventSub +
 * Helix) → `node dist/src/cli/main.js run <config>` (a child process: config, both Twitch
 * sources, pipeline, reporter, AK/SK sink) → the local MetaStudio emulator. Asserts the exact
 * wire events MetaStudio accepted: escaped CJK names, a cheer as a gift plus its text, a mystery
 * gift of 5 counted once, a sub, a raid, a follow and the viewer count; the comment Twitch sends
 * again after a RECONNECT is reported once; no secret appears in the output. A second stream
 * gives the money to EventSub (`paid_events: false` on chat): the cheer, community gift and resub
 * both sources see arrive once each, from EventSub. Needs the build.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../helpers/wait.js';
import { e2eWorlds, MAIN, stopBridge, writeBridgeConfig } from '../../helpers/e2e.js';
import { FakeTwitchApi } from '../../helpers/twitch/fake-eventsub.js';
import { FakeIrc, type FakeIrcConnection } from '../../helpers/twitch/fake-irc.js';
import { privmsg, userTags, usernotice } from '../../helpers/twitch/irc-lines.js';
import { CHANNEL, twitchSourceLines, VIEWERS } from '../../helpers/twitch/scenario.js';

const CLIENT_ID = 'e2e-client-id-secret-1';
const TOKEN = 'e2e-user-token-secret-2';
const BROADCASTER = { id: CHANNEL.roomId, login: CHANNEL.login, displayName: CHANNEL.displayName };

const worlds = e2eWorlds();

type Viewer = { login: string; userId: string; displayName: string };

function chat(v: Viewer, id: string, ts: number, text: string, extra: Record<string, string> = {}) {
  return privmsg({ channel: CHANNEL.login, login: v.login, text, tags: userTags({ ...v, id, roomId: CHANNEL.roomId, ts, extra }) });
}

function notice(v: Viewer, id: string, ts: number, msgId: string, params: Record<string, string>) {
  return usernotice({
    channel: CHANNEL.login,
    tags: userTags({ ...v, id, roomId: CHANNEL.roomId, ts, extra: { login: v.login, 'msg-id': msgId, 'system-msg': 'system', ...params } }),
  });
}

function firstTraffic(conn: FakeIrcConnection, t: number): void {
  const community = { 'msg-param-community-gift-id': '5555', 'msg-param-origin-id': '5555', 'msg-param-sub-plan': '1000' };
  conn.send(
    chat(VIEWERS.cjk, 'e2e-m1', t, '主播好！🎉', { badges: 'subscriber/12', 'badge-info': 'subscriber/14' }),
    chat(VIEWERS.quiet, 'e2e-m2', t + 1, 'hello'),
    chat(VIEWERS.fan, 'e2e-c1', t + 2, 'Cheer100 加油', { bits: '100' }),
    notice(VIEWERS.whale, 'e2e-mg', t + 3, 'submysterygift', { ...community, 'msg-param-mass-gift-count': '5' }),
    ...[1, 2, 3, 4, 5].map((i) =>
      notice(VIEWERS.whale, `e2e-mg-${i}`, t + 3, 'subgift', { ...community, 'msg-param-recipient-user-name': `r${i}` }),
    ),
    notice(VIEWERS.loyal, 'e2e-s1', t + 4, 'resub', { 'msg-param-sub-plan': '1000', 'msg-param-cumulative-months': '7' }),
    notice(VIEWERS.raider, 'e2e-r1', t + 5, 'raid', {
      'msg-param-login': 'raider',
      'msg-param-displayName': 'Raider',
      'msg-param-viewerCount': '50',
    }),
    '@msg-id=emote_only_on :tmi.twitch.tv NOTICE #somechan :This room is now in emote-only mode.',
  );
  conn.reconnect();
}

describe('fake Twitch → live-bridge run (child process) → MetaStudio emulator', () => {
  it('reports the exact wire events of both Twitch sources', async () => {
    expect(existsSync(MAIN), `${MAIN} is missing: run npm run build first`).toBe(true);
    const { emulator, dir, adopt, spawn } = await worlds.start('twitch-e2e-');
    const irc = adopt(new FakeIrc({ channels: [{ login: CHANNEL.login, roomId: CHANNEL.roomId }] }));
    await irc.listen();
    const api = adopt(
      new FakeTwitchApi({
        clientId: CLIENT_ID,
        tokens: { [TOKEN]: { userId: BROADCASTER.id, scopes: ['moderator:read:followers'] } },
        users: [BROADCASTER],
        streams: { [BROADCASTER.id]: { id: '40000000001', viewerCount: 4321, title: 'e2e' } },
      }),
    );
    await api.listen();
    const t = Date.now();
    void irc.joined(0).then((c) => firstTraffic(c, t));
    // After the RECONNECT Twitch delivers the first comment again (same id) and a new one.
    void irc
      .joined(1)
      .then((c) =>
        c.send(
          chat(VIEWERS.cjk, 'e2e-m1', t, '主播好！🎉', { badges: 'subscriber/12', 'badge-info': 'subscriber/14' }),
          chat(VIEWERS.quiet, 'e2e-m3', t + 6, 'back again'),
        ),
      );
    const followedAt = new Date(t + 7).toISOString();
    void api.connection(0).then(async (c) => {
      await waitFor(() => c.subscriptions().length === 3, 'the subscriptions', 10_000);
      c.notify(
        'channel.follow',
        { user_id: '1337', user_login: 'new_fan', user_name: '新粉丝', followed_at: followedAt },
        { messageId: 'e2e-follow' },
      );
      c.notify(
        'channel.follow',
        { user_id: '1337', user_login: 'new_fan', user_name: '新粉丝', followed_at: followedAt },
        { messageId: 'e2e-follow' },
      );
    });

    const config = join(dir, 'twitch-e2e.yaml');
    const urls = api.urls();
    await writeBridgeConfig(config, {
      stream: 'twitch-e2e',
      source: twitchSourceLines({
        ircUrl: irc.url,
        urls,
        channel: `https://www.twitch.tv/${CHANNEL.login}`,
        chat: ['reconnect_base_ms: 50'],
      }),
      emulatorUrl: emulator.url,
      stateDir: join(dir, 'state'),
    });
    const bridge = spawn(config, { TWITCH_CLIENT_ID: CLIENT_ID, TWITCH_TOKEN: TOKEN });

    const em = emulator;
    await waitFor(
      () => em.accepted().length >= 10,
      () => `10 accepted events (got ${JSON.stringify(em.accepted().map((a) => a.event))}); log: ${bridge.output().slice(-2000)}`,
      20_000,
    );
    // Quiet period: nothing more may arrive (no repeated comment, no second gift, no second follow).
    await new Promise((r) => setTimeout(r, 1500));
    const end = Date.now();
    const code = await stopBridge(bridge.child);
    expect(code).toBe(0);
    expect(irc.connections).toHaveLength(2);
    expect(irc.connections[1]!.joined).toEqual([CHANNEL.login]);
    expect(bridge.output()).not.toContain(TOKEN);
    expect(bridge.output()).not.toContain(CLIENT_ID);

    const u = (v: Viewer, badge = '', badgeLevel = 0) =>
      `{"userId":"${v.userId}","name":${JSON.stringify(v.displayName || v.login)},"level":0,"badge":"${badge}","badgeLevel":${badgeLevel}}`;
    const expected = [
      { timestamp: t, type: 1, content: `{"user":${u(VIEWERS.cjk, 'subscriber', 14)},"content":"主播好！🎉"}` },
      { timestamp: t + 1, type: 1, content: `{"user":${u(VIEWERS.quiet)},"content":"hello"}` },
      {
        timestamp: t + 2,
        type: 4,
        content: `{"user":${u(VIEWERS.fan)},"gift":{"giftName":"Bits","giftNum":100,"totalValue":100,"giftValue":1}}`,
      },
      { timestamp: t + 2, type: 1, content: `{"user":${u(VIEWERS.fan)},"content":"加油"}` },
      {
        timestamp: t + 3,
        type: 4,
        content: `{"user":${u(VIEWERS.whale)},"gift":{"giftName":"Tier 1 Sub","giftNum":5,"totalValue":2500,"giftValue":500}}`,
      },
      { timestamp: t + 4, type: 5, content: `{"user":${u(VIEWERS.loyal)}}` },
      { timestamp: t + 5, type: 2, content: `{"user":${u(VIEWERS.raider)}}` },
      { timestamp: t + 6, type: 1, content: `{"user":${u(VIEWERS.quiet)},"content":"back again"}` },
      { timestamp: t + 7, type: 5, content: '{"user":{"userId":"1337","name":"新粉丝","level":0,"badge":"","badgeLevel":0}}' },
    ];
    const accepted = emulator.accepted().map((a) => a.event);
    // Viewer counts carry no platform time: they are stamped on receipt.
    const viewers = accepted.filter((e) => e.type === 6);
    expect(viewers.map((e) => e.content)).toEqual(['{"numberOfViewers":4321}']);
    expect(viewers.every((e) => e.timestamp >= t && e.timestamp <= end)).toBe(true);
    const order = (a: { type: number; timestamp: number; content: string }, b: typeof a) =>
      a.timestamp - b.timestamp || a.type - b.type || a.content.localeCompare(b.content);
    expect(accepted.filter((e) => e.type !== 6).sort(order)).toEqual([...expected].sort(order));
    expect(
      emulator
        .requests()
        .filter((r) => r.operation === 'report')
        .every((r) => r.status === 200 && r.auth === 'aksk'),
    ).toBe(true);
  });

  it('when EventSub owns the money, a cheer, a community gift and a resub seen by both sources are reported once', async () => {
    expect(existsSync(MAIN), `${MAIN} is missing: run npm run build first`).toBe(true);
    const { emulator, dir, adopt, spawn } = await worlds.start('twitch-e2e-owner-');
    const irc = adopt(new FakeIrc({ channels: [{ login: CHANNEL.login, roomId: CHANNEL.roomId }] }));
    await irc.listen();
    const api = adopt(
      new FakeTwitchApi({
        clientId: CLIENT_ID,
        tokens: { [TOKEN]: { userId: BROADCASTER.id, scopes: ['moderator:read:followers', 'channel:read:subscriptions', 'bits:read'] } },
        users: [BROADCASTER],
      }),
    );
    await api.listen();
    const t = Date.now();
    const community = { 'msg-param-community-gift-id': '6666', 'msg-param-origin-id': '6666', 'msg-param-sub-plan': '1000' };
    const at = (ms: number) => new Date(t + ms).toISOString();
    const person = (v: Viewer) => ({ user_id: v.userId, user_login: v.login, user_name: v.displayName });
    void Promise.all([irc.joined(0), api.connection(0)]).then(async ([c, es]) => {
      await waitFor(() => es.subscriptions().length === 7, 'the seven subscriptions', 10_000);
      // Chat sees everything: a comment, and the money (which it must not report).
      c.send(
        chat(VIEWERS.quiet, 'own-m1', t, 'hello'),
        chat(VIEWERS.fan, 'own-c1', t + 1, 'Cheer100 加油', { bits: '100' }),
        notice(VIEWERS.whale, 'own-mg', t + 2, 'submysterygift', { ...community, 'msg-param-mass-gift-count': '5' }),
        ...[1, 2, 3, 4, 5].map((i) => notice(VIEWERS.whale, `own-mg-${i}`, t + 2, 'subgift', community)),
        notice(VIEWERS.loyal, 'own-s1', t + 3, 'resub', { 'msg-param-sub-plan': '1000', 'msg-param-cumulative-months': '7' }),
      );
      // EventSub sees the same money, with unrelated ids.
      es.notify(
        'channel.cheer',
        { ...person(VIEWERS.fan), bits: 100, message: 'Cheer100 加油', is_anonymous: false },
        { timestamp: at(1) },
      );
      es.notify(
        'channel.subscription.gift',
        { ...person(VIEWERS.whale), tier: '1000', total: 5, is_anonymous: false },
        { timestamp: at(2) },
      );
      for (let i = 1; i <= 5; i += 1)
        es.notify(
          'channel.subscribe',
          { user_id: `90${i}`, user_login: `r${i}`, user_name: `R${i}`, tier: '1000', is_gift: true },
          { timestamp: at(2) },
        );
      es.notify(
        'channel.subscription.message',
        { ...person(VIEWERS.loyal), tier: '1000', cumulative_months: 7, message: { text: '7 months!' } },
        { timestamp: at(3) },
      );
    });

    const config = join(dir, 'twitch-owner.yaml');
    await writeBridgeConfig(config, {
      stream: 'twitch-owner',
      source: twitchSourceLines({
        ircUrl: irc.url,
        urls: api.urls(),
        chat: ['paid_events: false'],
        eventsub: ['events: [follow, stream, subscribe, gift, cheer]', 'viewers_interval_ms: 0'],
      }),
      emulatorUrl: emulator.url,
      stateDir: join(dir, 'state'),
    });
    const bridge = spawn(config, { TWITCH_CLIENT_ID: CLIENT_ID, TWITCH_TOKEN: TOKEN });
    const em = emulator;
    await waitFor(
      () => em.accepted().length >= 6,
      () => `6 accepted events (got ${JSON.stringify(em.accepted().map((a) => a.event))}); log: ${bridge.output().slice(-2000)}`,
      20_000,
    );
    await new Promise((r) => setTimeout(r, 1500));
    expect(await stopBridge(bridge.child)).toBe(0);
    expect(bridge.output()).not.toContain(TOKEN);

    const u = (v: Viewer, badge = '', badgeLevel = 0) =>
      `{"userId":"${v.userId}","name":${JSON.stringify(v.displayName || v.login)},"level":0,"badge":"${badge}","badgeLevel":${badgeLevel}}`;
    const expected = [
      { timestamp: t, type: 1, content: `{"user":${u(VIEWERS.quiet)},"content":"hello"}` },
      {
        timestamp: t + 1,
        type: 4,
        content: `{"user":${u(VIEWERS.fan)},"gift":{"giftName":"Bits","giftNum":100,"totalValue":100,"giftValue":1}}`,
      },
      { timestamp: t + 1, type: 1, content: `{"user":${u(VIEWERS.fan)},"content":"加油"}` },
      {
        timestamp: t + 2,
        type: 4,
        content: `{"user":${u(VIEWERS.whale)},"gift":{"giftName":"Tier 1 Sub","giftNum":5,"totalValue":2500,"giftValue":500}}`,
      },
      { timestamp: t + 3, type: 5, content: `{"user":${u(VIEWERS.loyal)}}` },
      { timestamp: t + 3, type: 1, content: `{"user":${u(VIEWERS.loyal)},"content":"7 months!"}` },
    ];
    const order = (a: { type: number; timestamp: number; content: string }, b: typeof a) =>
      a.timestamp - b.timestamp || a.type - b.type || a.content.localeCompare(b.content);
    expect(
      emulator
        .accepted()
        .map((a) => a.event)
        .sort(order),
    ).toEqual([...expected].sort(order));
  });
});
