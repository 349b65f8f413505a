/**
 * The douyin-browser source in real headless Chromium against a fake room on 127.0.0.1: real
 * page script, real `ws` push server with gzip'd PushFrames, real im/fetch answers. One source
 * runs through the whole life of a room, test by test: mapping and dedupe, a cheap tab, a
 * server-side close, the keepalive input, a stall reload, a killed browser, the end of the live.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { create as createDouyinBrowserSource } from '../../../adapters/douyin-browser/index.js';
import { DouyinBrowserSourceSchema } from '../../../adapters/douyin-browser/config.js';
import { decodeFrame } from '../../../adapters/douyin/codec.js';
import { GiftTable, parseGiftList } from '../../../adapters/douyin/gift-table.js';
import { mapResponse } from '../../../adapters/douyin/mapping.js';
import type { BridgeEvent } from '../../../src/core/events.js';
import type { Source, SourceDiscard, SourceState } from '../../../src/core/source.js';
import { ManualClock } from '../../helpers/clock.js';
import { waitFor } from '../../helpers/wait.js';
import { common, msgFrame, response, user, type MessageSpec } from '../../helpers/douyin/frames.js';
import { GIFT_LIST, ROOM_ID, standardEvents, standardMessages, T0, VIEWER, WEB_RID } from '../../helpers/douyin/scenario.js';
import { captureLogger } from '../../helpers/logger.js';
import { browserPid, profilePids, testChromium } from '../../helpers/douyin-browser/chromium.js';
import { FakeRoom } from '../../helpers/douyin-browser/fake-room.js';

const chromium = testChromium();
const NAME = 'shop-browser';
const WAIT_MS = 20_000;
const STALL_MS = 120_000;
const KEEPALIVE_MS = 60_000;

function chat(msgId: string, text: string, t: number): MessageSpec {
  return {
    type: 'ChatMessage',
    msgId,
    fields: { common: common('WebcastChatMessage', msgId, ROOM_ID, t), user: user(VIEWER), content: text },
  };
}

/** What the direct adapter's codec and mapping make of `frames`, each message id once. */
function directMapping(frames: Uint8Array[]): BridgeEvent[] {
  const giftTable = new GiftTable();
  giftTable.replace(parseGiftList({ data: { gifts: GIFT_LIST } }));
  const seen = new Set<string>();
  return frames
    .flatMap((f) => {
      const { response: r } = decodeFrame(f);
      return r ? mapResponse(r, { source: NAME, giftTable, now: () => T0 }).events : [];
    })
    .filter((e) => !seen.has(e.id) && seen.add(e.id));
}

