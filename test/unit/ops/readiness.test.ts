import { describe, expect, test } from 'vitest';
import type { SinkStatus } from '../../../src/core/sink.js';
import type { SourceState } from '../../../src/core/source.js';
import { zeroCounts } from '../../../src/core/stats.js';
import type { ReporterStatus, SourceStatus } from '../../../src/core/status.js';
import { evaluateReadiness } from '../../../src/ops/readiness.js';
import { reporterStatus } from '../../helpers/ops/status.js';

const NOW = 1_800_000_000_000;
const MIN = 60_000;

function source(state: SourceState, sinceAgoMs: number | undefined, name = 'douyin-main'): SourceStatus {
  return {
    name,
    platform: 'douyin',
    room: '646454278948',
    state,
    ...(sinceAgoMs === undefined ? {} : { since: NOW - sinceAgoMs }),
    reconnects: 0,
    lastEventAt: null,
  };
}

const reporter = reporterStatus;

const READY_SINK: SinkStatus = { state: 'ready' };

describe('evaluateReadiness', () => {
  const table: { name: string; sources: SourceStatus[]; sink?: SinkStatus; reporter?: ReporterStatus; reasons: string[] }[] = [
    { name: 'live source, ready sink, closed circuit', sources: [source({ state: 'live' }, 10 * MIN)], reasons: [] },
    { name: 'room offline is legitimately idle', sources: [source({ state: 'offline', reason: 'room not live' }, 30 * MIN)], reasons: [] },
    {
      name: 'broadcast ended is legitimately idle',
      sources: [source({ state: 'ended', reason: 'broadcast ended' }, 30 * MIN)],
      reasons: [],
    },
    { name: 'connecting briefly is tolerated', sources: [source({ state: 'connecting', reason: 'stall' }, 59_000)], reasons: [] },
    {
      name: 'connecting too long',
      sources: [source({ state: 'connecting', reason: 'stall' }, 61_000)],
      reasons: ['source douyin-main connecting for 61s: stall'],
    },
    {
      name: 'blocked too long',
      sources: [source({ state: 'blocked', reason: 'signature rejected' }, 2 * MIN)],
      reasons: ['source douyin-main blocked for 120s: signature rejected'],
    },
    {
      name: 'error too long',
      sources: [source({ state: 'error', reason: 'HTTP 403', code: 'room_forbidden' }, 90_500)],
      reasons: ['source douyin-main error for 90.5s: HTTP 403'],
    },
    {
      name: 'error without a known start is not tolerated',
      sources: [source({ state: 'error', reason: 'bad frame' }, undefined)],
      reasons: ['source douyin-main error: bad frame'],
    },
    { name: 'brief error is tolerated', sources: [source({ state: 'error', reason: 'bad frame' }, 1000)], reasons: [] },
    {
      name: 'one bad source among good ones',
      sources: [
        source({ state: 'live' }, MIN, 'a'),
        source({ state: 'blocked', reason: 'captcha' }, 5 * MIN, 'b'),
        source({ state: 'offline', reason: 'x' }, MIN, 'c'),
      ],
      reasons: ['source b blocked for 300s: captcha'],
    },
    {
      name: 'sink paused (no job yet) is fine',
      sources: [source({ state: 'live' }, MIN)],
      sink: { state: 'paused', reason: 'no PROCESSING job' },
      reasons: [],
    },
    {
      name: 'sink stopped: the fixed job ended',
      sources: [source({ state: 'live' }, MIN)],
      sink: { state: 'stopped', reason: 'job job-1 ended' },
      reasons: ['sink stopped: job job-1 ended'],
    },
    {
      name: 'sink failing',
      sources: [source({ state: 'live' }, MIN)],
      sink: { state: 'failing', reason: 'HTTP 401 after re-authentication' },
      reasons: ['sink failing: HTTP 401 after re-authentication'],
    },
    {
      name: 'circuit open briefly',
      sources: [source({ state: 'live' }, MIN)],
      reporter: reporter({ circuit: 'open', circuitOpenSince: NOW - 30_000 }),
      reasons: [],
    },
    {
      name: 'circuit open too long',
      sources: [source({ state: 'live' }, MIN)],
      reporter: reporter({ circuit: 'open', circuitOpenSince: NOW - 125_000 }),
      reasons: ['circuit open for 125s: reports to MetaStudio keep failing'],
    },
    {
      name: 'circuit half-open (probing) is fine',
      sources: [source({ state: 'live' }, MIN)],
      reporter: reporter({ circuit: 'half-open', circuitOpenSince: NOW - 10 * MIN }),
      reasons: [],
    },
    {
      name: 'every failure is listed, sources first',
      sources: [source({ state: 'blocked', reason: 'captcha' }, 5 * MIN)],
      sink: { state: 'failing', reason: 'timeout' },
      reporter: reporter({ circuit: 'open', circuitOpenSince: NOW - 10 * MIN }),
      reasons: [
        'source douyin-main blocked for 300s: captcha',
        'sink failing: timeout',
        'circuit open for 600s: reports to MetaStudio keep failing',
      ],
    },
  ];

  test.each(table)('$name', ({ sources, sink, reporter: rep, reasons }) => {
    const result = evaluateReadiness({ sources, sink: sink ?? READY_SINK, reporter: rep ?? reporter(), now: NOW });
    expect(result.reasons).toEqual(reasons);
    expect(result.ready).toBe(reasons.length === 0);
  });

  test('thresholds can be tightened', () => {
    const input = { sources: [source({ state: 'connecting' }, 20_000)], sink: READY_SINK, reporter: reporter(), now: NOW };
    expect(evaluateReadiness(input).ready).toBe(true);
    expect(evaluateReadiness({ ...input, thresholds: { sourceGraceMs: 10_000 } }).reasons).toEqual([
      'source douyin-main connecting for 20s',
    ]);
  });

  test('the detail carries what an operator needs: per-source state, queue, spool, circuit, last event age', () => {
    const sources = [
      { ...source({ state: 'live' }, 90_000, 'a'), lastEventAt: NOW - 4000 },
      { ...source({ state: 'offline', reason: 'room not live' }, undefined, 'b'), lastEventAt: NOW - 1500 },
    ];
    const result = evaluateReadiness({
      sources,
      sink: READY_SINK,
      reporter: reporter({
        queuedByKind: { ...zeroCounts(), gift: 2, comment: 3 },
        inFlight: 10,
        spooledEvents: 4,
        spoolBytes: 900,
        circuit: 'open',
        circuitOpenSince: NOW - 5000,
      }),
      now: NOW,
    });
    expect(result).toEqual({
      ready: true,
      reasons: [],
      detail: {
        sources: [
          {
            name: 'a',
            platform: 'douyin',
            room: '646454278948',
            state: 'live',
            reason: null,
            stateSeconds: 90,
            lastEventAgeSeconds: 4,
            ok: true,
          },
          {
            name: 'b',
            platform: 'douyin',
            room: '646454278948',
            state: 'offline',
            reason: 'room not live',
            stateSeconds: null,
            lastEventAgeSeconds: 1.5,
            ok: true,
          },
        ],
        sink: { state: 'ready' },
        circuit: 'open',
        circuitOpenSeconds: 5,
        queueEvents: 5,
        inFlight: 10,
        spoolEvents: 4,
        spoolBytes: 900,
        lastEventAgeSeconds: 1.5,
      },
    });
  });
});
