/**
 * The MetaStudio sink factory: picks the auth mode, wires client, job following and (for
 * report_url) URL refresh; or the dry-run sink that prints instead of sending.
 */
import type { Dispatcher } from 'undici';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { Sink } from '../core/sink.js';
import type { RequestObserver } from '../core/status.js';
import type { Config } from '../config/schema.js';
import { AkSkAuth } from './auth/aksk.js';
import { deriveIamEndpoint, PasswordAuth } from './auth/password.js';
import { NoAuth, TokenAuth } from './auth/token.js';
import type { Authenticator } from './auth/types.js';
import type { Mask } from './answers.js';
import { MetaStudioClient } from './client.js';
import { DryRunSink } from './dry-run.js';
import { HttpTransport } from './http.js';
import { JobFollower } from './jobs.js';
import { secretMask } from './mask.js';
import { ReportUrl } from './report-url.js';
import { MetaStudioSink } from './sink.js';
import type { WireEvent } from './wire.js';

export { MetaStudioSink } from './sink.js';
export { DryRunSink } from './dry-run.js';
export * from './errors.js';
export { classify } from './classify.js';
export { signRequest } from './signer.js';
export { BATCH, toWireEvent, WIRE_TYPE, wireEncoder, type WireEvent, type WireType } from './wire.js';

/** What createSink takes besides the config section: logging, time, and the optional dispatcher and dry-run output. */
export interface SinkDeps {
  logger: Logger;
  clock: Clock;
  observer?: RequestObserver;
  /** An undici dispatcher to send through (tests, proxies); by default the sink owns a keep-alive Agent. */
  dispatcher?: Dispatcher;
  /** Where the dry-run sink prints (stdout by default). */
  out?: NodeJS.WritableStream;
  /**
   * Registers a credential obtained at run time (an IAM token, a report URL and its key) the
   * moment it is received, so the process's redactor masks it everywhere from then on.
   */
  secrets?: (value: string) => void;
}

type MetastudioConfig = Config['metastudio'];
type AuthConfig = NonNullable<MetastudioConfig['auth']>;

/** Every secret value of an auth section, for the mask of server-echoed text. */
export function secretsOf(auth: AuthConfig | undefined): string[] {
  if (!auth) return [];
  switch (auth.type) {
    case 'aksk':
      return [auth.ak, auth.sk, auth.security_token ?? ''];
    case 'token':
      return [auth.token];
    case 'password':
      return [auth.password];
    case 'report_url':
      return [auth.url, ...secretsOf(auth.refresh)];
  }
}

/** What an authenticator is built with besides its config section. */
export interface AuthDeps {
  endpoint: string;
  projectId: string;
  transport: HttpTransport;
  clock: Clock;
  logger: Logger;
  mask: Mask;
  /** Registers a credential obtained at run time (the IAM token) with the process's redactor. */
  secret?: (value: string) => void;
}

/** The authenticator of an auth section (a report URL's refresh credentials included); none without one. */
export function createAuthenticator(auth: Exclude<AuthConfig, { type: 'report_url' }> | undefined, d: AuthDeps): Authenticator {
  if (!auth) return new NoAuth();
  switch (auth.type) {
    case 'aksk':
      return new AkSkAuth({
        ak: auth.ak,
        sk: auth.sk,
        projectId: d.projectId,
        clock: d.clock,
        logger: d.logger,
        ...(auth.security_token ? { securityToken: auth.security_token } : {}),
      });
    case 'token':
      return new TokenAuth(auth.token, d.logger);
    case 'password':
      return new PasswordAuth({
        user: auth.user,
        password: auth.password,
        domain: auth.domain,
        projectId: d.projectId,
        iamEndpoint: auth.iam_endpoint ?? deriveIamEndpoint(d.endpoint),
        transport: d.transport,
        clock: d.clock,
        logger: d.logger,
        mask: d.mask,
        ...(d.secret ? { secret: d.secret } : {}),
      });
  }
}

/** Creates the sink for `metastudio:`. Throws MetaStudioSetupError when the config cannot work. */
export function createSink(config: MetastudioConfig, deps: SinkDeps): Sink<WireEvent> {
  const { logger, clock } = deps;
  const transport = new HttpTransport({
    clock,
    timeoutMs: config.request_timeout_ms,
    ...(deps.observer ? { observer: deps.observer } : {}),
    ...(deps.dispatcher ? { dispatcher: deps.dispatcher } : {}),
  });
  let reportUrl: ReportUrl | undefined;
  const runtime = new Set<string>();
  const secret = (value: string) => {
    if (value.length < 4 || runtime.has(value)) return;
    runtime.add(value);
    deps.secrets?.(value);
  };
  const mask = secretMask(() => [...secretsOf(config.auth), ...runtime]);
  const authFor = (auth: Exclude<AuthConfig, { type: 'report_url' }> | undefined, projectId: string): Authenticator =>
    createAuthenticator(auth, { endpoint: config.endpoint, projectId, transport, clock, logger, mask, secret });

  // In report_url mode the URL names project, room and job; the refresh credentials (if any) do the rest.
  let { project_id: projectId, room_id: roomId, job_id: jobId } = config;
  let auth: Authenticator;
  if (config.auth?.type === 'report_url') {
    const refreshAuth = config.auth.refresh ? authFor(config.auth.refresh, projectId) : undefined;
    reportUrl = new ReportUrl(config.auth.url, {
      endpoint: config.endpoint,
      clock,
      logger,
      secret,
      ...(refreshAuth ? { refreshAuth } : {}),
    });
    ({ projectId, roomId, jobId } = reportUrl.target);
    if (config.job_id !== 'auto' && config.job_id !== jobId)
      logger.warn('metastudio.job_id differs from the job of the report URL; the URL wins', { job: jobId });
    auth = refreshAuth ?? new NoAuth();
  } else {
    auth = authFor(config.auth, projectId);
  }

  const client = new MetaStudioClient({
    endpoint: config.endpoint,
    projectId,
    roomId,
    transport,
    clock,
    logger,
    mask,
    secret,
    ...(config.app_user_id === undefined ? {} : { appUserId: config.app_user_id }),
    ...(config.no_need_review === undefined ? {} : { noNeedReview: config.no_need_review }),
  });

  if (config.dry_run) {
    return new DryRunSink({
      client,
      auth,
      jobId,
      out: deps.out ?? process.stdout,
      ...(reportUrl ? { reportUrl: new URL(config.auth?.type === 'report_url' ? config.auth.url : '') } : {}),
    });
  }

  // Without any credentials to look jobs up with (a bare report URL), the job is trusted as is.
  const canLookUpJobs = !(reportUrl && auth.kind === 'none');
  const follower = new JobFollower({
    jobId,
    roomId,
    clock,
    logger,
    pollIntervalMs: config.job_poll_interval_ms,
    ...(canLookUpJobs
      ? {
          api: {
            show: (id: string, signal?: AbortSignal) => client.showJob(id, auth, signal),
            processing: (signal?: AbortSignal) => client.listJobs(['PROCESSING'], auth, signal),
            reauthenticate: () => auth.reauthenticate(),
          },
        }
      : {}),
  });
  return new MetaStudioSink({ client, transport, auth, follower, canLookUpJobs, logger, ...(reportUrl ? { reportUrl } : {}) });
}
