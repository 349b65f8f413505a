/**
 * End to end for `platform: youtube`, as operators run it: the fake YouTube (Data API + live
 * page) → `node dist/src/cli/main.js run <config>` (a child process: config loading, the
 * YouTube source on the kit, pipeline, reporter, AK/SK sink) → the local MetaStudio emulator.
 * Asserts the exact wire events MetaStudio accepted, that the history page was not reported,
 * what the fake charged, a clean exit, and that the API key never reaches the output.
 * Needs the build (`npm run build`; `npm test` runs it first).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { awaitAccepted, e2eWorlds, MAIN, stopBridge, writeBridgeConfig } from '../../helpers/e2e.js';
import { waitFor } from '../../helpers/wait.js';
import { API_KEY, FakeYouTube } from '../../helpers/youtube/fake-youtube.js';
import {
  deleted,
  FAN,
  giftEvent,
  receivedAll,
  membershipGifting,
  milestone,
  MOD,
  newSponsor,
  superChat,
  superSticker,
  text,
  VIEWER,
} from '../../helpers/youtube/messages.js';

const CH = 'UCstreamer00000000000001';
const worlds = e2eWorlds();

describe('fake YouTube → live-bridge run (child process) → MetaStudio emulator', () => {
  it('reports the exact wire events of a chat, and not its history', async () => {
    expect(existsSync(MAIN), `${MAIN} is missing: run npm run build first`).toBe(true);
    const { emulator, dir, adopt, spawn } = await worlds.start('youtube-e2e-');
    const fake = adopt(new FakeYouTube());
    await fake.listen();
    fake.addChannel(CH, 'StreamerOne');
    const now = Date.now();
    fake.startBroadcast(CH, {
      videoId: 'liveVideo01',
      title: 'E2E ライブ',
      viewers: 4321,
      pollingIntervalMillis: 500,
      history: [text('LCC.history', VIEWER, now - 60_000, 'said before the bridge looked')],
    });
    const config = join(dir, 'youtube-e2e.yaml');
    await writeBridgeConfig(config, {
      stream: 'youtube-e2e',
      source: [
        '- platform: youtube',
        '  name: yt',
        '  room: "@StreamerOne"',
        '  api_key: ${YT_KEY}',
        '  poll_floor_ms: 500',
        // Enough quota that pacing does not stretch the 500 ms polls (source.test.ts covers the pacing).
        '  daily_quota_units: 100000000',
        '  viewers_interval_ms: 30000',
        '  value:',
        '    membership: 499',
        '  urls:',
        `    api_base: ${fake.apiBase}`,
        `    web_base: ${fake.base}`,
      ],
      emulatorUrl: emulator.url,
      stateDir: join(dir, 'state'),
    });
    const bridge = spawn(config, { YT_KEY: API_KEY });
    const f = fake;
    await waitFor(
      () => f.callsTo('liveChat/messages').length >= 1,
      () => `the first chat page; log: ${bridge.output().slice(-2000)}`,
      20_000,
    );

    const s = Date.now();
    fake.push(
      'liveVideo01',
      text('LCC.t1', VIEWER, s, 'こんにちは 🎉 大家好👋🏽'),
      superChat('LCC.sc-usd', FAN, s, { micros: '5000000', currency: 'USD', display: '$5.00', comment: 'Great stream! 🔥' }),
      superChat('LCC.sc-jpy', VIEWER, s, { micros: '1000000000', currency: 'JPY', display: '¥1,000' }),
      superSticker('LCC.ss-eur', FAN, s, {
        micros: '2000000',
        currency: 'EUR',
        display: '€2.00',
        stickerId: 'hype_cat',
        altText: 'Hype cat dancing',
      }),
      superSticker('LCC.ss-krw', VIEWER, s, {
        micros: '10000000000',
        currency: 'KRW',
        display: '₩10,000',
        stickerId: 'dog',
        altText: 'Dog clapping',
      }),
      membershipGifting('LCC.gift-5', FAN, s, 5, 'Fan Club'),
      ...receivedAll('LCC.recv-', FAN, s, 'LCC.gift-5', 'Fan Club', 5),
      milestone('LCC.ms', FAN, s, 12, 'Fan Club', '一年了！Thanks 🙏'),
      newSponsor('LCC.new', VIEWER, s, 'Fan Club'),
      deleted('LCC.del', MOD, s, 'LCC.t1'),
      giftEvent('LCC.combo', VIEWER, s, 'Rose', 1, 10),
      giftEvent('LCC.combo', VIEWER, s, 'Rose', 2, 10),
      giftEvent('LCC.combo', VIEWER, s, 'Rose', 3, 10),
      // The same message again (a retried page): reported once.
      text('LCC.t1', VIEWER, s, 'こんにちは 🎉 大家好👋🏽'),
    );

    // Then a quiet period: nothing more may arrive (no history, no duplicate, no received memberships).
    await awaitAccepted(emulator, bridge, 11);

    // The quota spent, as /metrics counts it, against what the fake charged around the scrape.
    const listening = bridge
      .output()
      .split('\n')
      .find((l) => l.includes('"ops server listening"'));
    const opsUrl = (JSON.parse(listening ?? '{}') as { url?: string }).url;
    expect(opsUrl, bridge.output().slice(0, 2000)).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
    const chatBefore = fake.callsTo('liveChat/messages').length;
    const metrics = await (await fetch(`${opsUrl}/metrics`)).text();
    const chatAfter = fake.callsTo('liveChat/messages').length;
    const counter = (name: string, call: string) =>
      Number(new RegExp(`^${name}\\{source="yt",call="${call}",stream="youtube-e2e"\\} (\\d+)$`, 'm').exec(metrics)?.[1]);
    expect(counter('live_bridge_source_upstream_calls_total', 'live_page')).toBe(1);
    expect(counter('live_bridge_source_upstream_units_total', 'live_page')).toBe(0);
    expect(counter('live_bridge_source_upstream_calls_total', 'videos')).toBe(2);
    expect(counter('live_bridge_source_upstream_units_total', 'videos')).toBe(2);
    const chatCalls = counter('live_bridge_source_upstream_calls_total', 'chat_messages');
    expect(chatCalls).toBeGreaterThanOrEqual(chatBefore);
    expect(chatCalls).toBeLessThanOrEqual(chatAfter);
    expect(counter('live_bridge_source_upstream_units_total', 'chat_messages')).toBe(5 * chatCalls);
    const code = await stopBridge(bridge.child);
    expect(code, bridge.output().slice(-2000)).toBe(0);

    const viewer = `{"userId":"${VIEWER.channelId}","name":"${VIEWER.displayName}","level":0,"badge":"","badgeLevel":0}`;
    const fan = `{"userId":"${FAN.channelId}","name":"${FAN.displayName}","level":0,"badge":"Member","badgeLevel":0}`;
    const gift = (who: string, name: string, num: number, value: number) =>
      `{"user":${who},"gift":{"giftName":"${name}","giftNum":${num},"totalValue":${num * value},"giftValue":${value}}}`;
    const order = (a: { type: number; content: string }, b: typeof a) => a.type - b.type || a.content.localeCompare(b.content);
    const accepted = emulator.accepted().map((a) => a.event);
    expect(accepted.map((e) => ({ type: e.type, content: e.content })).sort(order)).toEqual(
      [
        { type: 1, content: `{"user":${viewer},"content":"こんにちは 🎉 大家好👋🏽"}` },
        { type: 1, content: `{"user":${fan},"content":"Great stream! 🔥"}` },
        { type: 1, content: `{"user":${fan},"content":"一年了！Thanks 🙏"}` },
        { type: 4, content: gift(fan, 'Super Chat', 1, 500) },
        { type: 4, content: gift(viewer, 'Super Chat', 1, 670) },
        { type: 4, content: gift(fan, 'Hype cat dancing', 1, 220) },
        { type: 4, content: gift(viewer, 'Dog clapping', 1, 720) },
        { type: 4, content: gift(fan, 'Membership', 5, 499) },
        { type: 4, content: gift(viewer, 'Rose', 3, 10) },
        { type: 5, content: `{"user":${viewer}}` },
        { type: 6, content: '{"numberOfViewers":4321}' },
      ].sort(order),
    );
    expect(accepted).toHaveLength(11);
    // Message times are publishedAt (microseconds and an offset on the wire) in ms.
    expect(accepted.filter((e) => e.type !== 6).every((e) => e.timestamp === s)).toBe(true);
    expect(
      emulator
        .requests()
        .filter((r) => r.operation === 'report')
        .every((r) => r.status === 200 && r.auth === 'aksk'),
    ).toBe(true);

    // What YouTube saw: the live page, one videos.list, the chat polled with its page tokens, one viewer refresh.
    const endpoints = fake.calls.map((c) => c.endpoint);
    expect(endpoints.slice(0, 3)).toEqual(['/@StreamerOne/live', 'videos', 'liveChat/messages']);
    expect(fake.calls.filter((c) => c.endpoint !== '/@StreamerOne/live').every((c) => c.keyOk)).toBe(true);
    const chat = fake.callsTo('liveChat/messages');
    expect(chat[0]!.params.pageToken).toBeUndefined();
    expect(chat[1]!.params.pageToken).toBe('p1');
    expect(fake.quotaUsed).toBe(fake.calls.reduce((sum, c) => sum + c.cost, 0));

    const output = bridge.output();
    expect(output).toContain('[exit 0 null]');
    expect(output).toContain('source live');
    expect(output).not.toContain(API_KEY);
  });
});
