/**
 * GET /_emulator/page: what the live page shows, incrementally. The page asks for what came
 * after the last event and request it saw (`events_after`, `requests_after`: counts since the
 * emulator started), so it appends instead of rebuilding its list; counts, refusals and job
 * states come from totals that are never trimmed.
 */
import type { World } from './world.js';

/** At most this many new events or refusals per answer (the page keeps a few hundred). */
export const PAGE_BATCH = 200;

/** Wire type numbers and what the page calls them (type 5 is MetaStudio's "subscription/following"). */
export const TYPE_NAMES: Record<number, string> = { 1: 'comment', 2: 'join', 3: 'like', 4: 'gift', 5: 'follow/subscribe', 6: 'viewers' };

/** One accepted event as the page shows it. */
export interface PageEvent {
  /** 1-based position among every event accepted since start. */
  seq: number;
  type: number;
  content: Record<string, unknown>;
  /** The event's own timestamp (ms epoch) and when the emulator received it. */
  timestamp: number;
  receivedAt: number;
  /** receivedAt − timestamp: how late the digital human hears it. */
  latencyMs: number;
  jobId: string;
}

/** One refused request: an error status, or a dropped connection (status 0). */
export interface PageRefusal {
  seq: number;
  at: number;
  operation: string;
  method: string;
  status: number;
  errorCode: string | null;
  errorMsg: string | null;
  auth: string;
  /** A scripted fault produced it. */
  fault: boolean;
}

/** The answer of GET /_emulator/page. */
export interface PageData {
  project: string;
  accepted: number;
  byType: Record<string, number>;
  requests: number;
  refused: number;
  authFailures: number;
  events: PageEvent[];
  refusals: PageRefusal[];
  jobs: { roomId: string; jobId: string; state: string }[];
}

function after(params: URLSearchParams, name: string): number {
  const n = Number(params.get(name) ?? '0');
  return Number.isInteger(n) && n >= 0 ? n : 0;
}

/** The page's data after the given counts. */
export function pageData(world: World, params: URLSearchParams): PageData {
  const { totals } = world;
  const kept = world.accepted();
  // The kept list ends at event number totals.accepted; take those after `events_after`.
  const firstSeq = totals.accepted - kept.length + 1;
  const fromEvent = Math.max(after(params, 'events_after') + 1, firstSeq, totals.accepted - PAGE_BATCH + 1);
  const events = kept.slice(fromEvent - firstSeq).map((e, i) => ({
    seq: fromEvent + i,
    type: e.event.type,
    content: e.content,
    timestamp: e.event.timestamp,
    receivedAt: e.receivedAt,
    latencyMs: e.receivedAt - e.event.timestamp,
    jobId: e.jobId,
  }));
  const log = world.requests();
  const firstRequest = totals.requests - log.length + 1;
  const fromRequest = Math.max(after(params, 'requests_after') + 1, firstRequest);
  const refusals = log
    .slice(fromRequest - firstRequest)
    .map((r, i) => ({ r, seq: fromRequest + i }))
    .filter(({ r }) => r.status === 0 || r.status >= 400)
    .slice(-PAGE_BATCH)
    .map(({ r, seq }) => ({
      seq,
      at: r.receivedAt,
      operation: r.operation,
      method: r.method,
      status: r.status,
      errorCode: r.errorCode ?? null,
      errorMsg: r.errorMsg ?? null,
      auth: r.auth,
      fault: r.fault,
    }));
  return {
    project: world.config.project_id,
    accepted: totals.accepted,
    byType: Object.fromEntries(Object.entries(totals.byType).map(([k, v]) => [k, v])),
    requests: totals.requests,
    refused: totals.refused,
    authFailures: totals.authFailures,
    events,
    refusals,
    jobs: [...world.rooms.values()].flatMap((room) =>
      world.jobsOf(room.roomId).map((j) => ({ roomId: room.roomId, jobId: j.jobId, state: j.state })),
    ),
  };
}
