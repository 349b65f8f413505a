/**
 * The MetaStudio sink: one batch per request into the followed job, results classified for the
 * Reporter (which owns retries), status for /readyz.
 */
import type { Logger } from '../core/logger.js';
import type { SendOptions, SendResult, Sink, SinkStatus } from '../core/sink.js';
import type { Authenticator } from './auth/types.js';
import { classify } from './classify.js';
import type { MetaStudioClient } from './client.js';
import { MetaStudioError } from './errors.js';
import type { HttpTransport } from './http.js';
import type { JobFollower } from './jobs.js';
import type { ReportRoute, ReportUrl } from './report-url.js';
import { BATCH, wireEncoder, type WireEvent } from './wire.js';

/** The sink's collaborators, built by createSink from the config. */
export interface MetaStudioSinkParts {
  client: MetaStudioClient;
  transport: HttpTransport;
  /** Credentials for the report and job APIs (the refresh credentials in report_url mode; NoAuth when none). */
  auth: Authenticator;
  follower: JobFollower;
  /** Set in report_url mode. */
  reportUrl?: ReportUrl;
  /** Whether job lookups are possible (to confirm a job ended after a refused report). */
  canLookUpJobs: boolean;
  logger: Logger;
}

/** The Sink that reports into MetaStudio (see the module comment). */
export class MetaStudioSink implements Sink<WireEvent> {
  readonly name = 'metastudio';
  readonly encoder = wireEncoder;
  readonly #p: MetaStudioSinkParts;
  #failure: string | undefined;

  constructor(parts: MetaStudioSinkParts) {
    this.#p = parts;
  }

  #route(job: string): ReportRoute {
    return this.#p.reportUrl?.route() ?? { url: this.#p.client.reportUrl(job), auth: this.#p.auth, operation: 'report' };
  }

  async send(events: readonly WireEvent[], options: SendOptions = {}): Promise<SendResult> {
    const { client, follower, reportUrl } = this.#p;
    if (events.length < BATCH.min || events.length > BATCH.max) {
      return {
        kind: 'rejected',
        reason: `a batch holds ${BATCH.min}..${BATCH.max} events, got ${events.length}`,
        code: 'metastudio_batch_size',
      };
    }
    const job = follower.current();
    if (job === undefined) {
      const status = follower.status();
      return { kind: 'paused', reason: status.state === 'ready' ? 'no job' : status.reason };
    }
    const route = this.#route(job);
    try {
      const answer = await client.report(route.url, events, {
        auth: route.auth,
        job,
        operation: route.operation,
        ...options,
      });
      if (route.operation === 'refresh_url') reportUrl?.adopt(answer.reportUrl);
      this.#failure = undefined;
      return { kind: 'sent', ...(answer.requestId === undefined ? {} : { requestId: answer.requestId }) };
    } catch (err) {
      if (!(err instanceof MetaStudioError)) throw err;
      const result = classify(err);
      if ((result.kind === 'rejected' || result.code === 'metastudio_not_found') && this.#p.canLookUpJobs) {
        // A report into a job that has just ended is refused (400, or 404 once it is gone); that
        // is a pause, not a bad batch.
        await follower.check();
        if (follower.current() !== job) {
          const status = follower.status();
          return {
            kind: 'paused',
            reason: status.state === 'ready' ? `job ${job} ended; now following ${follower.current() ?? 'none'}` : status.reason,
          };
        }
      }
      if (result.kind === 'reauth' && route.operation === 'report' && reportUrl) reportUrl.forceRefresh();
      if (route.operation === 'refresh_url' && reportUrl) reportUrl.refreshFailed();
      if (result.kind !== 'rejected') this.#failure = `${result.code}: ${result.reason}`;
      return result;
    }
  }

  async reauthenticate(): Promise<void> {
    if (this.#p.reportUrl && this.#p.auth.kind === 'none') {
      this.#p.logger.error(
        'the report URL was refused and there are no refresh credentials: configure metastudio.auth.refresh or a new URL',
        { code: 'metastudio_report_url_refused' },
      );
      return;
    }
    await this.#p.auth.reauthenticate();
  }

  async start(signal: AbortSignal): Promise<void> {
    await this.#p.follower.start(signal);
  }

  status(): SinkStatus {
    const followed = this.#p.follower.status();
    if (followed.state !== 'ready') return followed;
    return this.#failure === undefined ? { state: 'ready' } : { state: 'failing', reason: this.#failure };
  }

  async close(): Promise<void> {
    this.#p.follower.close();
    await this.#p.transport.close();
  }
}
