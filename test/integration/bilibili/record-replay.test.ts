/**
 * `live-bridge record` against the fake Bilibili, then the `replay` source over that capture and
 * over the capture kept in test/fixtures/bilibili (made the same way): the same framing and route
 * table, the same events. Set BILIBILI_WRITE_FIXTURE=1 to refresh the fixture from this run.
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { create as createReplaySource } from '../../../adapters/replay/index.js';
import { ReplaySourceSchema } from '../../../adapters/replay/config.js';
import type { BridgeEvent } from '../../../src/core/events.js';
import type { SourceDiscard, SourceState } from '../../../src/core/source.js';
import { FakeBilibili } from '../../helpers/bilibili/fake-bilibili.js';
import { brotliBatch, cmdPacket, command, danmuMsg, n, packet, pbBase64, u64, zlibBatch } from '../../helpers/bilibili/frames.js';
import { cli } from '../../helpers/cli.js';
import { ManualClock } from '../../helpers/clock.js';
import { silentLogger } from '../../helpers/logger.js';
import { registry } from '../../../adapters/registry.js';
import { waitFor } from '../../helpers/wait.js';

const FIXTURE = fileURLToPath(new URL('../../fixtures/bilibili/capture.jsonl', import.meta.url));
const ROOM = { shortId: '6', roomId: '7734200', uid: '50329118', liveStatus: 1, title: '录制' };
const BIG_UID = '9876543210987654321';

/** What the fake sends once AUTH is accepted: every mapped kind that carries its own id and time, a bad packet, the end. */
function roomFrames(): Buffer[] {
  return [
    brotliBatch([
      danmuMsg({ uid: BIG_UID, uname: '弹幕君😀', text: '录下来', tsMs: 1_764_000_000_500, idStr: 'rec1', userLevel: 9 }),
      command('SEND_GIFT', {
        uid: n(BIG_UID),
        uname: '弹幕君😀',
        giftId: 31036,
        giftName: '小花花',
        num: 2,
        price: 100,
        coin_type: 'gold',
        tid: 'T-rec',
        timestamp: 1_764_000_001,
      }),
      command('INTERACT_WORD_V2', {
        pb: pbBase64('InteractWordV2', { uid: u64('3'), uname: 'Fan', msg_type: 2, timestamp: 1_764_000_002 }),
      }),
    ]),
    packet(5, 2, Buffer.from('not zlib')),
    zlibBatch([
      command('SUPER_CHAT_MESSAGE', {
        id: 88,
        uid: 7,
        price: 30,
        message: '醒目',
        start_time: 1_764_000_003,
        user_info: { uname: 'SC', user_level: 3 },
        gift: { gift_id: 12000, gift_name: '醒目留言' },
      }),
      command('GUARD_BUY', {
        uid: 8,
        username: '舰长君',
        guard_level: 3,
        num: 1,
        price: 198000,
        gift_id: 10003,
        start_time: 1_764_000_004,
      }),
    ]),
    cmdPacket('{"cmd":"PREPARING","roomid":"7734200"}'),
  ];
}

/** The events the capture replays to, for source `name`, at value_multiplier 1. */
function expectedEvents(source: string): BridgeEvent[] {
  const base = (id: string, ts: number) => ({ id, platform: 'bilibili', source, ts });
  const big = { id: BIG_UID, name: '弹幕君😀', level: 0, badge: '', badgeLevel: 0 };
  return [
    { ...base('dm:rec1', 1_764_000_000_500), kind: 'comment', user: { ...big, level: 9 }, text: '录下来' },
    {
      ...base('gift:T-rec', 1_764_000_001_000),
      kind: 'gift',
      user: big,
      gift: { giftId: '31036', name: '小花花', count: 2, unitValue: 100 },
    },
    {
      ...base('follow:3:2:1764000002', 1_764_000_002_000),
      kind: 'follow',
      user: { id: '3', name: 'Fan', level: 0, badge: '', badgeLevel: 0 },
    },
    {
      ...base('sc:88', 1_764_000_003_000),
      kind: 'gift',
      user: { id: '7', name: 'SC', level: 3, badge: '', badgeLevel: 0 },
      gift: { giftId: '12000', name: '醒目留言', count: 1, unitValue: 30_000 },
    },
    {
      ...base('sc:88:text', 1_764_000_003_000),
      kind: 'comment',
      user: { id: '7', name: 'SC', level: 3, badge: '', badgeLevel: 0 },
      text: '醒目',
    },
    {
      ...base('guard:8:3:1:1764000004:10003', 1_764_000_004_000),
      kind: 'gift',
      user: { id: '8', name: '舰长君', level: 0, badge: '', badgeLevel: 0 },
      gift: { giftId: '10003', name: '舰长', count: 1, unitValue: 198_000 },
    },
  ] as BridgeEvent[];
}

