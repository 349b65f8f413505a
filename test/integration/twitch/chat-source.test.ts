/**
 * The chat source against the fake Twitch chat server over real WebSockets: login and JOIN,
 * every mapped line with exact events, lines that report nothing, malformed and huge lines,
 * PING/PONG both ways, RECONNECT (and the same message id after it), a stalled socket, and
 * refused logins.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Harness } from '../../helpers/source-harness.js';
import { waitFor } from '../../helpers/wait.js';
import { FakeIrc } from '../../helpers/twitch/fake-irc.js';
import { privmsg, userTags, usernotice } from '../../helpers/twitch/irc-lines.js';
import { CHANNEL, startChat, T0, VIEWERS } from '../../helpers/twitch/scenario.js';

const undo: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of undo.splice(0).reverse()) await step();
});

async function world(section: Record<string, unknown> = {}, tokens?: Record<string, string>) {
  const fake = new FakeIrc({ channels: [{ login: CHANNEL.login, roomId: CHANNEL.roomId }], tokens });
  await fake.listen();
  undo.push(() => fake.close());
  const h = await startChat({ urls: { irc: fake.url }, ...section });
  undo.push(() => h.stop());
  return { fake, h };
}

type Viewer = { login: string; userId: string; displayName: string };

function chat(v: Viewer, id: string, text: string, extra: Record<string, string> = {}, ts = T0) {
  return privmsg({ channel: CHANNEL.login, login: v.login, text, tags: userTags({ ...v, id, roomId: CHANNEL.roomId, ts, extra }) });
}

function notice(v: Viewer, id: string, msgId: string, params: Record<string, string>, text?: string) {
  return usernotice({
    channel: CHANNEL.login,
    text,
    tags: userTags({
      ...v,
      id,
      roomId: CHANNEL.roomId,
      ts: T0,
      extra: { login: v.login, 'msg-id': msgId, 'system-msg': 'system text', ...params },
    }),
  });
}

const user = (v: Viewer, badge = '', badgeLevel = 0) => ({ id: v.userId, name: v.displayName || v.login, level: 0, badge, badgeLevel });
const base = { platform: 'twitch', source: `twitch:${CHANNEL.login}`, ts: T0 };

async function liveOn(h: Harness, fake: FakeIrc, index: number) {
  const conn = await fake.joined(index);
  await waitFor(() => h.states.filter((s) => s.state === 'live').length > index, `live #${index}`);
  return conn;
}

describe('twitch chat source', () => {
  it('logs in anonymously, joins after the welcome and goes live with the room id', async () => {
    const { fake, h } = await world();
    const conn = await liveOn(h, fake, 0);
    expect(conn.lines.slice(0, 4)).toEqual([
      'CAP REQ :twitch.tv/tags twitch.tv/commands',
      'PASS SCHMOOPIIE',
      'NICK justinfan10000',
      `JOIN #${CHANNEL.login}`,
    ]);
    expect(h.states.at(-1)).toEqual({ state: 'live', roomId: CHANNEL.roomId });
    expect(h.reconnects).toEqual(['initial']);
  });

  it('maps every line of the route table, with exact events, in order', async () => {
    const { fake, h } = await world();
    const conn = await liveOn(h, fake, 0);
    const community = {
      'msg-param-community-gift-id': '8765432109876543210',
      'msg-param-origin-id': '8765432109876543210',
      'msg-param-sub-plan': '1000',
    };
    conn.send(
      chat(VIEWERS.cjk, 'm-1', '主播好！ hello 😀', { badges: 'subscriber/12,vip/1', 'badge-info': 'subscriber/14' }),
      chat(VIEWERS.quiet, 'm-2', 'just lurking'),
      chat(VIEWERS.fan, 'c-1', 'Cheer100 great stream! Cheer50', { bits: '150' }),
      chat(VIEWERS.fan, 'c-2', 'Cheer100', { bits: '100' }),
      notice(VIEWERS.whale, 'mg-1', 'submysterygift', { ...community, 'msg-param-mass-gift-count': '5', 'msg-param-sender-count': '50' }),
    );
    // The five individual notices of that community gift arrive in their own frames.
    for (let i = 1; i <= 5; i += 1) {
      conn.send(
        notice(VIEWERS.whale, `mg-1-${i}`, 'subgift', {
          ...community,
          'msg-param-recipient-user-name': `lucky${i}`,
          'msg-param-recipient-id': `90${i}`,
        }),
      );
    }
    conn.send(
      notice(VIEWERS.loyal, 's-1', 'sub', { 'msg-param-sub-plan': '1000', 'msg-param-cumulative-months': '1' }),
      notice(VIEWERS.loyal, 's-2', 'resub', { 'msg-param-sub-plan': '2000', 'msg-param-cumulative-months': '13' }, '又一年！'),
      notice(VIEWERS.raider, 'r-1', 'raid', {
        'msg-param-login': 'raider',
        'msg-param-displayName': 'Raider',
        'msg-param-viewerCount': '321',
      }),
      '@room-id=71092938;target-user-id=2;tmi-sent-ts=1 :tmi.twitch.tv CLEARCHAT #somechan :baduser',
      '@login=baduser;target-msg-id=m-2 :tmi.twitch.tv CLEARMSG #somechan :bad words',
      '@msg-id=emote_only_on :tmi.twitch.tv NOTICE #somechan :This room is now in emote-only mode.',
      chat(VIEWERS.quiet, 'm-last', 'the end'),
    );
    await waitFor(
      () => h.events.some((e) => e.id === 'm-last'),
      () => `the last comment (got ${JSON.stringify(h.events.map((e) => e.id))})`,
    );
    expect(h.events).toEqual([
      { ...base, kind: 'comment', id: 'm-1', user: user(VIEWERS.cjk, 'vip', 14), text: '主播好！ hello 😀' },
      { ...base, kind: 'comment', id: 'm-2', user: user(VIEWERS.quiet), text: 'just lurking' },
      { ...base, kind: 'gift', id: 'c-1:bits', user: user(VIEWERS.fan), gift: { giftId: 'bits', name: 'Bits', count: 150, unitValue: 1 } },
      { ...base, kind: 'comment', id: 'c-1', user: user(VIEWERS.fan), text: 'great stream!' },
      { ...base, kind: 'gift', id: 'c-2:bits', user: user(VIEWERS.fan), gift: { giftId: 'bits', name: 'Bits', count: 100, unitValue: 1 } },
      {
        ...base,
        kind: 'gift',
        id: 'mg-1',
        user: user(VIEWERS.whale),
        gift: { giftId: 'sub_1000', name: 'Tier 1 Sub', count: 5, unitValue: 500 },
      },
      { ...base, kind: 'subscribe', id: 's-1', user: user(VIEWERS.loyal), subscription: { tier: '1000', months: 1 } },
      { ...base, kind: 'subscribe', id: 's-2', user: user(VIEWERS.loyal), subscription: { tier: '2000', months: 13 } },
      { ...base, kind: 'comment', id: 's-2:text', user: user(VIEWERS.loyal), text: '又一年！' },
      { ...base, kind: 'join', id: 'r-1', user: user(VIEWERS.raider) },
      { ...base, kind: 'comment', id: 'm-last', user: user(VIEWERS.quiet), text: 'the end' },
    ]);
    expect(h.discards).toEqual([]);
  });

  it('counts malformed lines as discards, keeps the good lines of the same frame, and reads a 10 KB line', async () => {
    const { fake, h } = await world();
    const conn = await liveOn(h, fake, 0);
    const big = '长'.repeat(3_000) + 'x'.repeat(7_000);
    conn.sendRaw(
      ['@only-tags', chat(VIEWERS.quiet, 'ok-1', 'fine'), ':prefix-only', '!!!', chat(VIEWERS.quiet, 'big-1', big), ''].join('\r\n'),
    );
    conn.sendRaw(`PRIVMSG #somechan :${'y'.repeat(70_000)}\r\n`);
    await waitFor(() => h.discards.length >= 4, 'the discards');
    await waitFor(() => h.events.length >= 2, 'the good lines');
    expect(h.events.map((e) => [e.id, e.kind === 'comment' ? e.text.length : 0])).toEqual([
      ['ok-1', 4],
      ['big-1', 10_000],
    ]);
    expect(h.discards).toEqual([
      { reason: 'irc_line_malformed', count: 1 },
      { reason: 'irc_line_malformed', count: 1 },
      { reason: 'irc_line_malformed', count: 1 },
      { reason: 'irc_line_too_long', count: 1 },
    ]);
    expect(conn.open).toBe(true);
  });

  it('answers the server PING with PONG', async () => {
    const { fake, h } = await world();
    const conn = await liveOn(h, fake, 0);
    conn.ping();
    await waitFor(() => conn.unansweredPings === 0, 'the PONG');
    expect(conn.lines).toContain('PONG :tmi.twitch.tv');
  });

  it('obeys RECONNECT: a new socket at once, JOIN again, and the same message id after it is not reported twice', async () => {
    const { fake, h } = await world();
    const first = await liveOn(h, fake, 0);
    first.send(chat(VIEWERS.quiet, 'dup-1', 'before'));
    await waitFor(() => h.events.length === 1, 'the first comment');
    first.reconnect();
    const second = await liveOn(h, fake, 1);
    expect(second.lines.slice(0, 4)).toEqual([
      'CAP REQ :twitch.tv/tags twitch.tv/commands',
      'PASS SCHMOOPIIE',
      'NICK justinfan10000',
      'JOIN #somechan',
    ]);
    second.send(chat(VIEWERS.quiet, 'dup-1', 'before'), chat(VIEWERS.quiet, 'new-1', 'after'));
    await waitFor(() => h.events.length === 2, 'the new comment');
    await new Promise((r) => setTimeout(r, 50));
    expect(h.events.map((e) => e.id)).toEqual(['dup-1', 'new-1']);
    expect(h.reconnects).toEqual(['initial', 'moved']);
    await waitFor(() => first.closeCode !== undefined, 'the old socket closed');
    expect(first.closeCode).toBe(1000);
  });

  it('PINGs on its own and replaces a socket whose PONG never comes (stall)', async () => {
    const { fake, h } = await world({ ping_interval_ms: 60_000, pong_timeout_ms: 10_000 });
    const first = await liveOn(h, fake, 0);
    first.answerPings = false;
    const pings = () => first.lines.filter((l) => l === 'PING :tmi.twitch.tv').length;
    const before = pings();
    await h.clock.advanceAsync(60_000);
    await waitFor(() => pings() === before + 1, 'our PING after a silent minute');
    await h.clock.advanceAsync(10_000);
    await liveOn(h, fake, 1);
    expect(h.reconnects).toEqual(['initial', 'stall']);
  });

  it('logs in with a token and its nick; a refused token is blocked and never logged', async () => {
    const { fake, h } = await world({ nick: 'MyBot', token: 'oauth:good-token-123' }, { 'good-token-123': 'mybot' });
    const conn = await liveOn(h, fake, 0);
    expect(conn.lines.slice(0, 3)).toEqual(['CAP REQ :twitch.tv/tags twitch.tv/commands', 'PASS oauth:good-token-123', 'NICK mybot']);

    const bad = await world({ nick: 'mybot', token: 'wrong-token-456' }, { 'good-token-123': 'mybot' });
    await waitFor(() => bad.h.states.some((s) => s.state === 'blocked'), 'blocked');
    expect(bad.h.states.find((s) => s.state === 'blocked')).toEqual({
      state: 'blocked',
      reason: 'twitch refused the chat token (Login authentication failed)',
    });
    expect(JSON.stringify(bad.h.logs)).not.toContain('wrong-token-456');
    expect(bad.fake.connections).toHaveLength(1);
  });

  it('a suspended or unknown channel is blocked', async () => {
    const { h } = await world({ channel: 'no_such_chan' });
    await waitFor(() => h.states.some((s) => s.state === 'blocked'), 'blocked');
    expect(h.states.at(-1)).toEqual({ state: 'blocked', reason: 'the channel is suspended or does not exist (msg_channel_suspended)' });
  });

  it('a dropped socket is replaced, and the channel joined again', async () => {
    const { fake, h } = await world();
    (await liveOn(h, fake, 0)).terminate();
    const second = await liveOn(h, fake, 1);
    expect(second.joined).toEqual([CHANNEL.login]);
    expect(h.reconnects).toEqual(['initial', 'closed']);
  });
});
