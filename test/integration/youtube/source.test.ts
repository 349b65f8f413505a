/**
 * The YouTube source (kit lifecycle + poll session + the YouTube connector) against the fake
 * YouTube on 127.0.0.1, on a manual clock. Pacing is asserted from the fake's call log (the
 * test clock's time of every call), quota from what the fake charged.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { create } from '../../../adapters/youtube/index.js';
import { YouTubeSourceSchema } from '../../../adapters/youtube/config.js';
import type { RawFrame } from '../../../adapters/kit/index.js';
import { startHarness, type Harness } from '../../helpers/source-harness.js';
import { waitFor } from '../../helpers/wait.js';
import { API_KEY, FakeYouTube } from '../../helpers/youtube/fake-youtube.js';
import {
  deleted,
  FAN,
  receivedAll,
  membershipGifting,
  milestone,
  MOD,
  superChat,
  superSticker,
  text,
  VIEWER,
} from '../../helpers/youtube/messages.js';

const CH = 'UCstreamer00000000000001';
const CHAT = 'liveChat/messages';
let fake: FakeYouTube | undefined;
let h: Harness | undefined;
let stateDir: string | undefined;

afterEach(async () => {
  await h?.stop();
  await fake?.close();
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
  h = undefined;
  fake = undefined;
  stateDir = undefined;
});

/** The fake (on the harness clock) and a running source with `section` over the defaults. */
async function world(section: Record<string, unknown> = {}, recorder?: (platform: string, frame: RawFrame) => void) {
  let harness: Harness | undefined;
  stateDir ??= await mkdtemp(path.join(tmpdir(), 'yt-source-'));
  const dir = stateDir;
  fake = new FakeYouTube({ now: () => harness?.clock.now() ?? 0 });
  await fake.listen();
  fake.addChannel(CH, 'StreamerOne');
  const f = fake;
  const config = YouTubeSourceSchema.parse({
    platform: 'youtube',
    name: 'yt',
    room: '@StreamerOne',
    api_key: API_KEY,
    urls: { api_base: f.apiBase, web_base: f.base },
    daily_quota_units: 1_000_000,
    viewers_interval_ms: 0,
    ...section,
  });
  return {
    fake: f,
    start() {
      harness = startHarness((deps) => create(config, { ...deps, stateDir: dir, ...(recorder ? { recorder } : {}) }));
      h = harness;
      return harness;
    },
  };
}

const chatCalls = (f: FakeYouTube) => f.callsTo(CHAT);
/** Waits until the source has made `n` chat calls and is waiting on the clock again. */
async function afterChatCalls(f: FakeYouTube, harness: Harness, n: number) {
  await waitFor(
    () => chatCalls(f).length === n && harness.clock.pending > 0,
    () => `${n} chat calls (saw ${chatCalls(f).length})`,
  );
}

const T = 1_764_000_000_000;

/** Waits for the `blocked` state this room's own budget causes, and checks its reason. */
async function expectRoomBudgetSpent(harness: Harness, units: number) {
  await waitFor(() => harness.states.at(-1)?.state === 'blocked', 'blocked');
  expect(harness.states.at(-1)).toEqual({
    state: 'blocked',
    reason: `this room's daily_quota_units (${units}) are spent; waiting for midnight Pacific (08:00 UTC)`,
  });
}
const user = (a: typeof VIEWER, badge = '') => ({ id: a.channelId, name: a.displayName, level: 0, badge, badgeLevel: 0 });

