/**
 * The smart-live API operations: live-event-report, ShowSmartLive and ListSmartLive.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { verifyCredentials, reportUrlKey } from './auth.js';
import { apiError, type Answer } from './answer.js';
import { JobStateSchema } from './config.js';
import { validateReport } from './validate.js';
import type { Job, World } from './world.js';

/** An API request as the server hands it to the operations, body already read. */
export interface ApiRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
  requestId: string;
  /** The emulator's own origin, for minted URLs. */
  origin: string;
}

/** A pre-signed report URL minted with the emulator's key. */
export function mintReportUrl(world: World, base: string, roomId: string, jobId: string, ttlMs: number): string {
  const expires = world.now() + ttlMs;
  const key = reportUrlKey(world.config.report_url.key, roomId, jobId, expires);
  world.issue(key);
  const path = `/v1/${encodeURIComponent(world.config.project_id)}/smart-live-rooms/${encodeURIComponent(roomId)}/smart-live-jobs/${encodeURIComponent(jobId)}/live-event-report`;
  return `${base.replace(/\/+$/, '')}${path}?auth_key=${key}&expires_time=${expires}`;
}

function urlFor(world: World, req: ApiRequest, job: Job): string {
  return mintReportUrl(world, world.config.report_url.public_base ?? req.origin, job.roomId, job.jobId, world.config.report_url.ttl_ms);
}

function jobView(world: World, req: ApiRequest, job: Job): Record<string, unknown> {
  const room = world.rooms.get(job.roomId);
  return {
    job_id: job.jobId,
    room_id: job.roomId,
    room_name: room?.roomName ?? job.roomId,
    state: job.state,
    create_time: new Date(job.createdAt).toISOString(),
    start_time: new Date(job.createdAt).toISOString(),
    live_event_report_url: urlFor(world, req, job),
  };
}

/** Checks the project and credentials common to every operation; undefined when fine. */
function guard(
  world: World,
  req: ApiRequest,
  projectId: string,
  target?: { roomId: string; jobId: string },
): Answer | { authKind: Answer['auth'] } {
  const outcome = verifyCredentials(req, { config: world.config, tokens: world.tokens, now: () => world.now() }, target);
  if (!outcome.ok) return apiError(401, outcome.errorCode, outcome.errorMsg, 'none');
  if (projectId !== world.config.project_id) {
    return apiError(400, 'MSS.00010009', `The project in the URL (${projectId}) is not the project of the credentials`, outcome.kind);
  }
  return { authKind: outcome.kind };
}

const isAnswer = (v: Answer | { authKind: Answer['auth'] }): v is Answer => 'status' in v;

/** ShowSmartLive: one job, with a freshly minted report URL. */
export function showJob(world: World, req: ApiRequest, p: { projectId: string; roomId: string; jobId: string }): Answer {
  const g = guard(world, req, p.projectId);
  if (isAnswer(g)) return g;
  const job = world.rooms.get(p.roomId)?.jobs.get(p.jobId);
  if (!job) return apiError(404, 'MSS.00000002', `Not Found: job ${p.jobId} in room ${p.roomId}`, g.authKind);
  return { status: 200, body: jobView(world, req, job), auth: g.authKind };
}

/** ListSmartLive: the room's jobs, filtered by `state` and paged by offset/limit. */
export function listJobs(world: World, req: ApiRequest, p: { projectId: string; roomId: string }): Answer {
  const g = guard(world, req, p.projectId);
  if (isAnswer(g)) return g;
  if (!world.rooms.has(p.roomId)) return apiError(404, 'MSS.00000002', `Not Found: room ${p.roomId}`, g.authKind);
  const wanted = (req.url.searchParams.get('state') ?? '').split(',').filter((s) => s !== '');
  for (const s of wanted) {
    if (!JobStateSchema.safeParse(s).success)
      return apiError(400, 'MSS.00000003', `Invalid parameter: state ${s} is not a job state`, g.authKind);
  }
  const offset = Number(req.url.searchParams.get('offset') ?? '0');
  const limit = Number(req.url.searchParams.get('limit') ?? '10');
  if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(limit) || limit < 1 || limit > 100) {
    return apiError(400, 'MSS.00000003', 'Invalid parameter: offset must be >= 0 and limit 1..100', g.authKind);
  }
  const jobs = world.jobsOf(p.roomId).filter((j) => wanted.length === 0 || wanted.includes(j.state));
  return {
    status: 200,
    body: { count: jobs.length, smart_live_jobs: jobs.slice(offset, offset + limit).map((j) => jobView(world, req, j)) },
    auth: g.authKind,
  };
}

/** live-event-report: validates the body as the API documents it and records the events into a PROCESSING job. */
export function report(world: World, req: ApiRequest, p: { projectId: string; roomId: string; jobId: string }): Answer {
  const g = guard(world, req, p.projectId, { roomId: p.roomId, jobId: p.jobId });
  if (isAnswer(g)) return g;
  const job = world.rooms.get(p.roomId)?.jobs.get(p.jobId);
  if (!job) return apiError(404, 'MSS.00000002', `Not Found: job ${p.jobId} in room ${p.roomId}`, g.authKind);
  const contentType = String(req.headers['content-type'] ?? '');
  if (!/^application\/json\b/i.test(contentType)) {
    return apiError(
      400,
      'MSS.10000002',
      `Request body is not JSON: Content-Type must be application/json, got "${contentType}"`,
      g.authKind,
    );
  }
  const checked = validateReport(req.body.toString('utf8'));
  if (!checked.ok) return apiError(400, 'MSS.00000003', `Invalid parameter: ${checked.reason}`, g.authKind);
  // The real service's code for a report into a finished job is undocumented; this is ours.
  if (job.state !== 'PROCESSING')
    return apiError(400, 'MSS.00000003', `Invalid parameter: job ${job.jobId} is not PROCESSING (state ${job.state})`, g.authKind);
  const receivedAt = world.now();
  world.accept(
    checked.report.events.map(({ event, content }) => ({
      event,
      content,
      roomId: job.roomId,
      jobId: job.jobId,
      receivedAt,
      requestId: req.requestId,
    })),
  );
  return { status: 200, body: { live_event_report_url: urlFor(world, req, job) }, auth: g.authKind };
}
