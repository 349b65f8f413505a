/**
 * `live-bridge check --online` for YouTube rooms against the fake YouTube: the room's broadcast
 * is found through the same connector as the running source (live page, videos.list), the chat is
 * never polled, the units the check spent are said, the key never shows, and the stored quota
 * day is read but not written.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { quotaFileFor } from '../../../adapters/youtube/quota-store.js';
import { nextMidnight, QUOTA_TIME_ZONE } from '../../../adapters/youtube/reset.js';
import { cli } from '../../helpers/cli.js';
import { API_KEY, FakeYouTube } from '../../helpers/youtube/fake-youtube.js';

const CH = 'UCstreamer00000000000001';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup() {
  const fake = new FakeYouTube();
  await fake.listen();
  fake.addChannel(CH, 'StreamerOne');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'yt-online-'));
  cleanups.push(
    () => fake.close(),
    () => rm(dir, { recursive: true, force: true }),
  );
  /** A config file for one room; the key comes from the environment, as the example config does it. */
  const write = async (name: string, room: string, extra: string[] = []) => {
    const file = path.join(dir, `${name}.yaml`);
    await writeFile(
      file,
      [
        'stream: yt',
        'sources:',
        '  - platform: youtube',
        '    name: yt',
        `    room: "${room}"`,
        '    api_key: ${YT_KEY}',
        ...extra.map((l) => `    ${l}`),
        '    urls:',
        `      api_base: ${fake.apiBase}`,
        `      web_base: ${fake.base}`,
        'metastudio:',
        '  project_id: p',
        '  room_id: r',
        '  job_id: j',
        '  dry_run: true',
        `state_dir: ${path.join(dir, 'state')}`,
        '',
      ].join('\n'),
    );
    return file;
  };
  /** The source's line of `check --online <file>`, without the file name. */
  const check = async (file: string, key = API_KEY) => {
    const r = await cli(['check', '--online', file], { env: { YT_KEY: key } });
    const lines = r.stdout
      .trimEnd()
      .split('\n')
      .filter((l) => l.includes('source yt'))
      .map((l) => l.slice(file.length + 2));
    return { code: r.code, lines, all: r.stdout + r.stderr };
  };
  return { fake, dir, write, check };
}

test('a live channel is ok with its video and title; the chat is not polled and the cost is said', async () => {
  const { fake, write, check } = await setup();
  fake.startBroadcast(CH, { videoId: 'liveVideo01', title: '夜のライブ 🎮' });
  const r = await check(await write('live', '@StreamerOne'));
  expect(r.lines).toEqual(['ok source yt: live: video liveVideo01 "夜のライブ 🎮" with a live chat; this check spent 1 quota unit(s)']);
  expect(r.code).toBe(0);
  expect(fake.calls.map((c) => [c.endpoint, c.cost])).toEqual([
    ['/@StreamerOne/live', 0],
    ['videos', 1],
  ]);
  expect(r.all).not.toContain(API_KEY);
});

test('an offline channel is a warning, a scheduled broadcast says so, an unknown handle fails', async () => {
  const { fake, write, check } = await setup();
  const offline = await check(await write('offline', '@StreamerOne'));
  expect(offline.lines).toEqual([
    'warn source yt: room offline: no live broadcast on @StreamerOne; this check spent 0 quota unit(s) (the bridge waits for the broadcast)',
  ]);
  expect(offline.code).toBe(0);

  fake.startBroadcast(CH, { videoId: 'soonVideo01', state: 'upcoming' });
  const upcoming = await check(await write('upcoming', 'UCstreamer00000000000001'));
  expect(upcoming.lines).toEqual([
    'warn source yt: room offline: a broadcast is scheduled on UCstreamer00000000000001 (video soonVideo01), not started; this check spent 1 quota unit(s) (the bridge waits for the broadcast)',
  ]);

  const unknown = await check(await write('unknown', '@NobodyHere'));
  expect(unknown.lines).toEqual(['FAIL source yt: room not found: YouTube has no channel @NobodyHere; this check spent 0 quota unit(s)']);
  expect(unknown.code).toBe(1);
  expect(fake.callsTo('liveChat/messages')).toEqual([]);
});

test('a refused key fails with its code and never shows the key', async () => {
  const { fake, write, check } = await setup();
  fake.startBroadcast(CH, { videoId: 'liveVideo01' });
  const wrong = 'AIzaSy-not-the-right-key-000000000000';
  const r = await check(await write('key', 'liveVideo01'), wrong);
  expect(r.lines).toEqual([
    'FAIL source yt: API key refused (key_invalid): API key not valid. Please pass a valid API key. (youtube_key_invalid)',
  ]);
  expect(r.code).toBe(1);
  expect(r.all).not.toContain(wrong);
});

test('a room whose stored day is spent is blocked without any call, and the check writes no quota file', async () => {
  const { fake, dir, write, check } = await setup();
  fake.startBroadcast(CH, { videoId: 'liveVideo01' });
  const file = await write('spent', '@StreamerOne', ['daily_quota_units: 100']);
  const store = quotaFileFor(path.join(dir, 'state'), 'yt');

  // A check on a fresh day spends 1 unit and leaves no file behind (a running bridge owns it).
  expect((await check(file)).lines[0]).toMatch(/^ok source yt: live: .*this check spent 1 quota unit\(s\)$/);
  expect(existsSync(store)).toBe(false);

  // The running source has written today's spend: 100 of 100 units.
  await import('node:fs/promises').then(async (fs) => {
    await fs.mkdir(path.dirname(store), { recursive: true });
    await fs.writeFile(store, JSON.stringify({ resetAt: nextMidnight(QUOTA_TIME_ZONE, Date.now()), used: 100 }));
  });
  const calls = fake.calls.length;
  const r = await check(file);
  expect(r.lines).toEqual([
    expect.stringMatching(
      /^FAIL source yt: blocked: this room's daily_quota_units \(100\) are spent; waiting for midnight Pacific \(0[78]:00 UTC\); this check spent 0 quota unit\(s\)$/,
    ),
  ]);
  expect(fake.calls.length).toBe(calls);
});
