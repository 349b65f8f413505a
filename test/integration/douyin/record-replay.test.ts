/**
 * `live-bridge record` against the fake Douyin, then the `replay` source over that capture and
 * over the capture kept in test/fixtures/douyin (made the same way): the same decoder, the same
 * events. Set DOUYIN_WRITE_FIXTURE=1 to refresh the fixture from this run.
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ReplaySourceSchema } from '../../../adapters/replay/config.js';
import { create as createReplaySource } from '../../../adapters/replay/index.js';
import type { BridgeEvent } from '../../../src/core/events.js';
import type { SourceDiscard, SourceState } from '../../../src/core/source.js';
import { cli } from '../../helpers/cli.js';
import { ManualClock } from '../../helpers/clock.js';
import { waitFor } from '../../helpers/wait.js';
import { common, msgFrame, user } from '../../helpers/douyin/frames.js';
import { FakeDouyin } from '../../helpers/douyin/fake-douyin.js';
import { GIFT_LIST, ROOM_ID, standardEvents, standardMessages, T0, VIEWER, WEB_RID } from '../../helpers/douyin/scenario.js';
import { silentLogger } from '../../helpers/logger.js';
import { registry } from '../../../adapters/registry.js';

const FIXTURE = fileURLToPath(new URL('../../fixtures/douyin/capture.jsonl', import.meta.url));
const BROADCAST = { roomId: ROOM_ID, status: 2, title: 'capture', anchorName: '主播', userUniqueId: '7400000000000000077' };

let fake: FakeDouyin | undefined;
let dir: string | undefined;
afterEach(async () => {
  await fake?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  fake = undefined;
  dir = undefined;
});

/** The frames the fake sends for the capture: the standard traffic, a hostile frame, more chat, the end. */
function captureFrames(): Uint8Array[] {
  const chat = (msgId: string, text: string, t: number) => ({
    type: 'ChatMessage',
    msgId,
    fields: { common: common('WebcastChatMessage', msgId, ROOM_ID, t), user: user(VIEWER), content: text },
  });
  return [
    msgFrame({ messages: standardMessages(), cursor: 'c-1', internalExt: 'ie-1' }),
    Uint8Array.of(0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f),
    msgFrame({ messages: [chat('7653887015607454950', '最后一条 👋', T0 + 50)], cursor: 'c-2', internalExt: 'ie-2', needAck: true }),
    msgFrame({
      messages: [
        {
          type: 'ControlMessage',
          msgId: '7653887015607454951',
          fields: { common: common('WebcastControlMessage', '7653887015607454951', ROOM_ID, T0 + 60), action: 3 },
        },
      ],
    }),
  ];
}

async function replay(file: string, speed: number, loop = false) {
  const clock = new ManualClock();
  const source = createReplaySource(
    ReplaySourceSchema.parse({ platform: 'replay', file, speed, loop, gift_names: { '463': '玫瑰' }, name: 'shop' }),
    { logger: silentLogger(), clock, stateDir: '/nonexistent', plugins: (p) => registry.get(p) },
  );
  const events: BridgeEvent[] = [];
  const states: SourceState[] = [];
  const discards: SourceDiscard[] = [];
  source.on('event', (e) => events.push(e));
  source.on('state', (s) => states.push(s));
  source.on('discard', (d) => discards.push(d));
  const controller = new AbortController();
  const done = source.start(controller.signal);
  return { clock, events, states, discards, done, stop: () => controller.abort() };
}

/** What the capture maps to: the gift list is not part of a capture, so unit values come from the messages only. */
function expectedEvents(): BridgeEvent[] {
  const standard = standardEvents('shop').map((e) =>
    e.kind === 'gift' && e.gift.giftId === '463' ? { ...e, gift: { ...e.gift, unitValue: 0 } } : e,
  );
  return [
    ...standard,
    {
      id: '7653887015607454950',
      platform: 'douyin',
      source: 'shop',
      ts: T0 + 50,
      kind: 'comment',
      user: { id: VIEWER.id, name: VIEWER.nickname, level: 23, badge: '红粉', badgeLevel: 12 },
      text: '最后一条 👋',
    },
  ] as BridgeEvent[];
}

