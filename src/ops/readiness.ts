/**
 * What /readyz answers: a pure judgement over the sources', sink's and reporter's snapshots.
 *
 * Ready means "working as configured": every source is live or legitimately idle (the room is
 * offline or its broadcast ended), the sink is not failing or stopped, and the circuit breaker
 * has not been open for long. Short `connecting`/`blocked`/`error` spells and brief circuit
 * openings are tolerated so that a reconnect does not flap the probe.
 */
import type { SinkStatus } from '../core/sink.js';
import type { SourceStateName } from '../core/source.js';
import type { ReporterStatus, SourceStatus } from '../core/status.js';
import { EVENT_KINDS } from '../core/events.js';

/** How long a source or the circuit may be unhealthy before /readyz fails, so reconnects do not flap it. */
export const DEFAULTS = {
  /** How long a source may stay connecting, blocked or in error before the process is not ready. */
  sourceGraceMs: 60_000,
  /** How long the reporter's circuit may stay open before the process is not ready. */
  circuitOpenMaxMs: 60_000,
} as const;

/** The grace periods as numbers; any may be overridden through `ReadinessInput.thresholds`. */
export type ReadinessThresholds = { -readonly [K in keyof typeof DEFAULTS]: number };

/** The snapshots evaluateReadiness judges, taken at `now`. */
export interface ReadinessInput {
  sources: readonly SourceStatus[];
  sink: SinkStatus;
  reporter: ReporterStatus;
  /** Milliseconds since the epoch. */
  now: number;
  thresholds?: Partial<ReadinessThresholds>;
}

/** One source as /readyz reports it. */
export interface SourceReadiness {
  name: string;
  platform: string;
  room: string;
  state: SourceStateName;
  reason: string | null;
  /** Seconds in the current state; null when the source does not say since when. */
  stateSeconds: number | null;
  lastEventAgeSeconds: number | null;
  ok: boolean;
}

/** The /readyz body's detail: what each check looked at. */
export interface ReadinessDetail {
  sources: SourceReadiness[];
  sink: SinkStatus;
  circuit: ReporterStatus['circuit'];
  circuitOpenSeconds: number | null;
  queueEvents: number;
  inFlight: number;
  spoolEvents: number;
  spoolBytes: number;
  /** Seconds since the freshest event of any source; null before the first. */
  lastEventAgeSeconds: number | null;
}

/** The /readyz verdict: `reasons` lists every check that failed, in words an operator can act on. */
export interface Readiness {
  ready: boolean;
  reasons: string[];
  detail: ReadinessDetail;
}

const IDLE_OK: ReadonlySet<SourceStateName> = new Set(['live', 'offline', 'ended']);

const seconds = (ms: number) => Math.round(ms / 100) / 10;

function judgeSource(s: SourceStatus, now: number, graceMs: number): { view: SourceReadiness; reason?: string } {
  const state = s.state.state;
  const reason = 'reason' in s.state && typeof s.state.reason === 'string' ? s.state.reason : null;
  const inStateMs = s.since === undefined ? null : Math.max(0, now - s.since);
  const ok = IDLE_OK.has(state) || (inStateMs !== null && inStateMs <= graceMs);
  const view: SourceReadiness = {
    name: s.name,
    platform: s.platform,
    room: s.room,
    state,
    reason,
    stateSeconds: inStateMs === null ? null : seconds(inStateMs),
    lastEventAgeSeconds: s.lastEventAt === null ? null : seconds(Math.max(0, now - s.lastEventAt)),
    ok,
  };
  if (ok) return { view };
  const spell = inStateMs === null ? '' : ` for ${seconds(inStateMs)}s`;
  return { view, reason: `source ${s.name} ${state}${spell}${reason ? `: ${reason}` : ''}` };
}

/** Computes readiness from the components' snapshots. Pure: same input, same answer. */
export function evaluateReadiness(input: ReadinessInput): Readiness {
  const limits = { ...DEFAULTS, ...input.thresholds };
  const { reporter, sink, now } = input;
  const reasons: string[] = [];

  const sources = input.sources.map((s) => {
    const judged = judgeSource(s, now, limits.sourceGraceMs);
    if (judged.reason) reasons.push(judged.reason);
    return judged.view;
  });

  if (sink.state === 'stopped' || sink.state === 'failing') reasons.push(`sink ${sink.state}: ${sink.reason}`);

  const openMs = reporter.circuit === 'open' && reporter.circuitOpenSince !== null ? Math.max(0, now - reporter.circuitOpenSince) : null;
  if (reporter.circuit === 'open' && (openMs === null || openMs > limits.circuitOpenMaxMs)) {
    reasons.push(`circuit open${openMs === null ? '' : ` for ${seconds(openMs)}s`}: reports to MetaStudio keep failing`);
  }

  const lastEventAt = input.sources.reduce<number | null>(
    (max, s) => (s.lastEventAt !== null && (max === null || s.lastEventAt > max) ? s.lastEventAt : max),
    null,
  );
  return {
    ready: reasons.length === 0,
    reasons,
    detail: {
      sources,
      sink,
      circuit: reporter.circuit,
      circuitOpenSeconds: openMs === null ? null : seconds(openMs),
      queueEvents: EVENT_KINDS.reduce((sum, k) => sum + reporter.queuedByKind[k], 0),
      inFlight: reporter.inFlight,
      spoolEvents: reporter.spooledEvents,
      spoolBytes: reporter.spoolBytes,
      lastEventAgeSeconds: lastEventAt === null ? null : seconds(Math.max(0, now - lastEventAt)),
    },
  };
}
