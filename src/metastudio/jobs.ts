/**
 * Job following. With `job_id: auto` the sink reports into the room's PROCESSING job; when that
 * job leaves PROCESSING (SUCCEED, FAILED, BLOCKED) reporting pauses and the room is polled for
 * its next PROCESSING job. A fixed job that ends stops reporting for good. State changes are
 * noticed by polling ShowSmartLive every `pollIntervalMs` and on demand after a report error.
 */
import type { Clock, TimerHandle } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { SinkStatus } from '../core/sink.js';
import { classify } from './classify.js';
import type { JobInfo } from './client.js';
import { MetaStudioError } from './errors.js';

/** The two job lookups the follower needs. */
export interface JobApi {
  show(jobId: string, signal?: AbortSignal): Promise<JobInfo>;
  /** The room's PROCESSING jobs, newest first. */
  processing(signal?: AbortSignal): Promise<JobInfo[]>;
  /**
   * Obtains fresh credentials after a lookup was refused (401, APIGW.0301/0303). While reporting
   * is paused no report goes out to trigger the reporter's re-authentication, so the follower asks.
   */
  reauthenticate?(): Promise<void>;
}

/** Which job to follow (fixed or `auto`), how to look it up, and how often. */
export interface JobFollowerOptions {
  /** `auto`, or a fixed job id. */
  jobId: string;
  roomId: string;
  /** Absent when there are no credentials to look jobs up with: a fixed job is then trusted as is. */
  api?: JobApi;
  clock: Clock;
  logger: Logger;
  pollIntervalMs: number;
}

/** Final states: the job will not report again. */
const ENDED: ReadonlySet<string> = new Set(['SUCCEED', 'FAILED', 'BLOCKED']);

/** Follows the job to report into (see the module comment). */
export class JobFollower {
  readonly #o: JobFollowerOptions;
  readonly #auto: boolean;
  #job: string | undefined;
  #status: SinkStatus;
  #timer: TimerHandle | undefined;
  #checking: Promise<void> | undefined;
  #signal: AbortSignal | undefined;
  #closed = false;

  constructor(options: JobFollowerOptions) {
    this.#o = options;
    this.#auto = options.jobId === 'auto';
    this.#job = this.#auto ? undefined : options.jobId;
    this.#status = this.#auto ? { state: 'paused', reason: `looking for a PROCESSING job in room ${options.roomId}` } : { state: 'ready' };
  }

  /** The job to report into now; undefined while paused or stopped. */
  current(): string | undefined {
    return this.#status.state === 'ready' ? this.#job : undefined;
  }

  status(): SinkStatus {
    return this.#status;
  }

  /** Resolves after the first lookup; then polls until `signal` aborts or the fixed job ends. */
  async start(signal: AbortSignal): Promise<void> {
    this.#signal = signal;
    signal.addEventListener('abort', () => this.#clear(), { once: true });
    if (!this.#o.api) {
      if (this.#auto) this.#status = { state: 'stopped', reason: 'job_id auto needs credentials to list the room jobs' };
      return;
    }
    await this.check();
  }

  /** Looks the job up now (shared with a lookup already under way) and re-arms the poll. */
  check(): Promise<void> {
    if (!this.#o.api || this.#status.state === 'stopped') return Promise.resolve();
    this.#checking ??= this.#lookUp(this.#o.api).finally(() => {
      this.#checking = undefined;
      this.#schedule();
    });
    return this.#checking;
  }

  /** Stops polling for good (the sink is closing). */
  close(): void {
    this.#closed = true;
    this.#clear();
  }

  #clear(): void {
    if (this.#timer !== undefined) this.#o.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(): void {
    this.#clear();
    if (this.#closed || this.#signal?.aborted || this.#status.state === 'stopped') return;
    this.#timer = this.#o.clock.setTimeout(() => {
      this.#timer = undefined;
      void this.check();
    }, this.#o.pollIntervalMs);
  }

  #set(status: SinkStatus, log?: () => void): void {
    const changed =
      status.state !== this.#status.state || ('reason' in status && 'reason' in this.#status && status.reason !== this.#status.reason);
    this.#status = status;
    if (changed) log?.();
  }

  async #lookUp(api: JobApi): Promise<void> {
    const { logger, roomId } = this.#o;
    const signal = this.#signal;
    try {
      if (this.#job !== undefined) {
        const job = this.#job;
        const info = await api.show(job, signal).catch((err: unknown) => {
          // A job that no longer exists has ended as far as reporting goes.
          if (err instanceof MetaStudioError && err.status === 404) return { jobId: job, state: 'NOT_FOUND' };
          throw err;
        });
        if (info.state === 'PROCESSING')
          return this.#set({ state: 'ready' }, () => logger.info('reporting into job', { job, state: info.state }));
        if (!this.#auto) {
          if (!ENDED.has(info.state) && info.state !== 'NOT_FOUND') {
            return this.#set({ state: 'paused', reason: `job ${job} is ${info.state}, not PROCESSING` }, () =>
              logger.warn('job is not PROCESSING yet; waiting', { job, state: info.state }),
            );
          }
          const reason = `job ${job} ended (${info.state}); reporting stopped: set metastudio.job_id to the new job, or to auto`;
          this.#clear();
          return this.#set({ state: 'stopped', reason }, () =>
            logger.error(reason, { job, state: info.state, code: 'metastudio_job_ended' }),
          );
        }
        logger.warn('job left PROCESSING; pausing and looking for the room next PROCESSING job', { job, state: info.state });
        this.#job = undefined;
      }
      const next = (await api.processing(signal)).find((j) => j.state === 'PROCESSING');
      if (next) {
        this.#job = next.jobId;
        this.#status = { state: 'ready' };
        logger.info('following job', { job: next.jobId, room: roomId });
        return;
      }
      this.#set({ state: 'paused', reason: `no PROCESSING job in room ${roomId}` }, () =>
        logger.warn('no PROCESSING job in the room; reporting paused', { room: roomId }),
      );
    } catch (err) {
      if (!(err instanceof MetaStudioError)) {
        logger.error('job lookup failed', { error: err });
        return;
      }
      // Keep the current state: a failed lookup says nothing about the job. Logged here, once (the
      // client logs at debug only).
      logger.warn('job lookup failed; looking again at the next poll', {
        code: err.code,
        status: err.status,
        errorCode: err.errorCode,
        error: err.message,
        requestId: err.requestId,
        retryInMs: this.#o.pollIntervalMs,
      });
      if (this.#auto && this.#job === undefined)
        this.#set({ state: 'failing', reason: `cannot list the jobs of room ${roomId}: ${err.code}` });
      // Only while no report goes out (a report's 401 re-authenticates through the reporter), and
      // at most once per lookup, so a wrong key costs one login per poll interval, not a storm.
      if (api.reauthenticate && this.current() === undefined && classify(err).kind === 'reauth') {
        await api
          .reauthenticate()
          .catch((e: unknown) =>
            logger.warn('re-authentication for the job lookup failed', { error: e instanceof Error ? e.message : String(e) }),
          );
      }
    }
  }
}