describe('record and replay', () => {
  it('records every raw frame against the fake and replays it through the same decoder', async () => {
    fake = await FakeDouyin.start({ webRid: WEB_RID, broadcast: BROADCAST, gifts: GIFT_LIST });
    dir = await mkdtemp(join(tmpdir(), 'douyin-record-'));
    const config = join(dir, 'room.yaml');
    const out = join(dir, 'capture.jsonl');
    const urls = fake.urls();
    await writeFile(
      config,
      [
        'stream: record-test',
        'sources:',
        '  - platform: douyin',
        `    room: "${WEB_RID}"`,
        '    cookie: ${DOUYIN_COOKIE}',
        '    gift_list_refresh_ms: -1',
        '    urls:',
        ...Object.entries(urls).map(([k, v]) => `      ${k}: ${String(v)}`),
        'metastudio:',
        '  project_id: p',
        '  room_id: r',
        'log:',
        '  level: warn',
        '',
      ].join('\n'),
    );
    const frames = captureFrames();
    fake.onConnection = (conn) => {
      void (async () => {
        for (const f of frames) {
          conn.send(f);
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
    };
    const controller = new AbortController();
    const recording = cli(['record', config, '--out', out], {
      env: { DOUYIN_COOKIE: 'sessionid=secret-session-value' },
      signal: controller.signal,
    });
    await waitFor(() => fake!.connections[0]?.received.some((b) => b.length > 4) === true, 'the ack (all frames received)');
    await new Promise((r) => setTimeout(r, 100));
    controller.abort();
    const result = await recording;
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('recorded 4 frame(s)');
    expect(result.stderr + result.stdout).not.toContain('secret-session-value');
    expect(fake.connections[0]!.headers.cookie).toContain('sessionid=secret-session-value');

    const lines = (await readFile(out, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { t: number; b64: string });
    expect(lines.map((l) => Buffer.from(l.b64, 'base64'))).toEqual(frames.map((f) => Buffer.from(f)));
    expect(lines[0]!.t).toBe(0);
    for (let i = 1; i < lines.length; i++) expect(lines[i]!.t).toBeGreaterThanOrEqual(lines[i - 1]!.t);

    const r = await replay(out, 0);
    await r.done;
    expect(r.events).toEqual(expectedEvents());
    expect(r.discards).toEqual([{ reason: 'malformed_frame', count: 1 }]);
    expect(r.states.map((s) => s.state)).toEqual(['connecting', 'live', 'ended', 'ended']);
    if (process.env.DOUYIN_WRITE_FIXTURE === '1') await copyFile(out, FIXTURE);
  });

  it('replays the kept fixture in real time on the clock', async () => {
    const lines = (await readFile(FIXTURE, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { t: number });
    const last = lines.at(-1)!.t;
    expect(last).toBeGreaterThan(0);
    const r = await replay(FIXTURE, 1);
    await waitFor(() => r.events.length === 12, 'first frame at t=0');
    r.clock.advance(last - 1);
    await new Promise((res) => setTimeout(res, 30));
    expect(r.states.map((s) => s.state)).not.toContain('ended');
    r.clock.advance(1);
    await r.done;
    expect(r.events).toEqual(expectedEvents());
    expect(r.states.at(-1)).toEqual({ state: 'ended', reason: 'end of capture' });
  });

  it('loops the fixture, and reports a missing file as an error state', async () => {
    const r = await replay(FIXTURE, 0, true);
    await waitFor(() => r.events.length >= 3 * 13, 'three passes');
    r.stop();
    await r.done;
    expect(r.events.slice(13, 26)).toEqual(expectedEvents());
    const missing = await replay('/nonexistent/capture.jsonl', 0);
    await missing.done;
    expect(missing.states.at(-1)).toMatchObject({ state: 'error', code: 'replay_file' });
  });
});
