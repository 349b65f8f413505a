/**
 * `live-bridge check --online`, the MetaStudio half: with the configured credentials, look up
 * the room's jobs and the configured job exactly as the sink will, without reporting anything.
 * It says whether the credentials are accepted (the AK/SK signature, the token, the IAM
 * password login), how far this host's clock is from the gateway's (its Date header; the
 * signature window is 15 minutes), whether the project and room exist, and the job's state.
 */
import type { Dispatcher } from 'undici';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { describeNetworkError } from '../core/net-error.js';
import type { RequestObservation } from '../core/status.js';
import type { Config } from '../config/schema.js';
import { MAX_CLOCK_SKEW_MS } from './answers.js';
import { MetaStudioClient, type JobInfo } from './client.js';
import { ClockSkewError, MetaStudioApiError, MetaStudioError, MetaStudioTransportError } from './errors.js';
import { HttpTransport } from './http.js';
import { createAuthenticator, secretsOf } from './index.js';
import { secretMask } from './mask.js';
import { parseReportUrl } from './report-url.js';

/** Every smart-live job state (ShowSmartLive's `state`): the probe lists jobs in any of them. */
const JOB_STATES = ['WAITING', 'PROCESSING', 'SUCCEED', 'FAILED', 'BLOCKED'] as const;

/** Probe defaults. */
export const DEFAULTS = {
  /** A skew above this is worth a warning even though the gateway still accepts it. */
  warnSkewMs: 60_000,
} as const;

/** One line of the verdict: fine, worth knowing, or a reason the stream cannot work. */
export interface Finding {
  level: 'ok' | 'warn' | 'fail';
  text: string;
}

/** What the probe takes besides the section. */
export interface ProbeDeps {
  clock: Clock;
  /** Receives the client's own log lines (check keeps them out of its output). */
  logger: Logger;
  dispatcher?: Dispatcher;
  signal?: AbortSignal;
}

type Section = Config['metastudio'];

function seconds(ms: number): string {
  const s = Math.abs(ms) / 1000;
  if (s < 120) return `${s.toFixed(1)} s`;
  const whole = Math.round(s);
  return `${Math.floor(whole / 60)} min ${whole % 60} s`;
}

/** The skew from the answers seen: server time minus local time at the midpoint of each exchange. */
function skewOf(observed: { at: number; o: RequestObservation }[]): number | undefined {
  const samples = observed
    .filter((x) => x.o.serverDate !== undefined && !Number.isNaN(Date.parse(x.o.serverDate)))
    // The Date header is truncated to the second: its middle is half a second later.
    .map((x) => Date.parse(x.o.serverDate as string) + 500 - (x.at - x.o.durationMs / 2));
  if (samples.length === 0) return undefined;
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)];
}

/** A failure's line: what was refused and why, without any secret. */
function failure(err: unknown, what: string, mask: (s: string) => string, endpoint: string): Finding {
  if (err instanceof ClockSkewError) {
    const side = err.skewMs > 0 ? 'behind' : 'ahead of';
    return {
      level: 'fail',
      text: `clock skew: this host is ${seconds(err.skewMs)} ${side} the gateway, beyond the 15 min signature window (${err.status} ${err.errorCode ?? ''}): fix NTP`,
    };
  }
  if (err instanceof MetaStudioTransportError) {
    const cause = err.code === 'metastudio_timeout' ? 'timed out' : describeNetworkError(err.cause).text;
    return { level: 'fail', text: `MetaStudio unreachable at ${endpoint}: ${cause}` };
  }
  if (err instanceof MetaStudioApiError) {
    const code = [err.status, err.errorCode].filter((x) => x !== undefined).join(' ');
    const said = err.errorMsg ? `: ${mask(err.errorMsg)}` : '';
    if (err.status === 401 || err.status === 403)
      return { level: 'fail', text: `${what}: credentials refused (${code}${said}); check metastudio.auth and metastudio.project_id` };
    return { level: 'fail', text: `${what}: ${code}${said}` };
  }
  if (err instanceof MetaStudioError) return { level: 'fail', text: `${what}: ${mask(err.message)}` };
  return { level: 'fail', text: `${what}: ${mask(err instanceof Error ? err.message : String(err))}` };
}

