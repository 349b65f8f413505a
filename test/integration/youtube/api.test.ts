/**
 * The Data API client and the live-page reader against the fake YouTube on 127.0.0.1: the key
 * as a query parameter, each call charged to the budget at its real cost, numbers that arrive as
 * strings, Google's error bodies classified, and the page path with its consent and garbage cases.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { YouTubeApi } from '../../../adapters/youtube/api.js';
import { classifyError } from '../../../adapters/youtube/errors.js';
import { LivePages } from '../../../adapters/youtube/live-page.js';
import { QuotaBudget } from '../../../adapters/youtube/quota.js';
import { YouTubeSourceSchema } from '../../../adapters/youtube/config.js';
import { API_KEY, FakeYouTube } from '../../helpers/youtube/fake-youtube.js';
import { text, VIEWER } from '../../helpers/youtube/messages.js';

const CH = 'UCstreamer00000000000001';
let fake: FakeYouTube | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(key = API_KEY) {
  fake = new FakeYouTube();
  await fake.listen();
  fake.addChannel(CH, 'StreamerOne');
  const config = YouTubeSourceSchema.parse({
    platform: 'youtube',
    room: '@StreamerOne',
    api_key: key,
    urls: { api_base: fake.apiBase, web_base: fake.base },
  });
  const budget = new QuotaBudget({ dailyUnits: 10_000, now: () => Date.now() });
  const api = new YouTubeApi({ config, budget });
  const pages = new LivePages({ webBase: fake.base, timeoutMs: 5_000 });
  return { fake, api, pages, budget, signal: new AbortController().signal };
}

describe('YouTubeApi against the fake Data API', () => {
  it('reads a live broadcast: chat id, state, channel and viewers (a string on the wire)', async () => {
    const { fake, api, budget, signal } = await setup();
    const b = fake.startBroadcast(CH, { videoId: 'liveVideo01', title: '配信中 🎮', viewers: 1234 });
    const live = await api.video('liveVideo01', signal);
    expect(live).toMatchObject({
      ok: true,
      value: { info: { videoId: 'liveVideo01', channelId: CH, title: '配信中 🎮', state: 'live', chatId: b.chatId, viewers: 1234 } },
    });
    // The text as it came: concurrentViewers is a JSON string on the wire.
    expect(live.ok && live.value.text).toContain('"concurrentViewers":"1234"');
    expect(fake.calls[0]).toMatchObject({
      endpoint: 'videos',
      keyOk: true,
      status: 200,
      cost: 1,
      params: { part: 'liveStreamingDetails,snippet', id: 'liveVideo01', key: API_KEY },
    });
    fake.end('liveVideo01');
    expect(await api.video('liveVideo01', signal)).toMatchObject({
      ok: true,
      value: { info: { state: 'ended', chatId: undefined, viewers: undefined } },
    });
    fake.startBroadcast(CH, { videoId: 'soonVideo01', state: 'upcoming' });
    expect(await api.video('soonVideo01', signal)).toMatchObject({ ok: true, value: { info: { state: 'upcoming', chatId: undefined } } });
    expect(await api.video('nopeVideo01', signal)).toMatchObject({ ok: true, value: { info: undefined } });
    expect(budget.totals().videos).toEqual({ calls: 4, units: 4 });
  });

  it('fetches chat pages with the token and maxResults, charging 5 units each', async () => {
    const { fake, api, budget, signal } = await setup();
    const b = fake.startBroadcast(CH, {
      videoId: 'liveVideo01',
      history: [text('LCC.h1', VIEWER, 1, 'old')],
      pollingIntervalMillis: 4_321,
    });
    const first = await api.chatPage(b.chatId, undefined, signal);
    if (!first.ok) throw new Error('first page failed');
    expect(JSON.parse(first.value)).toMatchObject({ nextPageToken: 'p1', pollingIntervalMillis: 4_321, items: [{ id: 'LCC.h1' }] });
    fake.push('liveVideo01', text('LCC.n1', VIEWER, 2, 'new'));
    const second = await api.chatPage(b.chatId, 'p1', signal);
    if (!second.ok) throw new Error('second page failed');
    expect(JSON.parse(second.value)).toMatchObject({ nextPageToken: 'p2', items: [{ id: 'LCC.n1' }] });
    expect(fake.callsTo('liveChat/messages').map((c) => c.params)).toEqual([
      { liveChatId: b.chatId, part: 'id,snippet,authorDetails', maxResults: '500', key: API_KEY },
      { liveChatId: b.chatId, part: 'id,snippet,authorDetails', maxResults: '500', pageToken: 'p1', key: API_KEY },
    ]);
    expect(budget.totals().chat_messages).toEqual({ calls: 2, units: 10 });
    expect(fake.quotaUsed).toBe(10);
  });

  it('classifies liveChatEnded, quotaExceeded, a wrong key and a missing key from the real bodies', async () => {
    const { fake, api, signal } = await setup();
    const b = fake.startBroadcast(CH, { videoId: 'liveVideo01' });
    fake.end('liveVideo01', 'chat_ended');
    expect(await api.chatPage(b.chatId, 'p0', signal)).toEqual({
      ok: false,
      failure: { kind: 'chat_ended', message: 'The live chat is no longer live.' },
    });
    fake.quotaLimit = fake.quotaUsed;
    expect(await api.video('liveVideo01', signal)).toMatchObject({ ok: false, failure: { kind: 'quota_exceeded' } });
    const wrong = new YouTubeApi({
      config: YouTubeSourceSchema.parse({ platform: 'youtube', room: CH, api_key: 'AIzaSy-wrong', urls: { api_base: fake.apiBase } }),
      budget: new QuotaBudget({ dailyUnits: 100, now: Date.now }),
    });
    expect(await wrong.video('liveVideo01', signal)).toMatchObject({ ok: false, failure: { kind: 'key_rejected', code: 'key_invalid' } });
    const res = await fetch(`${fake.apiBase}/videos?part=snippet&id=liveVideo01`);
    expect(classifyError(res.status, await res.text())).toMatchObject({ kind: 'key_rejected', code: 'key_missing' });
  });

  it('turns garbage and a dead server into failures that name no key', async () => {
    const { fake: yt, api, signal } = await setup();
    const b = yt.startBroadcast(CH, { videoId: 'liveVideo01' });
    yt.chatOverrides.push(
      { status: 200, body: '<html>cached error page</html>', contentType: 'text/html' },
      { status: 500, body: '{"error":{"code":500,"message":"Backend Error","errors":[{"reason":"backendError"}]}}' },
    );
    expect(await api.chatPage(b.chatId, 'p0', signal)).toEqual({ ok: true, value: '<html>cached error page</html>' });
    expect(await api.chatPage(b.chatId, 'p0', signal)).toEqual({
      ok: false,
      failure: { kind: 'server', status: 500, message: 'Backend Error' },
    });
    const base = yt.apiBase;
    await yt.close();
    fake = undefined;
    const dead = new YouTubeApi({
      config: YouTubeSourceSchema.parse({ platform: 'youtube', room: CH, api_key: API_KEY, urls: { api_base: base } }),
      budget: new QuotaBudget({ dailyUnits: 100, now: Date.now }),
    });
    const r = await dead.video('liveVideo01', signal);
    expect(r).toMatchObject({ ok: false, failure: { kind: 'network' } });
    expect(JSON.stringify(r)).not.toContain(API_KEY);
  });

  it('finds a channel live video with search.list (100 units) and a handle with channels.list (1 unit)', async () => {
    const { fake, api, budget, signal } = await setup();
    expect(await api.searchLive(CH, signal)).toEqual({ ok: true, value: undefined });
    fake.startBroadcast(CH, { videoId: 'liveVideo01' });
    expect(await api.searchLive(CH, signal)).toEqual({ ok: true, value: 'liveVideo01' });
    expect(fake.callsTo('search')[0]!.params).toEqual({
      part: 'id',
      channelId: CH,
      eventType: 'live',
      type: 'video',
      maxResults: '1',
      key: API_KEY,
    });
    expect(await api.channelForHandle('streamerone', signal)).toEqual({ ok: true, value: CH });
    expect(await api.channelForHandle('nobody', signal)).toEqual({ ok: true, value: undefined });
    expect(budget.totals()).toMatchObject({ search: { calls: 2, units: 200 }, channels: { calls: 2, units: 2 } });
  });
});

describe('LivePages against the fake site', () => {
  it('reads the live video, no video, an unknown channel, a consent redirect and a garbage page', async () => {
    const { fake, pages, signal } = await setup();
    expect(await pages.read({ handle: 'StreamerOne' }, signal)).toEqual({ kind: 'none', channelId: CH });
    fake.startBroadcast(CH, { videoId: 'liveVideo01' });
    expect(await pages.read({ handle: 'StreamerOne' }, signal)).toEqual({ kind: 'video', videoId: 'liveVideo01' });
    expect(await pages.read({ channelId: CH }, signal)).toEqual({ kind: 'video', videoId: 'liveVideo01' });
    expect(await pages.read({ handle: 'NoSuchChannel' }, signal)).toEqual({ kind: 'not_found' });
    fake.channels.get(CH)!.page = 'consent';
    expect(await pages.read({ handle: 'StreamerOne' }, signal)).toEqual({ kind: 'unreadable', reason: 'consent_redirect' });
    fake.channels.get(CH)!.page = 'garbage';
    expect(await pages.read({ handle: 'StreamerOne' }, signal)).toEqual({ kind: 'unreadable', reason: 'no_canonical_link' });
    expect(fake.calls.map((c) => c.endpoint)).toEqual([
      '/@StreamerOne/live',
      '/@StreamerOne/live',
      `/channel/${CH}/live`,
      '/@NoSuchChannel/live',
      '/@StreamerOne/live',
      '/@StreamerOne/live',
    ]);
    expect(fake.calls.every((c) => c.params.key === undefined)).toBe(true);
  });
});
