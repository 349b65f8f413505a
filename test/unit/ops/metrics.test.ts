import { describe, expect, test } from 'vitest';
import type { SinkStatus } from '../../../src/core/sink.js';
import { DROP_REASONS, EventStats, zeroCounts, type KindCounts } from '../../../src/core/stats.js';
import { EVENT_KINDS } from '../../../src/core/events.js';
import type { ReporterStatus, SourceStatus } from '../../../src/core/status.js';
import { createMetrics } from '../../../src/ops/metrics.js';

const NOW = 1_800_000_000_000;

function reporterStatus(over: Partial<ReporterStatus> = {}): ReporterStatus {
  return {
    queuedByKind: { ...zeroCounts(), comment: 4, gift: 1 },
    inFlight: 50,
    oldestQueuedAgeMs: 1500,
    spooledEvents: 7,
    spoolBytes: 2048,
    circuit: 'half-open',
    circuitOpenSince: null,
    retries: 3,
    lastSuccessAt: NOW - 2500,
    ...over,
  };
}

function knownStats(): EventStats {
  const stats = new EventStats();
  stats.countReceived('comment', 10);
  stats.countReceived('gift', 2);
  stats.countSent('comment', 6);
  stats.countSent('gift', 2);
  stats.countCoalesced('viewers', 5);
  stats.countDropped('comment', { reason: 'stale', intentional: true }, 2);
  stats.countDropped('like', { reason: 'queue_full', intentional: false });
  stats.countDiscarded('douyin-main', 'bad_gzip', 3);
  return stats;
}

const sources: SourceStatus[] = [
  {
    name: 'douyin-main',
    platform: 'douyin',
    room: '646454278948',
    state: { state: 'live' },
    since: NOW - 60_000,
    reconnects: 2,
    lastEventAt: NOW - 1250,
  },
  { name: 'sim', platform: 'simulate', room: 'r', state: { state: 'blocked', reason: 'captcha' }, reconnects: 0, lastEventAt: null },
];

/** The exposition lines of one family (without HELP/TYPE). */
function series(text: string, family: string): string[] {
  return text.split('\n').filter((line) => line.startsWith(`${family}{`) || line.startsWith(`${family} `));
}

async function scrape(reporter: ReporterStatus | null = reporterStatus(), sink: SinkStatus = { state: 'failing', reason: 'HTTP 500' }) {
  const metrics = createMetrics({
    stream: 'shop-main',
    stats: knownStats(),
    reporter: () => reporter,
    sources: () => sources,
    sink: () => sink,
    now: () => NOW,
    defaultMetrics: false,
  });
  return { metrics, text: await metrics.registry.metrics() };
}