describe.skipIf(!chromium)('douyin-browser source in real Chromium', () => {
  const clock = new ManualClock();
  const { logger, entries } = captureLogger();
  const events: BridgeEvent[] = [];
  const states: SourceState[] = [];
  const discards: SourceDiscard[] = [];
  const reconnects: string[] = [];
  const controller = new AbortController();
  let dir: string;
  let profileDir: string;
  let fake: FakeRoom;
  let source: Source;
  let running: Promise<void>;

  const waitEvents = (n: number) => waitFor(() => events.length >= n, `${n} events (have ${events.length})`, WAIT_MS);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'dyb-'));
    profileDir = path.join(dir, 'profile');
    fake = await new FakeRoom().listen();
    const config = DouyinBrowserSourceSchema.parse({
      platform: 'douyin-browser',
      name: NAME,
      room: WEB_RID,
      executable_path: chromium,
      profile_dir: profileDir,
      urls: { room_page: fake.roomUrlTemplate },
      stall_ms: STALL_MS,
      keepalive_ms: KEEPALIVE_MS,
    });
    source = createDouyinBrowserSource(config, { logger, clock, stateDir: dir, random: () => 0 });
    source.on('event', (e) => events.push(e));
    source.on('state', (s) => states.push(s));
    source.on('discard', (d) => discards.push(d));
    source.on('reconnect', (r) => reconnects.push(r.reason));
    running = source.start(controller.signal);
    await waitFor(() => fake.openSockets === 1, 'the page push socket', WAIT_MS);
    await waitFor(() => entries.some((e) => e.message === 'gift list captured from the page'), 'the gift list capture', WAIT_MS);
    await waitFor(() => states.some((s) => s.state === 'live'), 'the live state', WAIT_MS);
  });

  afterAll(async () => {
    controller.abort();
    await running;
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('push frames and im/fetch answers map exactly as the direct codec maps them, each message once', async () => {
    expect(states).toEqual([
      { state: 'connecting', reason: 'initial' },
      { state: 'live', roomId: ROOM_ID },
    ]);
    const c1 = chat('7653887015607459001', 'fetch only 1', T0 + 101);
    const c2 = chat('7653887015607459002', 'both paths', T0 + 102);
    const c3 = chat('7653887015607459003', 'plain push', T0 + 103);
    const frames: Uint8Array[] = [msgFrame({ messages: standardMessages() })];
    fake.push(frames[0]!);
    await waitEvents(12);
    // A raw gzip body (magic bytes, no Content-Encoding) repeating a pushed chat.
    const first = response({ messages: [standardMessages()[0]!, c1] });
    fake.fetchAnswers.push({ body: gzipSync(first) });
    frames.push(msgFrame({ messages: [standardMessages()[0]!, c1] }));
    await waitEvents(13);
    // HTTP-level gzip (the browser inflates it) repeating the fetch-only chat.
    fake.fetchAnswers.push({ body: gzipSync(response({ messages: [c1, c2] })), contentEncoding: 'gzip' });
    frames.push(msgFrame({ messages: [c1, c2] }));
    await waitEvents(14);
    // Push, not gzip'd, repeating what fetch delivered; then garbage; then one more.
    frames.push(msgFrame({ messages: [c2, c3] }, { gzip: false }));
    fake.push(frames.at(-1)!);
    await waitEvents(15);
    fake.push(Uint8Array.of(0x0a, 0xff, 0xff, 0xff));
    await waitFor(() => discards.length === 1, 'the discard', WAIT_MS);
    const tail = msgFrame({ messages: [c3, chat('7653887015607459004', 'sentinel', T0 + 104)] });
    frames.push(tail);
    fake.push(tail);
    await waitEvents(16);

    const direct = directMapping(frames);
    expect(events).toEqual(direct);
    expect(events.slice(0, 12)).toEqual(standardEvents(NAME));
    expect(events.slice(12).map((e) => (e.kind === 'comment' ? e.text : e.kind))).toEqual([
      'fetch only 1',
      'both paths',
      'plain push',
      'sentinel',
    ]);
    expect(discards).toEqual([{ reason: 'malformed_frame', count: 1 }]);
  });

  test('the tab stays cheap: media muted and paused, images, video and the stream never fetched, no HeadlessChrome', async () => {
    await waitFor(() => fake.hits('/report').length === 1, 'the page report', WAIT_MS);
    const report = fake.hits('/report')[0]!.query;
    expect([report.get('muted'), report.get('paused')]).toEqual(['true', 'true']);
    expect([...fake.hits('/decoy/cover.png'), ...fake.hits('/decoy/clip.mp4'), ...fake.hits('/decoy/stream.flv')]).toEqual([]);
    const page = fake.hits(`/live/${WEB_RID}`)[0]!;
    for (const ua of [page.userAgent, fake.pushUpgrades[0]!.userAgent]) {
      expect(ua).toMatch(/ Chrome\/\d+/);
      expect(ua).not.toContain('Headless');
    }
  });

  test('a server-side close is survived: the page reconnects by itself and events flow again', async () => {
    fake.closeSockets();
    await waitFor(() => fake.pushUpgrades.length === 2 && fake.openSockets === 1, 'the page to reconnect', WAIT_MS);
    const before = events.length;
    fake.push(msgFrame({ messages: [chat('7653887015607459010', 'after close', T0 + 110)] }));
    await waitEvents(before + 1);
    expect(events.at(-1)).toMatchObject({ kind: 'comment', text: 'after close', source: NAME });
    expect(fake.hits(`/live/${WEB_RID}`)).toHaveLength(1);
  });

  test('a trusted input reaches the page every keepalive interval', async () => {
    expect(fake.hits('/input')).toEqual([]);
    clock.advance(KEEPALIVE_MS);
    await waitFor(() => fake.hits('/input').some((r) => r.query.get('type') === 'keydown'), 'the keepalive input', WAIT_MS);
    const inputs = fake.hits('/input').map((r) => `${r.query.get('type')}:${r.query.get('trusted')}`);
    expect(new Set(inputs)).toEqual(new Set(['mousemove:true', 'keydown:true']));
  });

  test('no traffic for stall_ms reloads the page, and events flow from the new socket', async () => {
    fake.fetchEnabled = false;
    const upgrades = fake.pushUpgrades.length;
    const stateCount = states.length;
    clock.advance(STALL_MS);
    await waitFor(() => fake.hits(`/live/${WEB_RID}`).length === 2, 'the reload', WAIT_MS);
    await waitFor(() => fake.pushUpgrades.length === upgrades + 1 && fake.openSockets === 1, 'the new push socket', WAIT_MS);
    // The server sees the upgrade before the browser reports the socket to the source.
    await waitFor(() => states.length >= stateCount + 2, 'the live state', WAIT_MS);
    expect(reconnects).toEqual(['initial', 'stall']);
    expect(states.slice(stateCount)).toEqual([
      { state: 'connecting', reason: `no push traffic for ${STALL_MS} ms; reloading the page` },
      { state: 'live', roomId: ROOM_ID },
    ]);
    fake.fetchEnabled = true;
    const before = events.length;
    fake.push(msgFrame({ messages: [chat('7653887015607459020', 'after reload', T0 + 120)] }));
    await waitEvents(before + 1);
    expect(events.at(-1)).toMatchObject({ kind: 'comment', text: 'after reload' });
  });

  test('a killed browser process is relaunched on the same profile and events flow again', async () => {
    const pid = browserPid(profileDir);
    expect(pid).toBeTypeOf('number');
    const stateCount = states.length;
    const pages = fake.hits(`/live/${WEB_RID}`).length;
    process.kill(pid as number, 'SIGKILL');
    await waitFor(() => fake.hits(`/live/${WEB_RID}`).length === pages + 1 && fake.openSockets === 1, 'the relaunched page', WAIT_MS);
    await waitFor(() => states.length >= stateCount + 3, 'the live state', WAIT_MS);
    expect(reconnects).toEqual(['initial', 'stall', 'crashed']);
    expect(states.slice(stateCount)).toEqual([
      { state: 'error', reason: 'the browser or its room tab went away (killed, crashed or closed)', code: 'browser_crashed' },
      { state: 'connecting', reason: 'crashed' },
      { state: 'live', roomId: ROOM_ID },
    ]);
    expect(browserPid(profileDir)).not.toBe(pid);
    const before = events.length;
    fake.push(msgFrame({ messages: [chat('7653887015607459030', 'after relaunch', T0 + 130)] }));
    await waitEvents(before + 1);
    expect(events.at(-1)).toMatchObject({ kind: 'comment', text: 'after relaunch' });
  });

  test('ControlMessage action 3 ends the live; stopping closes every Chromium process', async () => {
    const control = {
      type: 'ControlMessage',
      msgId: '7653887015607459040',
      fields: { common: common('WebcastControlMessage', '7653887015607459040', ROOM_ID, T0 + 140), action: 3 },
    };
    fake.push(msgFrame({ messages: [control] }));
    await waitFor(() => states.at(-1)?.state === 'ended', 'the ended state', WAIT_MS);
    expect(states.at(-1)).toEqual({ state: 'ended', reason: 'the broadcast ended (ControlMessage action 3)' });
    controller.abort();
    await running;
    expect(profilePids(profileDir)).toEqual([]);
  });
});
