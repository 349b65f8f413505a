/**
 * The MetaStudio API client: live-event-report, ShowSmartLive and ListSmartLive over one
 * transport. Each answer is logged once with its X-Request-Id; refusals throw MetaStudioApiError,
 * unusable answers MetaStudioResponseError, missing answers MetaStudioTransportError.
 */
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { errorFromAnswer, jsonBody, type Mask } from './answers.js';
import type { Authenticator, PreparedRequest } from './auth/types.js';
import { MetaStudioError, MetaStudioResponseError, type Operation } from './errors.js';
import type { HttpAnswer, HttpTransport } from './http.js';
import { wireJson, type WireEvent } from './wire.js';

/** Where the client's requests go and what they carry, with transport, clock, logger and mask injected. */
export interface ClientOptions {
  endpoint: string;
  projectId: string;
  roomId: string;
  appUserId?: string;
  noNeedReview?: boolean;
  transport: HttpTransport;
  clock: Clock;
  logger: Logger;
  mask: Mask;
  /** Registers a credential found in an answer (a job's report URL) the moment it is received. */
  secret?: (value: string) => void;
}

/** A smart-live job as ShowSmartLive / ListSmartLive describe it (the fields we use). */
export interface JobInfo {
  jobId: string;
  state: string;
  createTime?: string;
  /** The job's pre-signed report URL: a secret, never logged. */
  reportUrl?: string;
}

/** What an accepted report answered. */
export interface ReportAnswer {
  requestId?: string;
  /** `live_event_report_url` when the answer carried one: a secret, never logged. */
  reportUrl?: string;
}

const seg = encodeURIComponent;

/**
 * The report body: `total`, `events` and, when configured, `review_config`: exactly
 * JSON.stringify of that object, with each event's JSON text the one its encoding built.
 */
export function reportBody(events: readonly WireEvent[], noNeedReview?: boolean): string {
  const review = noNeedReview === undefined ? '' : `,"review_config":{"no_need_review":${noNeedReview}}`;
  return `{"total":${events.length},"events":[${events.map(wireJson).join(',')}]${review}}`;
}

function toJob(raw: unknown, operation: Operation, answer: HttpAnswer): JobInfo {
  const o = raw as Record<string, unknown> | null;
  if (typeof o !== 'object' || o === null || typeof o.job_id !== 'string' || typeof o.state !== 'string') {
    throw new MetaStudioResponseError({ operation, status: answer.status, requestId: answer.requestId }, 'a job lacks job_id or state');
  }
  return {
    jobId: o.job_id,
    state: o.state,
    ...(typeof o.create_time === 'string' ? { createTime: o.create_time } : {}),
    ...(typeof o.live_event_report_url === 'string' ? { reportUrl: o.live_event_report_url } : {}),
  };
}

/** The API client described in the module comment. */
export class MetaStudioClient {
  readonly #o: ClientOptions;

  constructor(options: ClientOptions) {
    this.#o = options;
  }

