/**
 * The quota day kept in state_dir: a new run takes over today's spend, not yesterday's, and an
 * unreadable or unwritable store only costs the persistence (logged once), never the budget.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { QuotaBudget } from '../../../adapters/youtube/quota.js';
import { quotaFileFor, QuotaStore } from '../../../adapters/youtube/quota-store.js';
import { ManualClock } from '../../helpers/clock.js';
import { captureLogger } from '../../helpers/logger.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function setup() {
  dir = await mkdtemp(path.join(tmpdir(), 'yt-quota-'));
  const { logger, entries } = captureLogger();
  const file = quotaFileFor(dir, 'youtube:@Streamer One/x');
  return { dir, file, store: new QuotaStore(file, logger), entries, logger };
}

describe('QuotaStore', () => {
  it('names one file per source under state_dir/youtube-quota, safe for any source name', async () => {
    const { dir, file } = await setup();
    expect(file).toBe(path.join(dir, 'youtube-quota', 'youtube__Streamer_One_x.json'));
  });

  it("carries today's spend into the next run, and not yesterday's", async () => {
    const { file, logger } = await setup();
    const clock = new ManualClock(Date.UTC(2026, 0, 15, 20));
    const first = new QuotaStore(file, logger);
    const a = new QuotaBudget({ dailyUnits: 1_000, now: () => clock.now(), restore: first.load(), onSpend: (d) => first.save(d) });
    for (let i = 0; i < 7; i += 1) a.spend('chat_messages');
    a.spend('videos');
    await first.flush();
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ resetAt: Date.UTC(2026, 0, 16, 8), used: 36 });

    const second = new QuotaStore(file, logger);
    const b = new QuotaBudget({ dailyUnits: 1_000, now: () => clock.now(), restore: second.load() });
    expect(b.used).toBe(36);
    clock.advance(12 * 3_600_000); // past 08:00 UTC: a new quota day
    const third = new QuotaStore(file, logger);
    const c = new QuotaBudget({ dailyUnits: 1_000, now: () => clock.now(), restore: third.load() });
    expect(c.used).toBe(0);
  });

  it('writes only the newest of quick saves, atomically', async () => {
    const { file, store } = await setup();
    for (let used = 1; used <= 50; used += 1) store.save({ resetAt: 1, used });
    await store.flush();
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ resetAt: 1, used: 50 });
  });

  it('ignores an unreadable store, and logs an unwritable one once', async () => {
    const { file, store, entries, dir } = await setup();
    expect(store.load()).toBeUndefined();
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, '{"resetAt": "tomorrow"');
    expect(store.load()).toBeUndefined();
    expect(entries.filter((e) => String(e.message).startsWith('the quota store cannot be read'))).toHaveLength(1);

    const blocked = path.join(dir, 'ro');
    await mkdir(blocked);
    await writeFile(path.join(blocked, 'youtube-quota'), 'a file where the folder should be');
    const { logger, entries: logs } = captureLogger();
    const s2 = new QuotaStore(quotaFileFor(blocked, 'yt'), logger);
    s2.save({ resetAt: 1, used: 1 });
    s2.save({ resetAt: 1, used: 2 });
    await s2.flush();
    s2.save({ resetAt: 1, used: 3 });
    await s2.flush();
    expect(logs.filter((e) => String(e.message).startsWith('the quota store cannot be written'))).toHaveLength(1);
  });
});
