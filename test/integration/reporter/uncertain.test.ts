/**
 * A report whose answer comes after request_timeout_ms is uncertain: MetaStudio may have
 * processed it. Over real HTTP into the emulator, on one manual clock for both sides: the answer
 * to the first report comes 20 s late (the timeout is 10 s), after the emulator has accepted it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ReporterSchema } from '../../../src/config/sections/reporter.js';
import { EventStats } from '../../../src/core/stats.js';
import { DEMO, demoEmulatorConfig, startEmulator, type Emulator } from '../../../src/metastudio/emulator/index.js';
import { createSink } from '../../../src/metastudio/index.js';
import { createReporter } from '../../../src/reporter/index.js';
import { ManualClock } from '../../helpers/clock.js';
import { captureLogger } from '../../helpers/logger.js';
import { sinkConfig } from '../../helpers/metastudio/fixtures.js';
import { comment, follow, gift, join } from '../../helpers/reporter/events.js';
import { tempStateDir, unaccounted } from '../../helpers/reporter/harness.js';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

describe('a timed-out report', () => {
  it('resends its gifts and follows, not its comments and joins: a 20 s-late answer doubles no comment', async () => {
    const clock = new ManualClock(Math.floor(Date.now() / 1000) * 1000);
    emulator = await startEmulator({ config: demoEmulatorConfig(), clock });
    emulator.script([{ kind: 'delay', latency_ms: 20_000 }]);
    const { logger, entries } = captureLogger();
    const sink = createSink(
      sinkConfig({
        endpoint: emulator.url,
        project_id: DEMO.projectId,
        room_id: DEMO.roomId,
        job_id: DEMO.jobId,
        auth: { type: 'aksk', ak: DEMO.ak, sk: DEMO.sk },
        job_poll_interval_ms: 3_600_000,
      }),
      { logger, clock },
    );
    await sink.start(new AbortController().signal);
    const stats = new EventStats();
    const reporter = createReporter(
      { ...ReporterSchema.parse({ max_age_ms: { comment: 120_000, join: 120_000 } }), state_dir: tempStateDir() },
      { sink, clock, logger, stats, random: () => 0.5 },
    );
    await reporter.start();
    const now = clock.now();
    const events = [
      comment({ id: 'c1', ts: now }),
      gift({ id: 'g1', ts: now }),
      follow({ id: 'f1', ts: now }),
      join({ id: 'j1', ts: now }),
    ];
    for (const e of events) {
      stats.countReceived(e.kind);
      reporter.enqueue(e);
    }
    for (let ms = 0; ms < 30_000; ms += 50) {
      await new Promise((r) => setTimeout(r, 2));
      await clock.advanceAsync(50);
    }
    const byType = (type: number) => emulator!.accepted().filter((a) => a.event.type === type).length;
    // The late request was processed (all four), and the resend carried the gift and the follow only.
    expect(
      emulator
        .requests()
        .filter((r) => r.operation === 'report')
        .map((r) => r.status),
    ).toEqual([200, 200]);
    expect({ comment: byType(1), join: byType(2), gift: byType(4), follow: byType(5) }).toEqual({
      comment: 1,
      join: 1,
      gift: 2,
      follow: 2,
    });
    expect(stats.uncertain).toMatchObject({ comment: 1, join: 1, gift: 1, follow: 1 });
    expect(stats.dropped.get('uncertain')?.counts).toMatchObject({ comment: 1, join: 1, gift: 0, follow: 0 });
    expect(stats.sent).toMatchObject({ gift: 1, follow: 1, comment: 0, join: 0 });
    expect(entries.some((e) => e.message === 'no answer to a report; resending its gifts, subscriptions and follows only')).toBe(true);
    expect(unaccounted({ stats, reporter })).toBe(0);
    const stopping = reporter.stop();
    await clock.advanceAsync(10_000);
    await stopping;
    await sink.close();
  });
});
