/**
 * The dry-run sink: prints every request exactly as it would be sent (method, full path and
 * query, headers, pretty body) with secrets masked, and answers `sent`. Nothing leaves the host.
 */
import type { SendOptions, SendResult, Sink, SinkStatus } from '../core/sink.js';
import { MASK, type Authenticator } from './auth/types.js';
import type { MetaStudioClient } from './client.js';
import { BATCH, wireEncoder, type WireEvent } from './wire.js';

/** What the dry-run sink prints with: the real client and authenticator, and where to print. */
export interface DryRunParts {
  client: MetaStudioClient;
  auth: Authenticator;
  /** The job shown in the path (`auto` is shown as `{job_id}`, found at run time). */
  jobId: string;
  /** The pre-signed URL to show (report_url mode), masked before printing. */
  reportUrl?: URL;
  out: NodeJS.WritableStream;
}

/** The dry-run Sink described in the module comment. */
export class DryRunSink implements Sink<WireEvent> {
  readonly name = 'dry-run';
  readonly encoder = wireEncoder;

  constructor(private readonly p: DryRunParts) {}

  async send(events: readonly WireEvent[], options: SendOptions = {}): Promise<SendResult> {
    if (events.length < BATCH.min || events.length > BATCH.max) {
      return {
        kind: 'rejected',
        reason: `a batch holds ${BATCH.min}..${BATCH.max} events, got ${events.length}`,
        code: 'metastudio_batch_size',
      };
    }
    const url = this.p.reportUrl ? new URL(this.p.reportUrl) : this.p.client.reportUrl(this.p.jobId === 'auto' ? '{job_id}' : this.p.jobId);
    const req = this.p.client.prepareReport(url, events);
    this.p.auth.preview(req);
    if (url.searchParams.has('auth_key')) url.searchParams.set('auth_key', MASK);
    // Printed decoded, so `{job_id}` and the mask read as written.
    const path = decodeURIComponent(`${url.pathname}${url.search}`);
    const headers = { Host: url.host, ...req.headers };
    const lines = [
      `${req.method} ${path}`,
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
      '',
      JSON.stringify(JSON.parse(req.body), null, 2),
      '',
      '',
    ];
    options.onDeparture?.();
    this.p.out.write(lines.join('\n'));
    return { kind: 'sent' };
  }

  async reauthenticate(): Promise<void> {}

  async start(): Promise<void> {}

  status(): SinkStatus {
    return { state: 'ready' };
  }

  async close(): Promise<void> {}
}