describe('createMetrics', () => {
  test('event counters carry every type, with the stream label, from the stats snapshot', async () => {
    const { text } = await scrape();
    expect(series(text, 'live_bridge_events_received_total')).toEqual([
      'live_bridge_events_received_total{type="viewers",stream="shop-main"} 0',
      'live_bridge_events_received_total{type="like",stream="shop-main"} 0',
      'live_bridge_events_received_total{type="join",stream="shop-main"} 0',
      'live_bridge_events_received_total{type="comment",stream="shop-main"} 10',
      'live_bridge_events_received_total{type="follow",stream="shop-main"} 0',
      'live_bridge_events_received_total{type="subscribe",stream="shop-main"} 0',
      'live_bridge_events_received_total{type="gift",stream="shop-main"} 2',
    ]);
    expect(series(text, 'live_bridge_events_sent_total').filter((l) => !l.endsWith(' 0'))).toEqual([
      'live_bridge_events_sent_total{type="comment",stream="shop-main"} 6',
      'live_bridge_events_sent_total{type="gift",stream="shop-main"} 2',
    ]);
    expect(series(text, 'live_bridge_events_coalesced_total').filter((l) => !l.endsWith(' 0'))).toEqual([
      'live_bridge_events_coalesced_total{type="viewers",stream="shop-main"} 5',
    ]);
    expect(series(text, 'live_bridge_events_dropped_total').filter((l) => !l.endsWith(' 0'))).toEqual([
      'live_bridge_events_dropped_total{reason="stale",intentional="true",type="comment",stream="shop-main"} 2',
      'live_bridge_events_dropped_total{reason="queue_full",intentional="false",type="like",stream="shop-main"} 1',
    ]);
    // Every known reason is a series from the start (20 reasons × 7 types), so a first loss is an increase().
    expect(series(text, 'live_bridge_events_dropped_total')).toHaveLength(Object.keys(DROP_REASONS).length * EVENT_KINDS.length);
    expect(series(text, 'live_bridge_events_dropped_total')).toContain(
      'live_bridge_events_dropped_total{reason="rejected",intentional="false",type="gift",stream="shop-main"} 0',
    );
    expect(series(text, 'live_bridge_source_discarded_total')).toEqual([
      'live_bridge_source_discarded_total{source="douyin-main",reason="bad_gzip",stream="shop-main"} 3',
    ]);
  });

  test('reporter, sink and source gauges reflect the snapshots at scrape time', async () => {
    const { text } = await scrape();
    expect(series(text, 'live_bridge_queue_events').filter((l) => !l.endsWith(' 0'))).toEqual([
      'live_bridge_queue_events{type="comment",stream="shop-main"} 4',
      'live_bridge_queue_events{type="gift",stream="shop-main"} 1',
    ]);
    expect(series(text, 'live_bridge_in_flight_events')).toEqual(['live_bridge_in_flight_events{stream="shop-main"} 50']);
    expect(series(text, 'live_bridge_oldest_queued_event_age_seconds')).toEqual([
      'live_bridge_oldest_queued_event_age_seconds{stream="shop-main"} 1.5',
    ]);
    expect(series(text, 'live_bridge_spool_events')).toEqual(['live_bridge_spool_events{stream="shop-main"} 7']);
    expect(series(text, 'live_bridge_spool_bytes')).toEqual(['live_bridge_spool_bytes{stream="shop-main"} 2048']);
    expect(series(text, 'live_bridge_report_retries_total')).toEqual(['live_bridge_report_retries_total{stream="shop-main"} 3']);
    expect(series(text, 'live_bridge_last_success_timestamp_seconds')).toEqual([
      'live_bridge_last_success_timestamp_seconds{stream="shop-main"} 1799999997.5',
    ]);
    expect(series(text, 'live_bridge_circuit_state')).toEqual([
      'live_bridge_circuit_state{state="closed",stream="shop-main"} 0',
      'live_bridge_circuit_state{state="open",stream="shop-main"} 0',
      'live_bridge_circuit_state{state="half-open",stream="shop-main"} 1',
    ]);
    expect(series(text, 'live_bridge_sink_state')).toEqual([
      'live_bridge_sink_state{state="ready",stream="shop-main"} 0',
      'live_bridge_sink_state{state="paused",stream="shop-main"} 0',
      'live_bridge_sink_state{state="stopped",stream="shop-main"} 0',
      'live_bridge_sink_state{state="failing",stream="shop-main"} 1',
    ]);
    expect(series(text, 'live_bridge_source_state').filter((l) => l.endsWith(' 1'))).toEqual([
      'live_bridge_source_state{source="douyin-main",platform="douyin",state="live",stream="shop-main"} 1',
      'live_bridge_source_state{source="sim",platform="simulate",state="blocked",stream="shop-main"} 1',
    ]);
    expect(series(text, 'live_bridge_source_state')).toHaveLength(12);
    expect(series(text, 'live_bridge_source_reconnects_total')).toEqual([
      'live_bridge_source_reconnects_total{source="douyin-main",platform="douyin",stream="shop-main"} 2',
      'live_bridge_source_reconnects_total{source="sim",platform="simulate",stream="shop-main"} 0',
    ]);
    expect(series(text, 'live_bridge_source_last_event_age_seconds')).toEqual([
      'live_bridge_source_last_event_age_seconds{source="douyin-main",platform="douyin",stream="shop-main"} 1.25',
    ]);
  });

  test('an empty queue and no success yet read 0; a starting bridge (no reporter yet) reads as empty', async () => {
    const idle = await scrape(reporterStatus({ oldestQueuedAgeMs: null, lastSuccessAt: null }));
    expect(series(idle.text, 'live_bridge_oldest_queued_event_age_seconds')).toEqual([
      'live_bridge_oldest_queued_event_age_seconds{stream="shop-main"} 0',
    ]);
    expect(series(idle.text, 'live_bridge_last_success_timestamp_seconds')).toEqual([
      'live_bridge_last_success_timestamp_seconds{stream="shop-main"} 0',
    ]);
    const starting = await scrape(null, { state: 'paused', reason: 'starting' });
    expect(series(starting.text, 'live_bridge_queue_events').every((l) => l.endsWith(' 0'))).toBe(true);
    expect(series(starting.text, 'live_bridge_queue_events')).toHaveLength(7);
    for (const family of [
      'live_bridge_spool_bytes',
      'live_bridge_spool_events',
      'live_bridge_report_retries_total',
      'live_bridge_in_flight_events',
    ]) {
      expect(series(starting.text, family)).toEqual([`${family}{stream="shop-main"} 0`]);
    }
    expect(series(starting.text, 'live_bridge_circuit_state').filter((l) => l.endsWith(' 1'))).toEqual([
      'live_bridge_circuit_state{state="closed",stream="shop-main"} 1',
    ]);
    expect(series(starting.text, 'live_bridge_sink_state').filter((l) => l.endsWith(' 1'))).toEqual([
      'live_bridge_sink_state{state="paused",stream="shop-main"} 1',
    ]);
  });

  test('counters follow the snapshot between scrapes instead of accumulating', async () => {
    const stats = new EventStats();
    const metrics = createMetrics({
      stream: 's',
      stats,
      reporter: () => null,
      sources: () => [],
      sink: () => ({ state: 'ready' }),
      defaultMetrics: false,
    });
    stats.countSent('gift', 2);
    expect(series(await metrics.registry.metrics(), 'live_bridge_events_sent_total')).toContain(
      'live_bridge_events_sent_total{type="gift",stream="s"} 2',
    );
    stats.countSent('gift', 3);
    expect(series(await metrics.registry.metrics(), 'live_bridge_events_sent_total')).toContain(
      'live_bridge_events_sent_total{type="gift",stream="s"} 5',
    );
  });

  test('request observations become a status counter and a duration histogram per operation', async () => {
    const { metrics } = await scrape();
    metrics.observeRequest({ operation: 'report', status: '200', durationMs: 50 });
    metrics.observeRequest({ operation: 'report', status: '429', durationMs: 500 });
    metrics.observeRequest({ operation: 'iam_token', status: 'timeout', durationMs: 12_000 });
    const text = await metrics.registry.metrics();
    expect(series(text, 'live_bridge_metastudio_requests_total')).toEqual([
      'live_bridge_metastudio_requests_total{operation="report",status="200",stream="shop-main"} 1',
      'live_bridge_metastudio_requests_total{operation="report",status="429",stream="shop-main"} 1',
      'live_bridge_metastudio_requests_total{operation="iam_token",status="timeout",stream="shop-main"} 1',
    ]);
    const report = series(text, 'live_bridge_metastudio_request_duration_seconds_bucket').filter((l) => l.includes('operation="report"'));
    expect(report).toEqual([
      'live_bridge_metastudio_request_duration_seconds_bucket{le="0.025",stream="shop-main",operation="report"} 0',
      'live_bridge_metastudio_request_duration_seconds_bucket{le="0.05",stream="shop-main",operation="report"} 1',
      'live_bridge_metastudio_request_duration_seconds_bucket{le="0.1",stream="shop-main",operation="report"} 1',
      'live_bridge_metastudio_request_duration_seconds_bucket{le="0.25",stream="shop-main",operation="report"} 1',
      'live_bridge_metastudio_request_duration_seconds_bucket{le="0.5",stream="shop-main",operation="report"} 2',
      'live_bridge_metastudio_request_duration_seconds_bucket{le="1",stream="shop-main",operation="report"} 2',
      'live_bridge_metastudio_request_duration_seconds_bucket{le="2.5",stream="shop-main",operation="report"} 2',
      'live_bridge_metastudio_request_duration_seconds_bucket{le="5",stream="shop-main",operation="report"} 2',
      'live_bridge_metastudio_request_duration_seconds_bucket{le="10",stream="shop-main",operation="report"} 2',
      'live_bridge_metastudio_request_duration_seconds_bucket{le="30",stream="shop-main",operation="report"} 2',
      'live_bridge_metastudio_request_duration_seconds_bucket{le="+Inf",stream="shop-main",operation="report"} 2',
    ]);
    expect(series(text, 'live_bridge_metastudio_request_duration_seconds_sum')).toEqual([
      'live_bridge_metastudio_request_duration_seconds_sum{stream="shop-main",operation="report"} 0.55',
      'live_bridge_metastudio_request_duration_seconds_sum{stream="shop-main",operation="iam_token"} 12',
    ]);
  });

  test('every family follows the naming rules, and the process metrics are there by default', async () => {
    const metrics = createMetrics({
      stream: 's',
      stats: knownStats(),
      reporter: () => reporterStatus(),
      sources: () => sources,
      sink: () => ({ state: 'ready' }),
    });
    const text = await metrics.registry.metrics();
    const families = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => ({ name: m[1] as string, type: m[2] as string }));
    const ours = families.filter((f) => f.name.startsWith('live_bridge_'));
    expect(ours).toHaveLength(26);
    for (const f of ours) expect(f.type === 'counter').toBe(f.name.endsWith('_total'));
    expect(families.map((f) => f.name)).toEqual(
      expect.arrayContaining(['process_cpu_seconds_total', 'nodejs_eventloop_lag_seconds', 'process_resident_memory_bytes']),
    );
    // No user ids or other unbounded values as labels.
    const labelNames = new Set([...text.matchAll(/[{,]([a-z_]+)="/g)].map((m) => m[1]));
    for (const name of labelNames)
      expect([
        'stream',
        'type',
        'reason',
        'intentional',
        'source',
        'platform',
        'state',
        'operation',
        'status',
        'le',
        'version',
        'node',
        'major',
        'minor',
        'patch',
        'space',
        'kind',
        'type',
      ]).toContain(name);
  });
});

test('metered upstream calls become calls and units counters per source and call', async () => {
  const stats = new EventStats();
  stats.countUpstream('yt', 'chat_messages', 5);
  stats.countUpstream('yt', 'chat_messages', 5);
  stats.countUpstream('yt', 'live_page', 0);
  const { registry } = createMetrics({
    stream: 's',
    stats,
    reporter: () => null,
    sources: () => [],
    sink: () => ({ state: 'ready' }),
    defaultMetrics: false,
  });
  const text = await registry.metrics();
  expect(text).toContain('live_bridge_source_upstream_calls_total{source="yt",call="chat_messages",stream="s"} 2');
  expect(text).toContain('live_bridge_source_upstream_units_total{source="yt",call="chat_messages",stream="s"} 10');
  expect(text).toContain('live_bridge_source_upstream_calls_total{source="yt",call="live_page",stream="s"} 1');
  expect(text).toContain('live_bridge_source_upstream_units_total{source="yt",call="live_page",stream="s"} 0');
});

test('events held in open streaks and like windows are a gauge per type; build info names the version and Node.js', async () => {
  let held: KindCounts | null = null;
  const metrics = createMetrics({
    stream: 's',
    stats: new EventStats(),
    reporter: () => null,
    sources: () => [],
    sink: () => ({ state: 'ready' }),
    held: () => held,
    defaultMetrics: false,
  });
  const lines = async (name: string) => series(await metrics.registry.metrics(), name).filter((l) => !l.endsWith(' 0'));
  expect(await lines('live_bridge_events_held')).toEqual([]);
  held = { ...zeroCounts(), gift: 7, like: 2 };
  expect(await lines('live_bridge_events_held')).toEqual([
    'live_bridge_events_held{type="like",stream="s"} 2',
    'live_bridge_events_held{type="gift",stream="s"} 7',
  ]);
  expect(await lines('live_bridge_build_info')).toEqual([
    `live_bridge_build_info{version="0.1.0",node="${process.version.slice(1)}",stream="s"} 1`,
  ]);
});
