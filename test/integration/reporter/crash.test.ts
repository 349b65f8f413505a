/**
 * The spool under crashes, with the built daemon as a real child process: a replay capture of
 * real Douyin frames (one gift every 100 ms) as its source, and the MetaStudio emulator answering
 * 500 to every report (an outage). SIGKILL gives the process no chance to spool anything: what
 * survives is what the write-ahead log held. Needs `npm run build`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureLine } from '../../../adapters/kit/capture.js';
import { readSpool } from '../../../src/reporter/index.js';
import { DEMO } from '../../../src/metastudio/emulator/index.js';
import { e2eWorlds, type BridgeProcess } from '../../helpers/e2e.js';
import { common, msgFrame, user } from '../../helpers/douyin/frames.js';
import { ROOM_ID } from '../../helpers/douyin/scenario.js';
import { waitFor } from '../../helpers/wait.js';

const worlds = e2eWorlds();
const GIFTS = 60;
const GAP_MS = 100;
const SPOOL_AFTER_MS = 1000;

/** A capture of GIFTS gift frames, GAP_MS apart, each from its own viewer, dated from now. */
async function giftCapture(file: string): Promise<string[]> {
  const now = Date.now();
  const ids: string[] = [];
  const lines: string[] = [];
  for (let i = 0; i < GIFTS; i++) {
    const msgId = `76538870156074${String(60_000 + i)}`;
    ids.push(msgId);
    const frame = msgFrame({
      messages: [
        {
          type: 'GiftMessage',
          msgId,
          fields: {
            common: common('WebcastGiftMessage', msgId, ROOM_ID, now + i * GAP_MS),
            giftId: 685,
            groupCount: 1,
            repeatCount: 1,
            user: user({ id: `73000000000000${String(10_000 + i)}`, nickname: `viewer-${i}`, payLevel: 3 }),
            groupId: '0',
            gift: { id: 685, combo: false, diamondCount: 3000, name: '嘉年华' },
            sendType: 1,
          },
        },
      ],
      cursor: `c-${i}`,
    });
    lines.push(captureLine(i * GAP_MS, 'douyin', { type: 'binary', bytes: Buffer.from(frame) }));
  }
  await writeFile(file, lines.join(''));
  return ids;
}

function config(emulatorUrl: string, capture: string, stateDir: string): string {
  return [
    'stream: crash',
    'sources:',
    '  - platform: replay',
    `    file: ${capture}`,
    'metastudio:',
    `  endpoint: ${emulatorUrl}`,
    `  project_id: ${DEMO.projectId}`,
    `  room_id: ${DEMO.roomId}`,
    `  job_id: ${DEMO.jobId}`,
    '  auth:',
    '    type: aksk',
    '    ak: ${HW_AK}',
    '    sk: ${HW_SK}',
    'reporter:',
    '  flush_interval_ms: 100',
    `  spool_after_ms: ${SPOOL_AFTER_MS}`,
    '  circuit_failures: 1',
    '  circuit_cooldown_ms: 300',
    '  retry_base_ms: 100',
    '  retry_max_ms: 300',
    '  shutdown_flush_ms: 500',
    'http:',
    '  listen: false',
    `state_dir: ${stateDir}`,
    'log:',
    '  format: json',
    '',
  ].join('\n');
}

const reports = (w: { emulator: { requests(): { operation: string; receivedAt: number }[] } }) =>
  w.emulator.requests().filter((r) => r.operation === 'report');

async function exited(bridge: BridgeProcess): Promise<string> {
  await waitFor(() => /\[exit /.test(bridge.output()), 'the bridge to exit', 15_000);
  return bridge.output().match(/\[exit ([^\]]*)\]/)![1]!;
}

describe('the spool survives crashes', () => {
  it('SIGKILL during an outage loses no gift that had waited spool_after_ms, wherever it waited', async () => {
    const w = await worlds.start('lb-crash-');
    w.emulator.outage({ kind: 'status', status: 500 });
    const capture = join(w.dir, 'gifts.jsonl');
    const ids = await giftCapture(capture);
    const state = join(w.dir, 'state');
    const cfg = join(w.dir, 'bridge.yaml');
    await writeFile(cfg, config(w.emulator.url, capture, state));
    const bridge = w.spawn(cfg, {});
    // The first gift goes out at once: its report marks when the capture started playing.
    await waitFor(
      () => reports(w).length > 0,
      () => `a first report; output: ${bridge.output()}`,
      15_000,
    );
    const startedAt = reports(w)[0]!.receivedAt;
    await new Promise((r) => setTimeout(r, startedAt + 4500 - Date.now()));
    bridge.child.kill('SIGKILL');
    expect(await exited(bridge)).toBe('null SIGKILL');
    // Every gift that reached the bridge at least spool_after_ms (plus a second of slack) before the kill.
    const killedAt = startedAt + 4500;
    const due = ids.filter((_, i) => startedAt + i * GAP_MS <= killedAt - SPOOL_AFTER_MS - 1000);
    expect(due.length).toBeGreaterThanOrEqual(20);
    const spooled = new Set((await readSpool(state)).map((e) => e.id));
    expect(due.filter((id) => !spooled.has(id))).toEqual([]);
  });

  it('a restart while MetaStudio is still down, then a crash, keeps the whole spool; the next start delivers every gift once', async () => {
    const w = await worlds.start('lb-crash-loop-');
    w.emulator.outage({ kind: 'status', status: 500 });
    const capture = join(w.dir, 'gifts.jsonl');
    const ids = await giftCapture(capture);
    const empty = join(w.dir, 'empty.jsonl');
    await writeFile(empty, '');
    const state = join(w.dir, 'state');
    await mkdir(state, { recursive: true });
    const first = join(w.dir, 'first.yaml');
    const later = join(w.dir, 'later.yaml');
    await writeFile(first, config(w.emulator.url, capture, state));
    await writeFile(later, config(w.emulator.url, empty, state));

    // 1: the whole capture plays during the outage, then an orderly stop spools what is left.
    const one = w.spawn(first, {});
    await waitFor(
      () => /"end of capture"/.test(one.output()),
      () => `the capture to end; output: ${one.output()}`,
      20_000,
    );
    one.child.kill('SIGTERM');
    expect(await exited(one)).toBe('0 null');
    expect((await readSpool(state)).map((e) => e.id).sort()).toEqual([...ids].sort());

    // 2: a restart while MetaStudio is still down, killed after it has tried for a while.
    const requestsBefore = reports(w).length;
    const two = w.spawn(later, {});
    await waitFor(() => reports(w).length > requestsBefore + 2, 'the restarted bridge to try', 15_000);
    two.child.kill('SIGKILL');
    expect(await exited(two)).toBe('null SIGKILL');
    expect((await readSpool(state)).map((e) => e.id).sort()).toEqual([...ids].sort());

    // 3: MetaStudio is back; every gift arrives exactly once.
    w.emulator.outage(undefined);
    const three = w.spawn(later, {});
    await waitFor(() => w.emulator.accepted().length >= GIFTS, 'every gift accepted', 20_000);
    await new Promise((r) => setTimeout(r, 500));
    three.child.kill('SIGTERM');
    expect(await exited(three)).toBe('0 null');
    const names = w.emulator.accepted().map((a) => (a.content.user as { name: string }).name);
    expect(names.sort()).toEqual(ids.map((_, i) => `viewer-${i}`).sort());
    expect(await readSpool(state)).toEqual([]);
  });
});
