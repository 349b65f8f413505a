/**
 * `live-bridge record` of both Twitch sources against the fakes, then a `replay` source over
 * each capture: the recorded text frames go through the same parser, inbox and route tables,
 * and give the same events the live sources gave.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { registry } from '../../../adapters/registry.js';
import { ReplaySourceSchema } from '../../../adapters/replay/config.js';
import { create as createReplaySource } from '../../../adapters/replay/index.js';
import type { BridgeEvent } from '../../../src/core/events.js';
import type { SourceDiscard, SourceState } from '../../../src/core/source.js';
import { cli } from '../../helpers/cli.js';
import { writeBridgeConfig } from '../../helpers/e2e.js';
import { ManualClock } from '../../helpers/clock.js';
import { silentLogger } from '../../helpers/logger.js';
import { waitFor } from '../../helpers/wait.js';
import { FakeTwitchApi } from '../../helpers/twitch/fake-eventsub.js';
import { FakeIrc } from '../../helpers/twitch/fake-irc.js';
import { privmsg, userTags, usernotice } from '../../helpers/twitch/irc-lines.js';
import { CHANNEL, T0, twitchSourceLines, VIEWERS } from '../../helpers/twitch/scenario.js';

const undo: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of undo.splice(0).reverse()) await step();
});

async function replay(
  file: string,
  name: string,
  options: Record<string, unknown> = {},
): Promise<{ events: BridgeEvent[]; discards: SourceDiscard[]; states: SourceState[] }> {
  const source = createReplaySource(ReplaySourceSchema.parse({ platform: 'replay', file, speed: 0, name, options }), {
    logger: silentLogger(),
    clock: new ManualClock(),
    stateDir: '/nonexistent',
    plugins: (p) => registry.get(p),
  });
  const events: BridgeEvent[] = [];
  const discards: SourceDiscard[] = [];
  const states: SourceState[] = [];
  source.on('event', (e) => events.push(e));
  source.on('discard', (d) => discards.push(d));
  source.on('state', (st) => states.push(st));
  await source.start(new AbortController().signal);
  return { events, discards, states };
}

describe('record and replay (twitch)', () => {
  it('records the chat and EventSub frames and replays them through the same decoders', async () => {
    const irc = new FakeIrc({ channels: [{ login: CHANNEL.login, roomId: CHANNEL.roomId }] });
    await irc.listen();
    undo.push(() => irc.close());
    const api = new FakeTwitchApi({
      clientId: 'rec-client-id-1',
      tokens: { 'rec-token-2': { userId: CHANNEL.roomId, scopes: ['moderator:read:followers'] } },
      users: [{ id: CHANNEL.roomId, login: CHANNEL.login, displayName: CHANNEL.displayName }],
    });
    await api.listen();
    undo.push(() => api.close());
    const dir = await mkdtemp(join(tmpdir(), 'twitch-record-'));
    undo.push(() => rm(dir, { recursive: true, force: true }));
    const config = join(dir, 'twitch.yaml');
    await writeBridgeConfig(config, {
      stream: 'record-twitch',
      source: twitchSourceLines({ ircUrl: irc.url, urls: api.urls(), eventsub: ['viewers_interval_ms: 0'] }),
      emulatorUrl: 'http://127.0.0.1:9',
      stateDir: join(dir, 'state'),
    });
    const env = { TWITCH_CLIENT_ID: 'rec-client-id-1', TWITCH_TOKEN: 'rec-token-2', HW_AK: 'ak', HW_SK: 'sk' };
    const v = VIEWERS.fan;
    const tags = (id: string, extra: Record<string, string> = {}) => userTags({ ...v, id, roomId: CHANNEL.roomId, ts: T0, extra });

    // Chat: a comment, a cheer, a mystery gift of 2 with its notices, and a malformed line.
    const chatOut = join(dir, 'chat.jsonl');
    const chatStop = new AbortController();
    const chatRun = cli(['record', config, '--out', chatOut], { env, signal: chatStop.signal });
    const conn = await irc.joined(0);
    const community = { 'msg-param-community-gift-id': '77', 'msg-param-sub-plan': '2000' };
    conn.send(privmsg({ channel: CHANNEL.login, login: v.login, text: '你好 Twitch', tags: tags('rr-1') }));
    conn.send(
      privmsg({ channel: CHANNEL.login, login: v.login, text: 'Cheer5', tags: tags('rr-2', { bits: '5' }) }),
      usernotice({
        channel: CHANNEL.login,
        tags: tags('rr-3', { login: v.login, 'msg-id': 'submysterygift', 'msg-param-mass-gift-count': '2', ...community }),
      }),
      usernotice({ channel: CHANNEL.login, tags: tags('rr-4', { login: v.login, 'msg-id': 'subgift', ...community }) }),
      usernotice({ channel: CHANNEL.login, tags: tags('rr-5', { login: v.login, 'msg-id': 'subgift', ...community }) }),
      '@broken-tags-only',
    );
    conn.send(privmsg({ channel: CHANNEL.login, login: v.login, text: 'last', tags: tags('rr-6') }));
    await new Promise((r) => setTimeout(r, 200));
    chatStop.abort();
    const chatResult = await chatRun;
    expect(chatResult.code).toBe(0);
    const chatLines = (await readFile(chatOut, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { platform: string; text: string });
    expect(chatLines.every((l) => l.platform === 'twitch' && typeof l.text === 'string')).toBe(true);
    const chat = await replay(chatOut, 'rp');
    const base = { platform: 'twitch', source: 'rp', ts: T0 };
    const u = { id: v.userId, name: v.displayName, level: 0, badge: '', badgeLevel: 0 };
    expect(chat.events.filter((e) => e.kind !== 'viewers')).toEqual([
      { ...base, kind: 'comment', id: 'rr-1', user: u, text: '你好 Twitch' },
      { ...base, kind: 'gift', id: 'rr-2:bits', user: u, gift: { giftId: 'bits', name: 'Bits', count: 5, unitValue: 1 } },
      { ...base, kind: 'gift', id: 'rr-3', user: u, gift: { giftId: 'sub_2000', name: 'Tier 2 Sub', count: 2, unitValue: 1000 } },
      { ...base, kind: 'comment', id: 'rr-6', user: u, text: 'last' },
    ]);
    expect(chat.discards).toEqual([{ reason: 'irc_line_malformed', count: 1 }]);

    // EventSub: the welcome, a follow (sent twice), a keepalive.
    const esOut = join(dir, 'es.jsonl');
    const esStop = new AbortController();
    const esRun = cli(['record', config, '--out', esOut, '--source', 'tw-es'], { env, signal: esStop.signal });
    const es = await api.connection(0);
    await waitFor(() => es.subscriptions().length === 3, 'the subscriptions');
    const at = new Date(T0).toISOString();
    es.notify(
      'channel.follow',
      { user_id: '1337', user_login: 'new_fan', user_name: '新粉丝', followed_at: at },
      { messageId: 'rr-f', timestamp: at },
    );
    es.notify(
      'channel.follow',
      { user_id: '1337', user_login: 'new_fan', user_name: '新粉丝', followed_at: at },
      { messageId: 'rr-f', timestamp: at },
    );
    es.keepalive();
    await new Promise((r) => setTimeout(r, 200));
    esStop.abort();
    const esResult = await esRun;
    expect(esResult.code).toBe(0);
    expect(esResult.stderr + esResult.stdout).not.toContain('rec-token-2');
    const esLines = (await readFile(esOut, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { platform: string });
    expect(esLines.map((l) => l.platform)).toEqual(['twitch-eventsub', 'twitch-eventsub', 'twitch-eventsub', 'twitch-eventsub']);
    const replayed = await replay(esOut, 'rp');
    expect(replayed.events).toEqual([
      { ...base, kind: 'follow', id: 'es:rr-f', user: { id: '1337', name: '新粉丝', level: 0, badge: '', badgeLevel: 0 } },
    ]);
    expect(replayed.discards).toEqual([]);
  });

  it("replay options are the sections' money keys, with their defaults; wrong ones are an error state", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'twitch-replay-'));
    undo.push(() => rm(dir, { recursive: true, force: true }));
    const v = VIEWERS.fan;
    const tags = (id: string, extra: Record<string, string>) => userTags({ ...v, id, roomId: CHANNEL.roomId, ts: T0, extra });
    const chatFrames = [
      privmsg({ channel: CHANNEL.login, login: v.login, text: 'Cheer50 nice', tags: tags('ro-1', { bits: '50' }) }),
      usernotice({
        channel: CHANNEL.login,
        tags: tags('ro-2', { login: v.login, 'msg-id': 'submysterygift', 'msg-param-mass-gift-count': '3', 'msg-param-sub-plan': '1000' }),
      }),
      usernotice({
        channel: CHANNEL.login,
        tags: tags('ro-3', { login: v.login, 'msg-id': 'resub', 'msg-param-sub-plan': '2000', 'msg-param-cumulative-months': '9' }),
      }),
    ];
    const at = new Date(T0).toISOString();
    const notification = (id: string, type: string, event: unknown) =>
      JSON.stringify({
        metadata: {
          message_id: id,
          message_type: 'notification',
          message_timestamp: at,
          subscription_type: type,
          subscription_version: '1',
        },
        payload: { subscription: { id: `sub-${id}`, type, version: '1', status: 'enabled' }, event },
      });
    const who = { user_id: v.userId, user_login: v.login, user_name: v.displayName };
    const capture = join(dir, 'mixed.jsonl');
    await writeFile(
      capture,
      [
        ...chatFrames.map((text, i) => ({ t: i, platform: 'twitch', text: `${text}\r\n` })),
        {
          t: 3,
          platform: 'twitch-eventsub',
          text: notification('ro-e1', 'channel.cheer', { ...who, bits: 20, message: 'Cheer20', is_anonymous: false }),
        },
        { t: 4, platform: 'twitch-eventsub', text: notification('ro-e2', 'channel.subscription.gift', { ...who, tier: '3000', total: 2 }) },
        { t: 5, platform: 'twitch-eventsub', text: notification('ro-e3', 'stream.offline', { broadcaster_user_id: CHANNEL.roomId }) },
      ]
        .map((l) => JSON.stringify(l))
        .join('\n') + '\n',
    );
    const base = { platform: 'twitch', source: 'ro', ts: T0 };
    const u = { id: v.userId, name: v.displayName, level: 0, badge: '', badgeLevel: 0 };

    // Defaults: as the sections' defaults (a bit is 1, a tier 1 sub 500, a tier 3 sub 2500).
    const plain = await replay(capture, 'ro');
    expect(plain.events).toEqual([
      { ...base, kind: 'gift', id: 'ro-1:bits', user: u, gift: { giftId: 'bits', name: 'Bits', count: 50, unitValue: 1 } },
      { ...base, kind: 'comment', id: 'ro-1', user: u, text: 'nice' },
      { ...base, kind: 'gift', id: 'ro-2', user: u, gift: { giftId: 'sub_1000', name: 'Tier 1 Sub', count: 3, unitValue: 500 } },
      { ...base, kind: 'subscribe', id: 'ro-3', user: u, subscription: { tier: '2000', months: 9 } },
      { ...base, kind: 'gift', id: 'es:ro-e1:bits', user: u, gift: { giftId: 'bits', name: 'Bits', count: 20, unitValue: 1 } },
      { ...base, kind: 'gift', id: 'es:ro-e2', user: u, gift: { giftId: 'sub_3000', name: 'Tier 3 Sub', count: 2, unitValue: 2500 } },
    ]);
    expect(plain.states.map((st) => st.state)).toContain('ended');

    // Options: chat's money off (EventSub owned it), other values; unset plans keep their defaults.
    const tuned = await replay(capture, 'ro', { paid_events: false, bits_value: 2, gift_sub_values: { '3000': 3000 } });
    expect(tuned.events).toEqual([
      { ...base, kind: 'gift', id: 'es:ro-e1:bits', user: u, gift: { giftId: 'bits', name: 'Bits', count: 20, unitValue: 2 } },
      { ...base, kind: 'gift', id: 'es:ro-e2', user: u, gift: { giftId: 'sub_3000', name: 'Tier 3 Sub', count: 2, unitValue: 3000 } },
    ]);

    // A plan Twitch does not have, or a negative value: the replay stops with an error state.
    for (const options of [{ gift_sub_values: { '9000': 1 } }, { bits_value: -1 }]) {
      const bad = await replay(capture, 'ro', options);
      expect(bad.events).toEqual([]);
      expect(bad.states.at(-1)).toMatchObject({ state: 'error', code: 'replay_options' });
      expect((bad.states.at(-1) as { reason: string }).reason).toMatch(/^replay options for twitch: /);
    }
  });
});
