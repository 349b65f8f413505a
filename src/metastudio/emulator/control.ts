/**
 * The emulator's own control surface under /_emulator/ (not part of MetaStudio): the accepted
 * events, the request log, job states, faults and outages, for tests, demos and rehearsals.
 */
import { z } from 'zod';
import type { Answer } from './answer.js';
import { FaultSchema, JobStateSchema } from './config.js';
import { pageData } from './page-data.js';
import type { World } from './world.js';

const bad = (message: string): Answer => ({ status: 400, body: { error: message } });

function parse<T>(schema: z.ZodType<T>, body: Buffer): T | Answer {
  let raw: unknown;
  try {
    raw = JSON.parse(body.toString('utf8'));
  } catch {
    return bad('body is not valid JSON');
  }
  const r = schema.safeParse(raw);
  return r.success ? r.data : bad(z.prettifyError(r.error));
}

const isAnswer = (v: unknown): v is Answer => typeof v === 'object' && v !== null && 'status' in v && 'body' in v;

/** Answers a /_emulator/ request; undefined when the path is not a control route. */
export function control(world: World, method: string, url: URL, segments: string[], body: Buffer): Answer | undefined {
  const [, what, id, sub] = segments;
  if (method === 'GET' && what === 'events' && segments.length === 2) {
    const all = world.accepted();
    const limit = Number(url.searchParams.get('limit') ?? all.length);
    const events = Number.isInteger(limit) && limit >= 0 ? all.slice(Math.max(0, all.length - limit)) : all;
    return { status: 200, body: { total: all.length, events } };
  }
  if (method === 'GET' && what === 'requests' && segments.length === 2) return { status: 200, body: { requests: world.requests() } };
  if (method === 'GET' && what === 'page' && segments.length === 2) return { status: 200, body: pageData(world, url.searchParams) };
  if (method === 'POST' && what === 'jobs' && id !== undefined && sub === 'state' && segments.length === 4) {
    const input = parse(z.strictObject({ state: JobStateSchema }), body);
    if (isAnswer(input)) return input;
    const job = world.findJob(id);
    if (!job) return { status: 404, body: { error: `no job ${id}` } };
    world.setJobState(job.roomId, job.jobId, input.state);
    return { status: 200, body: { job_id: job.jobId, room_id: job.roomId, state: input.state } };
  }
  if (method === 'POST' && what === 'rooms' && id !== undefined && sub === 'jobs' && segments.length === 4) {
    const input = parse(z.strictObject({ job_id: z.string().min(1), state: JobStateSchema.default('PROCESSING') }), body);
    if (isAnswer(input)) return input;
    world.addJob(id, input.job_id, input.state);
    return { status: 201, body: { job_id: input.job_id, room_id: id, state: input.state } };
  }
  if (method === 'POST' && what === 'faults' && segments.length === 2) {
    const input = parse(z.array(FaultSchema), body);
    if (isAnswer(input)) return input;
    world.script(input);
    return { status: 200, body: { pending: world.pendingFaults() } };
  }
  if (method === 'POST' && what === 'outage' && segments.length === 2) {
    const input = parse(z.strictObject({ fault: FaultSchema.nullable() }), body);
    if (isAnswer(input)) return input;
    world.setOutage(input.fault ?? undefined);
    return { status: 200, body: { outage: input.fault !== null } };
  }
  return undefined;
}
