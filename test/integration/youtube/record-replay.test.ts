/**
 * `live-bridge record` of a YouTube source against the fake YouTube, then a `replay` source over
 * the capture, found through the registry: the recorded chat pages (never the history page) and
 * viewer answers go through the same page decoder and route table and give the same events the
 * live source reported; the offlineAt page ends the replayed broadcast; the key is nowhere.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { registry } from '../../../adapters/registry.js';
import { ReplaySourceSchema } from '../../../adapters/replay/config.js';
import { create as createReplaySource } from '../../../adapters/replay/index.js';
import type { BridgeEvent } from '../../../src/core/events.js';
import type { SourceDiscard, SourceState } from '../../../src/core/source.js';
import { cli } from '../../helpers/cli.js';
import { ManualClock } from '../../helpers/clock.js';
import { writeBridgeConfig } from '../../helpers/e2e.js';
import { silentLogger } from '../../helpers/logger.js';
import { waitFor } from '../../helpers/wait.js';
import { API_KEY, FakeYouTube } from '../../helpers/youtube/fake-youtube.js';
import {
  deleted,
  FAN,
  membershipGifting,
  milestone,
  receivedAll,
  superChat,
  superSticker,
  text,
  VIEWER,
} from '../../helpers/youtube/messages.js';

const CH = 'UCstreamer00000000000001';
const T = 1_764_000_000_000;

const undo: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of undo.splice(0).reverse()) await step();
});

async function replay(file: string) {
  const source = createReplaySource(
    ReplaySourceSchema.parse({ platform: 'replay', file, speed: 0, name: 'rp', options: { value: { membership: 499 } } }),
    { logger: silentLogger(), clock: new ManualClock(), stateDir: '/nonexistent', plugins: (p) => registry.get(p) },
  );
  const events: BridgeEvent[] = [];
  const states: SourceState[] = [];
  const discards: SourceDiscard[] = [];
  source.on('event', (e) => events.push(e));
  source.on('state', (s) => states.push(s));
  source.on('discard', (d) => discards.push(d));
  await source.start(new AbortController().signal);
  return { events, states, discards };
}

describe('record and replay (youtube)', () => {
  it('records the chat pages after the history page and the viewer answers, and replays them to the same events', async () => {
    const fake = new FakeYouTube();
    await fake.listen();
    undo.push(() => fake.close());
    fake.addChannel(CH, 'StreamerOne');
    fake.startBroadcast(CH, {
      videoId: 'liveVideo01',
      viewers: 55,
      pollingIntervalMillis: 500,
      history: [text('LCC.history', VIEWER, T - 60_000, 'said before the bridge looked')],
    });
    const dir = await mkdtemp(join(tmpdir(), 'yt-record-'));
    undo.push(() => rm(dir, { recursive: true, force: true }));
    const config = join(dir, 'yt.yaml');
    await writeBridgeConfig(config, {
      stream: 'record-yt',
      source: [
        '- platform: youtube',
        '  name: yt',
        '  room: "@StreamerOne"',
        '  api_key: ${YT_KEY}',
        '  poll_floor_ms: 500',
        '  daily_quota_units: 100000000',
        '  viewers_interval_ms: 3600000',
        '  value:',
        '    membership: 499',
        '  urls:',
        `    api_base: ${fake.apiBase}`,
        `    web_base: ${fake.base}`,
      ],
      emulatorUrl: 'http://127.0.0.1:9',
      stateDir: join(dir, 'state'),
    });
    const out = join(dir, 'yt.jsonl');
    const stop = new AbortController();
    const recording = cli(['record', config, '--out', out], { env: { YT_KEY: API_KEY, HW_AK: 'ak', HW_SK: 'sk' }, signal: stop.signal });
    const chat = () => fake.callsTo('liveChat/messages');
    await waitFor(() => chat().length >= 1, 'the history page', 20_000);

    fake.push(
      'liveVideo01',
      text('LCC.t1', VIEWER, T, 'こんにちは 🎉 大家好'),
      superChat('LCC.sc-usd', FAN, T, { micros: '5000000', currency: 'USD', display: '$5.00', comment: 'Great stream! 🔥' }),
      superSticker('LCC.ss-jpy', VIEWER, T, {
        micros: '500000000',
        currency: 'JPY',
        display: '¥500',
        stickerId: 'cat_1',
        altText: 'Cat waving',
      }),
      membershipGifting('LCC.gift-5', FAN, T, 5, 'Fan Club'),
      ...receivedAll('LCC.recv-', FAN, T, 'LCC.gift-5', 'Fan Club', 5),
      milestone('LCC.ms', FAN, T, 12, 'Fan Club', '一年了！'),
      deleted('LCC.del', VIEWER, T, 'LCC.t1'),
    );
    const seen = chat().length;
    await waitFor(() => chat().length >= seen + 2, 'the page with the messages', 20_000);
    fake.end('liveVideo01', 'offline_at');
    // Served is not yet recorded: stop only once the capture holds the offlineAt page.
    await waitFor(async () => (await readFile(out, 'utf8').catch(() => '')).includes('offlineAt'), 'the offlineAt page recorded', 20_000);
    stop.abort();
    const result = await recording;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr + result.stdout).not.toContain(API_KEY);

    const capture = await readFile(out, 'utf8');
    expect(capture).not.toContain(API_KEY);
    expect(capture).not.toContain('LCC.history');
    const lines = capture
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { platform: string; text?: string; b64?: string });
    expect(lines.every((l) => l.platform === 'youtube' && typeof l.text === 'string' && l.b64 === undefined)).toBe(true);
    // The viewer answer (read with the history page), then each chat page after it, the last one with offlineAt.
    expect(JSON.parse(lines[0]!.text!)).toMatchObject({ kind: 'youtube#videoListResponse' });
    expect(lines.slice(1).every((l) => JSON.parse(l.text!).kind === 'youtube#liveChatMessageListResponse')).toBe(true);
    expect(JSON.parse(lines.at(-1)!.text!).offlineAt).toEqual(expect.any(String));
    expect(lines).toHaveLength(chat().filter((c) => c.params.pageToken !== undefined && c.status === 200).length + 1);
    expect(result.stderr).toContain(`recorded ${lines.length} frame(s)`);

    const r = await replay(out);
    const base = { platform: 'youtube', source: 'rp', ts: T };
    const viewer = { id: VIEWER.channelId, name: VIEWER.displayName, level: 0, badge: '', badgeLevel: 0 };
    const fan = { id: FAN.channelId, name: FAN.displayName, level: 0, badge: 'Member', badgeLevel: 0 };
    expect(r.events[0]).toMatchObject({ kind: 'viewers', count: 55, id: expect.stringMatching(/^liveVideo01:viewers:\d+$/) });
    expect(r.events.slice(1)).toEqual([
      { ...base, id: 'LCC.t1', kind: 'comment', user: viewer, text: 'こんにちは 🎉 大家好' },
      { ...base, id: 'LCC.sc-usd', kind: 'gift', user: fan, gift: { giftId: 'super_chat', name: 'Super Chat', count: 1, unitValue: 500 } },
      { ...base, id: 'LCC.sc-usd:comment', kind: 'comment', user: fan, text: 'Great stream! 🔥' },
      { ...base, id: 'LCC.ss-jpy', kind: 'gift', user: viewer, gift: { giftId: 'cat_1', name: 'Cat waving', count: 1, unitValue: 335 } },
      { ...base, id: 'LCC.gift-5', kind: 'gift', user: fan, gift: { giftId: 'membership', name: 'Membership', count: 5, unitValue: 499 } },
      { ...base, id: 'LCC.ms', kind: 'comment', user: fan, text: '一年了！' },
    ]);
    expect(r.discards).toEqual([]);
    expect(r.states.map((s) => s.state)).toContain('ended');
    expect(r.states.find((s) => s.state === 'ended')).toEqual({
      state: 'ended',
      reason: 'the capture recorded the end of the chat',
    });
  });
});