  /** A report URL and its auth_key are secrets from the moment they are read. */
  #reportUrlSecret(url: string): void {
    this.#o.secret?.(url);
    try {
      const key = new URL(url).searchParams.get('auth_key');
      if (key) this.#o.secret?.(key);
    } catch {
      // Not a URL: registered whole above.
    }
  }

  /** `.../smart-live-jobs` of the configured room. */
  jobsUrl(): URL {
    return new URL(`/v1/${seg(this.#o.projectId)}/smart-live-rooms/${seg(this.#o.roomId)}/smart-live-jobs`, this.#o.endpoint);
  }

  /** The report URL of a job (credentials go in headers). */
  reportUrl(jobId: string): URL {
    return new URL(`${this.jobsUrl().pathname}/${seg(jobId)}/live-event-report`, this.#o.endpoint);
  }

  /** The report request as it will be sent, before credentials. */
  prepareReport(url: URL, events: readonly WireEvent[]): PreparedRequest {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (this.#o.appUserId !== undefined) headers['X-App-UserId'] = this.#o.appUserId;
    return { method: 'POST', url, headers, body: reportBody(events, this.#o.noNeedReview) };
  }

  /** Reports one batch to `url` with `auth`; `job` names it in logs. */
  async report(
    url: URL,
    events: readonly WireEvent[],
    ctx: { auth: Authenticator; job: string; operation?: 'report' | 'refresh_url'; signal?: AbortSignal; onDeparture?: () => void },
  ): Promise<ReportAnswer> {
    const operation = ctx.operation ?? 'report';
    const answer = await this.#exchange(
      operation,
      this.prepareReport(url, events),
      ctx.auth,
      { job: ctx.job, events: events.length },
      ctx.signal,
      ctx.onDeparture,
    );
    const body = jsonBody(answer, operation);
    if (typeof body.live_event_report_url === 'string') this.#reportUrlSecret(body.live_event_report_url);
    return {
      ...(answer.requestId === undefined ? {} : { requestId: answer.requestId }),
      ...(typeof body.live_event_report_url === 'string' ? { reportUrl: body.live_event_report_url } : {}),
    };
  }

  /** ShowSmartLive: one job of the room. */
  async showJob(jobId: string, auth: Authenticator, signal?: AbortSignal): Promise<JobInfo> {
    const url = new URL(`${this.jobsUrl().pathname}/${seg(jobId)}`, this.#o.endpoint);
    const answer = await this.#exchange('show_job', { method: 'GET', url, headers: {}, body: '' }, auth, { job: jobId }, signal);
    const job = toJob(jsonBody(answer, 'show_job'), 'show_job', answer);
    if (job.reportUrl) this.#reportUrlSecret(job.reportUrl);
    return job;
  }

  /** ListSmartLive: the room's jobs in the given states, newest first. */
  async listJobs(states: readonly string[], auth: Authenticator, signal?: AbortSignal): Promise<JobInfo[]> {
    const url = this.jobsUrl();
    url.searchParams.set('state', states.join(','));
    url.searchParams.set('limit', '10');
    const answer = await this.#exchange(
      'list_jobs',
      { method: 'GET', url, headers: {}, body: '' },
      auth,
      { states: states.join(',') },
      signal,
    );
    const body = jsonBody(answer, 'list_jobs');
    if (!Array.isArray(body.smart_live_jobs)) {
      throw new MetaStudioResponseError(
        { operation: 'list_jobs', status: answer.status, requestId: answer.requestId },
        'smart_live_jobs is not an array',
      );
    }
    const jobs = body.smart_live_jobs.map((j) => toJob(j, 'list_jobs', answer));
    for (const job of jobs) if (job.reportUrl) this.#reportUrlSecret(job.reportUrl);
    return jobs;
  }

  async #exchange(
    operation: Operation,
    req: PreparedRequest,
    auth: Authenticator,
    context: Record<string, unknown>,
    signal?: AbortSignal,
    onDeparture?: () => void,
  ): Promise<HttpAnswer> {
    const { transport, clock, logger, mask } = this.#o;
    try {
      await auth.authorize(req, signal);
      // Credentials are in (an IAM login may have taken a while): the request leaves now.
      onDeparture?.();
      const answer = await transport.send({
        operation,
        method: req.method,
        url: req.url,
        headers: req.headers,
        body: req.method === 'POST' ? req.body : undefined,
        signal,
      });
      if (answer.status >= 200 && answer.status < 300) {
        logger.debug(`${operation} answered`, {
          ...context,
          status: answer.status,
          requestId: answer.requestId,
          durationMs: answer.durationMs,
        });
        return answer;
      }
      const err = errorFromAnswer(answer, operation, { now: clock.now() + auth.clockOffsetMs(), mask, signed: auth.kind === 'aksk' });
      auth.noteError(err);
      throw err;
    } catch (err) {
      // Debug only: whoever acts on the failure (the reporter, the job follower, check) logs it
      // once, with what it does next; a warning here too would say every failure twice.
      if (err instanceof MetaStudioError) {
        logger.debug(`${operation} failed`, {
          ...context,
          code: err.code,
          status: err.status,
          errorCode: err.errorCode,
          error: mask(err.message),
          requestId: err.requestId,
        });
      }
      throw err;
    }
  }
}