describe('youtube source against the fake YouTube', () => {
  it('waits offline, follows the broadcast, skips its history, reports the chat, and honours pollingIntervalMillis', async () => {
    const { fake, start } = await world();
    const h = start();
    await waitFor(() => h.states.some((s) => s.state === 'offline'), 'offline');
    expect(h.states.at(-1)).toEqual({ state: 'offline', reason: 'no live broadcast on @StreamerOne' });

    fake.startBroadcast(CH, {
      videoId: 'liveVideo01',
      title: 'ライブ 🎮',
      pollingIntervalMillis: 3_000,
      history: [text('LCC.old', VIEWER, T - 60_000, 'before')],
    });
    h.clock.advance(60_000);
    await afterChatCalls(fake, h, 1);
    expect(h.states.at(-1)).toEqual({ state: 'live', roomId: 'liveVideo01', title: 'ライブ 🎮' });
    expect(h.events).toEqual([]);
    expect(h.clock.delays()).toEqual([3_000]);

    fake.push(
      'liveVideo01',
      text('LCC.t1', VIEWER, T + 1_000, 'こんにちは 🎉 大家好'),
      superChat('LCC.sc1', FAN, T + 1_001, { micros: '2000000', currency: 'USD', display: '$2.00', comment: 'Go go 🚀' }),
      superSticker('LCC.ss1', VIEWER, T + 1_002, {
        micros: '500000000',
        currency: 'JPY',
        display: '¥500',
        stickerId: 'cat_1',
        altText: 'Cat waving',
      }),
      membershipGifting('LCC.mg1', FAN, T + 1_003, 5, 'Fan Club'),
      ...receivedAll('LCC.gr', FAN, T + 1_004, 'LCC.mg1', 'Fan Club', 5),
      milestone('LCC.ms1', FAN, T + 1_005, 12, 'Fan Club', '一年 🎂'),
      deleted('LCC.del', MOD, T + 1_006, 'LCC.t1'),
    );
    h.clock.advance(3_000);
    await afterChatCalls(fake, h, 2);
    expect(h.events).toEqual([
      { id: 'LCC.t1', platform: 'youtube', source: 'yt', ts: T + 1_000, kind: 'comment', user: user(VIEWER), text: 'こんにちは 🎉 大家好' },
      {
        id: 'LCC.sc1',
        platform: 'youtube',
        source: 'yt',
        ts: T + 1_001,
        kind: 'gift',
        user: user(FAN, 'Member'),
        gift: { giftId: 'super_chat', name: 'Super Chat', count: 1, unitValue: 200 },
      },
      {
        id: 'LCC.sc1:comment',
        platform: 'youtube',
        source: 'yt',
        ts: T + 1_001,
        kind: 'comment',
        user: user(FAN, 'Member'),
        text: 'Go go 🚀',
      },
      {
        id: 'LCC.ss1',
        platform: 'youtube',
        source: 'yt',
        ts: T + 1_002,
        kind: 'gift',
        user: user(VIEWER),
        gift: { giftId: 'cat_1', name: 'Cat waving', count: 1, unitValue: 335 },
      },
      {
        id: 'LCC.mg1',
        platform: 'youtube',
        source: 'yt',
        ts: T + 1_003,
        kind: 'gift',
        user: user(FAN, 'Member'),
        gift: { giftId: 'membership', name: 'Membership', count: 5, unitValue: 0 },
      },
      { id: 'LCC.ms1', platform: 'youtube', source: 'yt', ts: T + 1_005, kind: 'comment', user: user(FAN, 'Member'), text: '一年 🎂' },
    ]);
    h.clock.advance(3_000);
    await afterChatCalls(fake, h, 3);

    // The fake saw the first call without a token, then each page's token, 3 s apart on the test clock.
    const calls = chatCalls(fake);
    expect(calls.map((c) => c.params.pageToken)).toEqual([undefined, 'p1', 'p12']);
    expect(calls.map((c) => c.at - calls[0]!.at)).toEqual([0, 3_000, 6_000]);
    expect(calls.every((c) => c.keyOk && c.params.maxResults === '500')).toBe(true);
    expect(h.discards).toEqual([]);
    expect(h.reconnects).toEqual(['initial']);
  });

  it('never polls faster than poll_floor_ms, whatever pollingIntervalMillis says', async () => {
    const { fake, start } = await world({ poll_floor_ms: 4_000 });
    fake.startBroadcast(CH, { videoId: 'liveVideo01', pollingIntervalMillis: 500 });
    const h = start();
    await afterChatCalls(fake, h, 1);
    expect(h.clock.delays()).toEqual([4_000]);
    h.clock.advance(3_999);
    await new Promise((r) => setTimeout(r, 30));
    expect(chatCalls(fake)).toHaveLength(1);
    h.clock.advance(1);
    await afterChatCalls(fake, h, 2);
    expect(chatCalls(fake)[1]!.at - chatCalls(fake)[0]!.at).toBe(4_000);
  });

  it('stretches the interval so a small daily budget lasts until midnight Pacific', async () => {
    const { fake, start } = await world({ daily_quota_units: 1_000 });
    fake.startBroadcast(CH, { videoId: 'liveVideo01', pollingIntervalMillis: 3_000 });
    const h = start();
    await afterChatCalls(fake, h, 1);
    // 16 h to the reset (08:00 PST → 08:00 UTC next day); spent: videos 1 + chat 5.
    const left = Date.UTC(2025, 10, 25, 8) - T;
    expect(left).toBe(16 * 3_600_000);
    const projected = (5 * left) / 3_000;
    expect(h.clock.delays()).toEqual([Math.ceil((3_000 * projected) / (1_000 - 6))]);
    expect(fake.quotaUsed).toBe(6);
  });

  /** Advances the clock to its next timer (the source idle between steps) until `done`, at most `steps` times. */
  async function stepTimers(harness: Harness, done: () => boolean, steps: number) {
    for (let i = 0; i < steps && !done(); i += 1) {
      harness.clock.advance(Math.min(...harness.clock.delays()));
      await waitFor(
        () => harness.clock.pending > 0,
        () => `the source waiting on the clock (${harness.clock.now() - T} ms, states ${JSON.stringify(harness.states.slice(-2))})`,
      );
    }
  }

  it('looks at a scheduled broadcast every offline_poll_ms (each look 1 unit), never sooner', async () => {
    const { fake, start } = await world();
    fake.startBroadcast(CH, { videoId: 'soonVideo01', state: 'upcoming' });
    const h = start();
    const videos = () => fake.callsTo('videos');
    await waitFor(() => h.states.at(-1)?.state === 'offline' && h.clock.pending > 0, 'offline');
    expect(h.states.at(-1)).toEqual({
      state: 'offline',
      reason: 'a broadcast is scheduled on @StreamerOne (video soonVideo01), not started',
    });
    await stepTimers(h, () => videos().length === 3, 10);
    // The lifecycle's poll is jittered (pinned to its shortest, 48 s, here): the look waits out the rest of the minute.
    expect(videos().map((c) => c.at - T)).toEqual([0, 60_000, 120_000]);
    expect(fake.callsTo('/@StreamerOne/live').map((c) => c.at - T)).toEqual([0, 48_000, 108_000]);
    expect(fake.quotaUsed).toBe(3);
  });

  it('stretches the offline looks so a small budget lasts until midnight Pacific, but looks at a new video at once', async () => {
    const { fake, start } = await world({ daily_quota_units: 100 });
    fake.startBroadcast(CH, { videoId: 'soonVideo01', state: 'upcoming' });
    const h = start();
    const videos = () => fake.callsTo('videos');
    await waitFor(() => videos().length === 1 && h.clock.pending > 0, 'the first look');
    // 16 h to the reset, 99 units left, a look a minute would cost 960: each look waits 960 ÷ 99 minutes.
    const left = Date.UTC(2025, 10, 25, 8) - T;
    const stretched = Math.ceil((60_000 * (left / 60_000)) / 99);
    expect(stretched).toBe(581_819);
    await stepTimers(h, () => videos().length === 2, 12);
    expect(videos().map((c) => c.at - T)).toEqual([0, stretched]);
    // The live page (free) was read on every poll meanwhile: at 0, 48 s, and once more when the look waited.
    expect(fake.callsTo('/@StreamerOne/live').map((c) => c.at - T)).toEqual([0, 48_000]);
    expect(fake.quotaUsed).toBe(2);

    // The channel now shows another broadcast, live: it is looked at on the next poll, not after the stretch.
    const before = h.clock.now();
    fake.startBroadcast(CH, { videoId: 'liveVideo02', pollingIntervalMillis: 60_000 });
    await stepTimers(h, () => chatCalls(fake).length === 1, 2);
    await afterChatCalls(fake, h, 1);
    expect(videos().map((c) => c.params.id)).toEqual(['soonVideo01', 'soonVideo01', 'liveVideo02']);
    expect(videos()[2]!.at - before).toBe(48_000);
    expect(h.states.at(-1)).toEqual({ state: 'live', roomId: 'liveVideo02', title: 'Live liveVideo02' });
  });

  it('spreads offline looks over the quota day: a budget of 10 is never overspent and lasts until the reset', async () => {
    const { fake, start } = await world({ room: 'soonVideo01', daily_quota_units: 10, offline_poll_ms: 10_000 });
    fake.startBroadcast(CH, { videoId: 'soonVideo01', state: 'upcoming' });
    const h = start();
    const reset = Date.UTC(2025, 10, 25, 8);
    await waitFor(() => h.clock.pending > 0, 'the first look');
    await stepTimers(h, () => h.clock.now() >= reset, 200);
    const today = fake.calls.filter((c) => c.at < reset);
    // After the first look each waits (time left ÷ units left): 16 h ÷ 9, and the same again each time,
    // so nine looks are evenly spread and the tenth unit is due at the reset, where a new day starts.
    const step = (reset - T) / 9;
    expect(today.map((c) => c.endpoint)).toEqual(Array(9).fill('videos'));
    const gaps = today.slice(1).map((c, i) => c.at - today[i]!.at);
    for (const g of gaps) expect(Math.abs(g - step)).toBeLessThanOrEqual(1);
    expect(fake.calls.filter((c) => c.at >= reset)).toHaveLength(1);
    expect(h.states.some((s) => s.state === 'blocked')).toBe(false);
  });

  it('is blocked until midnight Pacific when Google answers quotaExceeded, with no call in between', async () => {
    const { fake, start } = await world();
    fake.startBroadcast(CH, { videoId: 'liveVideo01', pollingIntervalMillis: 3_000 });
    const h = start();
    await afterChatCalls(fake, h, 1);
    fake.quotaLimit = fake.quotaUsed;
    h.clock.advance(3_000);
    await waitFor(() => h.states.at(-1)?.state === 'blocked', 'blocked');
    expect(h.states.at(-1)).toEqual({
      state: 'blocked',
      reason: "Google answered quotaExceeded: the project's daily quota is spent; waiting for midnight Pacific (08:00 UTC)",
    });
    const seen = fake.calls.length;
    const resetIn = Date.UTC(2025, 10, 25, 8) - h.clock.now();
    h.clock.advance(resetIn - 60_000);
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.calls.length).toBe(seen);
    // Google's day starts: the quota is back, and so is the chat, with the same page token.
    fake.quotaLimit = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 5 && chatCalls(fake).length < 3; i += 1) {
      h.clock.advance(60_000);
      await new Promise((r) => setTimeout(r, 30));
    }
    await waitFor(() => chatCalls(fake).length === 3 && h.states.at(-1)?.state === 'live', 'polling again after the reset');
    expect(chatCalls(fake)[2]!.at).toBeGreaterThanOrEqual(Date.UTC(2025, 10, 25, 8));
    expect(chatCalls(fake).map((c) => [c.status, c.params.pageToken])).toEqual([
      [200, undefined],
      [403, 'p0'],
      [200, 'p0'],
    ]);
  });

  it("is blocked when this room's own daily_quota_units are spent", async () => {
    const { fake, start } = await world({ daily_quota_units: 10 });
    fake.startBroadcast(CH, { videoId: 'liveVideo01', pollingIntervalMillis: 3_000 });
    const h = start();
    await afterChatCalls(fake, h, 1);
    h.clock.advance(3_000);
    await expectRoomBudgetSpent(h, 10);
    expect(fake.calls.map((c) => c.endpoint)).toEqual(['/@StreamerOne/live', 'videos', CHAT]);
    expect(fake.quotaUsed).toBe(6);
  });

  it("keeps the day's spend across a restart (state_dir), so a new run cannot overspend it", async () => {
    const { fake, start } = await world({ daily_quota_units: 12 });
    fake.startBroadcast(CH, { videoId: 'liveVideo01', pollingIntervalMillis: 3_000 });
    const first = start();
    await afterChatCalls(fake, first, 1);
    await first.stop();
    // A new run of the same source on the same day: 6 units were spent, 6 are left.
    const second = start();
    await afterChatCalls(fake, second, 2);
    second.clock.advance(3_000);
    await expectRoomBudgetSpent(second, 12);
    expect(fake.quotaUsed).toBe(12);
  });

  it('ends with the chat (offlineAt, then liveChatEnded) and follows the channel to its next broadcast', async () => {
    const { fake, start } = await world();
    const first = fake.startBroadcast(CH, { videoId: 'liveVideo01', pollingIntervalMillis: 3_000 });
    const h = start();
    await afterChatCalls(fake, h, 1);
    fake.push('liveVideo01', text('LCC.last', VIEWER, T, 'bye 👋'));
    fake.end('liveVideo01', 'offline_at');
    h.clock.advance(3_000);
    await waitFor(() => h.states.at(-1)?.state === 'ended', 'ended');
    expect(h.states.at(-1)).toEqual({ state: 'ended', reason: 'the stream went offline' });
    expect(h.events.map((e) => e.id)).toEqual(['LCC.last']);

    h.clock.advance(60_000);
    await waitFor(() => h.states.at(-1)?.state === 'offline', 'offline');
    fake.startBroadcast(CH, { videoId: 'liveVideo02', pollingIntervalMillis: 3_000, history: [text('LCC.h2', VIEWER, T, 'old news')] });
    h.clock.advance(60_000);
    await waitFor(() => h.states.at(-1)?.state === 'live', 'live again');
    expect(h.states.at(-1)).toEqual({ state: 'live', roomId: 'liveVideo02', title: 'Live liveVideo02' });
    await afterChatCalls(fake, h, 3);
    fake.push('liveVideo02', text('LCC.n2', VIEWER, T, 'new show'));
    h.clock.advance(3_000);
    await afterChatCalls(fake, h, 4);
    expect(h.events.map((e) => e.id)).toEqual(['LCC.last', 'LCC.n2']);
    // The ended chat was never polled again.
    expect(chatCalls(fake).map((c) => c.params.liveChatId === first.chatId)).toEqual([true, true, false, false]);
    expect(h.reconnects).toEqual(['initial', 'new_broadcast']);
  });

  it('ends on 403 liveChatEnded', async () => {
    const { fake, start } = await world();
    fake.startBroadcast(CH, { videoId: 'liveVideo01', pollingIntervalMillis: 3_000 });
    const h = start();
    await afterChatCalls(fake, h, 1);
    fake.end('liveVideo01', 'chat_ended');
    h.clock.advance(3_000);
    await waitFor(() => h.states.at(-1)?.state === 'ended', 'ended');
    expect(h.states.at(-1)).toEqual({ state: 'ended', reason: 'the live chat ended' });
  });

  it('ends on 403 liveChatDisabled and never polls that chat again while the broadcast goes on', async () => {
    const { fake, start } = await world();
    const b = fake.startBroadcast(CH, { videoId: 'liveVideo01', pollingIntervalMillis: 3_000 });
    const h = start();
    await afterChatCalls(fake, h, 1);
    b.chatDisabled = true;
    h.clock.advance(3_000);
    await waitFor(() => h.states.at(-1)?.state === 'ended', 'ended');
    expect(h.states.at(-1)).toEqual({ state: 'ended', reason: 'the broadcast has no live chat (liveChatDisabled)' });
    h.clock.advance(60_000);
    await waitFor(() => h.states.at(-1)?.state === 'offline', 'offline');
    expect(h.states.at(-1)).toEqual({ state: 'offline', reason: 'the live chat of liveVideo01 is over; the broadcast goes on without it' });
    h.clock.advance(60_000);
    await waitFor(() => fake.callsTo('videos').length === 3 && h.clock.pending > 0, 'a third look');
    expect(chatCalls(fake)).toHaveLength(2);
  });

  it('backs off garbage and server errors, keeps the page token, and counts the garbage', async () => {
    const { fake, start } = await world();
    fake.startBroadcast(CH, { videoId: 'liveVideo01', pollingIntervalMillis: 3_000 });
    const h = start();
    await afterChatCalls(fake, h, 1);
    fake.chatOverrides.push(
      { status: 200, body: '<html><body>Service Unavailable</body></html>', contentType: 'text/html' },
      { status: 200, body: '{"kind":"youtube#liveChatMessageListResponse","items":[' },
      { status: 200, body: '{"kind":"youtube#liveChatMessageListResponse","items":[]}' },
      { status: 502, body: '<html>Bad Gateway</html>', contentType: 'text/html' },
      { status: 403, body: '<html>proxy says no</html>', contentType: 'text/html' },
    );
    fake.push('liveVideo01', text('LCC.after', VIEWER, T, 'still here'));
    h.clock.advance(3_000);
    // random is pinned to 0 in the harness: every backoff is 0 ms, so the retries follow at once.
    await waitFor(() => h.events.length === 1, 'the message after the garbage');
    expect(chatCalls(fake).map((c) => [c.status, c.params.pageToken])).toEqual([
      [200, undefined],
      [200, 'p0'],
      [200, 'p0'],
      [200, 'p0'],
      [502, 'p0'],
      [403, 'p0'],
      [200, 'p0'],
    ]);
    expect(h.discards.map((d) => d.reason)).toEqual(['answer_not_json', 'answer_not_json', 'answer_unexpected', 'error_not_json']);
    expect(h.events.map((e) => e.id)).toEqual(['LCC.after']);
    expect(h.states.at(-1)).toEqual({ state: 'live', roomId: 'liveVideo01', title: 'Live liveVideo01' });
  });

  it('reports a refused key as an error state with its code, and never shows the key', async () => {
    const { fake, start } = await world({ api_key: 'AIzaSy-not-the-right-key' });
    fake.startBroadcast(CH, { videoId: 'liveVideo01' });
    const h = start();
    // random is pinned to 0 in the harness, so the retries follow at once: look at the first error.
    await waitFor(
      () => h.states.some((s) => s.state === 'error'),
      () => `error (states ${JSON.stringify(h.states.slice(-3))})`,
    );
    expect(h.states.find((s) => s.state === 'error')).toEqual({
      state: 'error',
      reason: 'API key refused (key_invalid): API key not valid. Please pass a valid API key.',
      code: 'youtube_key_invalid',
    });
    expect(JSON.stringify(h.logs)).not.toContain('AIzaSy-not-the-right-key');
  });

  it('refreshes the viewer count every viewers_interval_ms inside the chat poll', async () => {
    const { fake, start } = await world({ viewers_interval_ms: 30_000 });
    const b = fake.startBroadcast(CH, { videoId: 'liveVideo01', pollingIntervalMillis: 10_000, viewers: 321 });
    const h = start();
    await afterChatCalls(fake, h, 1);
    for (let n = 2; n <= 5; n += 1) {
      h.clock.advance(10_000);
      await afterChatCalls(fake, h, n);
      if (n === 2) b.viewers = 400;
    }
    const viewers = h.events.filter((e) => e.kind === 'viewers');
    expect(viewers.map((e) => (e.kind === 'viewers' ? [e.id, e.count, e.ts - T] : []))).toEqual([
      [`liveVideo01:viewers:${T / 1000}`, 321, 0],
      [`liveVideo01:viewers:${T / 1000 + 30}`, 400, 30_000],
    ]);
    // One videos.list to find the broadcast, then one per refresh.
    expect(fake.callsTo('videos').map((c) => c.at - T)).toEqual([0, 0, 30_000]);
  });

  it('finds the video with search.list (100 units) when the live page is a consent wall', async () => {
    const { fake, start } = await world();
    fake.channels.get(CH)!.page = 'consent';
    fake.startBroadcast(CH, { videoId: 'liveVideo01' });
    const h = start();
    await afterChatCalls(fake, h, 1);
    expect(fake.calls.map((c) => [c.endpoint, c.cost])).toEqual([
      ['/@StreamerOne/live', 0],
      ['channels', 1],
      ['search', 100],
      ['videos', 1],
      [CHAT, 5],
    ]);
  });

  it('follows a video room to its channel after the broadcast ends', async () => {
    const { fake, start } = await world({ room: 'https://www.youtube.com/watch?v=liveVideo01' });
    fake.startBroadcast(CH, { videoId: 'liveVideo01', pollingIntervalMillis: 3_000 });
    const h = start();
    await afterChatCalls(fake, h, 1);
    fake.end('liveVideo01', 'chat_ended');
    h.clock.advance(3_000);
    await waitFor(() => h.states.at(-1)?.state === 'ended', 'ended');
    h.clock.advance(60_000);
    await waitFor(() => h.states.at(-1)?.state === 'offline', 'offline');
    expect(h.states.at(-1)).toEqual({ state: 'offline', reason: `the broadcast liveVideo01 is over; following its channel ${CH}` });
    fake.startBroadcast(CH, { videoId: 'liveVideo02', pollingIntervalMillis: 3_000 });
    h.clock.advance(60_000);
    await waitFor(() => h.states.at(-1)?.state === 'live', 'the next broadcast');
    expect(fake.calls.map((c) => c.endpoint)).toContain(`/channel/${CH}/live`);
  });

  it('records the chat pages after the history page and the viewer answers, and replays them to the same events', async () => {
    const frames: RawFrame[] = [];
    const { fake, start } = await world({ viewers_interval_ms: 30_000 }, (_platform, frame) => frames.push(frame));
    fake.startBroadcast(CH, {
      videoId: 'liveVideo01',
      pollingIntervalMillis: 10_000,
      viewers: 77,
      history: [text('LCC.old', VIEWER, T, 'x')],
    });
    const h = start();
    await afterChatCalls(fake, h, 1);
    fake.push(
      'liveVideo01',
      text('LCC.r1', VIEWER, T, 'recorded'),
      superChat('LCC.r2', FAN, T, { micros: '1000000', currency: 'EUR', display: '€1' }),
    );
    h.clock.advance(10_000);
    await afterChatCalls(fake, h, 2);
    expect(frames).toHaveLength(2);
    const { replay } = await import('../../../adapters/youtube/index.js');
    const options = replay.options.parse({ gift_names: {} });
    const discards: string[] = [];
    const decode = replay.decoder(options, {
      source: 'yt',
      now: () => h.clock.now(),
      discards: { report: (r: string) => discards.push(r) } as never,
    });
    const replayed = frames.flatMap((f) => decode(f).events);
    // Viewer counts are stamped when they are read (live) or replayed; everything else is the same.
    expect(replayed.map((e) => e.kind)).toEqual(['viewers', 'comment', 'gift']);
    expect(replayed.slice(1)).toEqual(h.events.slice(1));
    expect(replayed[0]).toMatchObject({ kind: 'viewers', count: 77 });
    expect(h.events[0]).toMatchObject({ kind: 'viewers', count: 77 });
    expect(discards).toEqual([]);
  });
});