async function replay(file: string) {
  const clock = new ManualClock();
  const source = createReplaySource(ReplaySourceSchema.parse({ platform: 'replay', file, speed: 0, name: 'bili-replay' }), {
    logger: silentLogger(),
    clock,
    stateDir: '/nonexistent',
    plugins: (p) => registry.get(p),
  });
  const events: BridgeEvent[] = [];
  const states: SourceState[] = [];
  const discards: SourceDiscard[] = [];
  source.on('event', (e) => events.push(e));
  source.on('state', (s) => states.push(s));
  source.on('discard', (d) => discards.push(d));
  await source.start(new AbortController().signal);
  return { events, states, discards };
}

let fake: FakeBilibili | undefined;
let dir: string | undefined;
afterEach(async () => {
  await fake?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  fake = undefined;
  dir = undefined;
});

describe('bilibili record and replay', () => {
  it('records every frame of the web socket against the fake and replays it through the same route table', async () => {
    fake = new FakeBilibili({ room: ROOM, login: { sessdata: 'sess-record-secret', mid: '12345678901234567' } });
    await fake.listen();
    dir = await mkdtemp(join(tmpdir(), 'bili-record-'));
    const config = join(dir, 'room.yaml');
    const out = join(dir, 'capture.jsonl');
    await writeFile(
      config,
      [
        'stream: bili-record',
        'sources:',
        '  - platform: bilibili',
        '    room: "6"',
        '    cookie: SESSDATA=${BILI_SESSDATA}',
        '    urls:',
        ...Object.entries(fake.urls()).map(([k, v]) => `      ${k}: ${v}`),
        'metastudio:',
        '  project_id: p',
        '  room_id: r',
        'log:',
        '  level: warn',
        '',
      ].join('\n'),
    );
    const connected = fake.nextConnection();
    const controller = new AbortController();
    const recording = cli(['record', config, '--out', out], { env: { BILI_SESSDATA: 'sess-record-secret' }, signal: controller.signal });
    const conn = await connected;
    await waitFor(() => conn.heartbeats() === 1, 'the accepted AUTH');
    const frames = roomFrames();
    for (const f of frames) {
      conn.send(f);
      await new Promise((r) => setTimeout(r, 20));
    }
    await waitFor(async () => (await readFile(out, 'utf8').catch(() => '')).split('\n').length >= frames.length + 3, 'the frames on disk');
    controller.abort();
    const result = await recording;
    expect(result.code).toBe(0);
    expect(result.stderr + result.stdout).not.toContain('sess-record-secret');

    const lines = (await readFile(out, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { t: number; platform: string; b64: string });
    expect(new Set(lines.map((l) => l.platform))).toEqual(new Set(['bilibili']));
    // The auth reply and the first heartbeat reply come first; then the room's frames, as sent.
    expect(lines.slice(-frames.length).map((l) => Buffer.from(l.b64, 'base64'))).toEqual(frames);
    expect(result.stderr).toContain(`recorded ${lines.length} frame(s)`);

    const r = await replay(out);
    expect(r.events).toEqual(expectedEvents('bili-replay'));
    expect(r.discards).toEqual([{ reason: 'zlib', count: 1 }]);
    expect(r.states.map((s) => s.state)).toEqual(['connecting', 'live', 'ended', 'ended']);
    expect(r.states[2]).toEqual({
      state: 'ended',
      reason: 'the capture recorded the end of the broadcast: the broadcast ended (PREPARING)',
    });
    if (process.env.BILIBILI_WRITE_FIXTURE === '1') await copyFile(out, FIXTURE);
  });

  it('replays the kept fixture (recorded against the fake) to the same events', async () => {
    const r = await replay(FIXTURE);
    expect(r.events).toEqual(expectedEvents('bili-replay'));
    expect(r.discards).toEqual([{ reason: 'zlib', count: 1 }]);
    expect(r.states.at(-1)).toEqual({ state: 'ended', reason: 'end of capture' });
  });
});