/** Checks the `metastudio:` section online; resolves to its findings, in order. */
export async function probeMetaStudio(config: Section, deps: ProbeDeps): Promise<Finding[]> {
  if (config.dry_run) return [{ level: 'ok', text: 'metastudio.dry_run: nothing is sent, so MetaStudio is not checked' }];
  const observed: { at: number; o: RequestObservation }[] = [];
  const transport = new HttpTransport({
    clock: deps.clock,
    timeoutMs: config.request_timeout_ms,
    observer: (o) => observed.push({ at: deps.clock.now(), o }),
    ...(deps.dispatcher ? { dispatcher: deps.dispatcher } : {}),
  });
  // The IAM token obtained during the probe is masked too, should an answer echo it.
  const runtime: string[] = [];
  const mask = secretMask(() => [...secretsOf(config.auth), ...runtime]);
  let { project_id: projectId, room_id: roomId, job_id: jobId } = config;
  let authConfig = config.auth?.type === 'report_url' ? config.auth.refresh : config.auth;
  const findings: Finding[] = [];
  if (config.auth?.type === 'report_url') {
    const parsed = parseReportUrl(config.auth.url);
    ({ projectId, roomId, jobId } = parsed.target);
    if (parsed.expiresTime !== undefined && parsed.expiresTime <= deps.clock.now())
      findings.push({
        level: config.auth.refresh ? 'warn' : 'fail',
        text: `the report URL expired ${seconds(deps.clock.now() - parsed.expiresTime)} ago`,
      });
    if (!config.auth.refresh) {
      findings.push({
        level: 'warn',
        text: `report_url mode without refresh credentials: job ${jobId} cannot be looked up, only reported to`,
      });
      return findings;
    }
    authConfig = config.auth.refresh;
  }
  const auth = createAuthenticator(authConfig, {
    endpoint: config.endpoint,
    projectId,
    transport,
    clock: deps.clock,
    logger: deps.logger,
    mask,
    secret: (v) => runtime.push(v),
  });
  const client = new MetaStudioClient({
    endpoint: config.endpoint,
    projectId,
    roomId,
    transport,
    clock: deps.clock,
    logger: deps.logger,
    mask,
  });
  const how = auth.kind === 'aksk' ? 'AK/SK signature' : auth.kind === 'none' ? 'no credentials' : `${auth.kind} credentials`;
  try {
    let jobs: JobInfo[];
    try {
      jobs = await client.listJobs(JOB_STATES, auth, deps.signal);
    } catch (err) {
      findings.push(failure(err, `project ${projectId}, room ${roomId}`, mask, config.endpoint));
      const skew = skewOf(observed);
      if (skew !== undefined && !(err instanceof ClockSkewError) && Math.abs(skew) > MAX_CLOCK_SKEW_MS)
        findings.push({
          level: 'fail',
          text: `clock skew: this host is ${seconds(skew)} ${skew > 0 ? 'behind' : 'ahead of'} the gateway (the signature window is 15 min): fix NTP`,
        });
      return findings;
    }
    findings.push({ level: 'ok', text: `${how} accepted; project ${projectId}, room ${roomId} found (${jobs.length} job(s) listed)` });
    const skew = skewOf(observed);
    if (skew === undefined) findings.push({ level: 'warn', text: 'clock skew unknown: the gateway sent no Date header' });
    else {
      const where = `this host is ${seconds(skew)} ${skew > 0 ? 'behind' : 'ahead of'} the gateway`;
      findings.push(
        Math.abs(skew) > DEFAULTS.warnSkewMs
          ? { level: 'warn', text: `clock skew: ${where} (the signature window is 15 min): fix NTP before it grows` }
          : { level: 'ok', text: `clock: within ${seconds(Math.max(1000, Math.abs(skew)))} of the gateway` },
      );
    }
    if (jobId === 'auto') {
      const running = jobs.filter((j) => j.state === 'PROCESSING');
      findings.push(
        running[0]
          ? { level: 'ok', text: `job_id auto: job ${running[0].jobId} is PROCESSING` }
          : {
              level: 'warn',
              text: `job_id auto: no PROCESSING job in room ${roomId} now; the bridge waits for one (events queue and age meanwhile)`,
            },
      );
    } else {
      try {
        const job = await client.showJob(jobId, auth, deps.signal);
        findings.push(
          job.state === 'PROCESSING'
            ? { level: 'ok', text: `job ${jobId} is PROCESSING` }
            : {
                level: 'warn',
                text: `job ${jobId} is ${job.state}, not PROCESSING: ${job.state === 'WAITING' ? 'events wait until it starts' : 'it takes no events; start a new job or use job_id: auto'}`,
              },
        );
      } catch (err) {
        if (err instanceof MetaStudioApiError && err.status === 404)
          findings.push({
            level: 'fail',
            text: `job ${jobId} not found in room ${roomId} (${[err.status, err.errorCode].filter(Boolean).join(' ')}): check metastudio.job_id, or use job_id: auto`,
          });
        else findings.push(failure(err, `job ${jobId}`, mask, config.endpoint));
      }
    }
    return findings;
  } finally {
    await transport.close();
  }
}
