/**
 * The emulator's configuration (a YAML file for `live-bridge emulator --config`, or built in code
 * by tests): the fake project, its rooms and jobs, and the credentials it accepts.
 */
import { z } from 'zod';

/** Smart-live job states, as ShowSmartLive reports them. */
export const JOB_STATES = ['WAITING', 'PROCESSING', 'SUCCEED', 'FAILED', 'BLOCKED'] as const;
/** Validates a job state wherever one comes in: the config, control requests, ListSmartLive's `state` filter. */
export const JobStateSchema = z.enum(JOB_STATES);
/** One of JOB_STATES. */
export type JobState = z.infer<typeof JobStateSchema>;

const JobSchema = z.strictObject({ job_id: z.string().min(1), state: JobStateSchema.default('PROCESSING') });

const RoomSchema = z.strictObject({
  room_id: z.string().min(1),
  room_name: z.string().optional(),
  jobs: z.array(JobSchema).default([]),
});

/** The whole emulator config: project, rooms and jobs, accepted credentials, and memory limits. */
export const EmulatorConfigSchema = z.strictObject({
  project_id: z.string().min(1),
  rooms: z.array(RoomSchema).min(1, 'expected at least one room'),
  /** AK/SK pairs whose signatures are accepted. */
  aksk: z.array(z.strictObject({ ak: z.string().min(1), sk: z.string().min(1) })).default([]),
  /** Static tokens accepted in X-Auth-Token (besides those its IAM endpoint issues). */
  tokens: z.array(z.string().min(1)).default([]),
  /** IAM users that may obtain a token from POST /v3/auth/tokens. */
  iam_users: z.array(z.strictObject({ name: z.string().min(1), password: z.string().min(1), domain: z.string().min(1) })).default([]),
  /** Lifetime of the tokens its IAM endpoint issues (IAM: 24 h). */
  token_ttl_ms: z
    .number()
    .int()
    .positive()
    .default(24 * 3600_000),
  /** Accept requests that carry no credentials at all (never true on the real service). */
  allow_anonymous: z.boolean().default(false),
  /** Largest accepted distance between X-Sdk-Date and the emulator's clock (gateway: 15 min). */
  max_clock_skew_ms: z
    .number()
    .int()
    .positive()
    .default(15 * 60_000),
  report_url: z
    .strictObject({
      /**
       * The emulator's own HMAC key for the pre-signed report URL. The real algorithm is not
       * documented, so URLs minted here are valid only against this emulator.
       */
      key: z.string().min(8).default('emulator-only-report-url-key'),
      ttl_ms: z.number().int().positive().default(3600_000),
      /** Origin written into minted URLs (default: the emulator's own). */
      public_base: z.url().optional(),
    })
    .prefault({}),
  /** Accepted events kept in memory (oldest dropped first). */
  keep_events: z.number().int().positive().default(5000),
  /** Logged requests kept in memory. */
  keep_requests: z.number().int().positive().default(2000),
});
/** A parsed emulator config, defaults applied. */
export type EmulatorConfig = z.infer<typeof EmulatorConfigSchema>;
/** What a caller may write before defaults apply. */
export type EmulatorConfigInput = z.input<typeof EmulatorConfigSchema>;

/** The built-in demo world; the same ids and key pair as config/demo.yaml. */
export const DEMO = {
  projectId: 'demo-project',
  roomId: 'demo-room',
  jobId: 'demo-job-0001',
  ak: 'DEMOACCESSKEY0000001',
  sk: 'demo-secret-key-for-the-local-emulator',
} as const;

/** One project, one room with one PROCESSING job, and the demo AK/SK pair. */
export function demoEmulatorConfig(): EmulatorConfig {
  return EmulatorConfigSchema.parse({
    project_id: DEMO.projectId,
    rooms: [{ room_id: DEMO.roomId, room_name: 'Demo room', jobs: [{ job_id: DEMO.jobId, state: 'PROCESSING' }] }],
    aksk: [{ ak: DEMO.ak, sk: DEMO.sk }],
  });
}

/** Operations the emulator knows; faults and the request log name them. */
export const OPERATIONS = ['report', 'show_job', 'list_jobs', 'iam_token'] as const;
/** One of OPERATIONS. */
export type Operation = (typeof OPERATIONS)[number];

const FaultBase = {
  /** Which operation the fault hits (default `report`). */
  operation: z.enum(OPERATIONS).default('report'),
  /** Delay before the answer (or the drop). */
  latency_ms: z.number().int().nonnegative().default(0),
};

/**
 * One scripted fault; each hits exactly one matching request, in script order.
 * - `status`: answer this status with `{error_code, error_msg}` (and Retry-After when given).
 * - `throttle`: 429 with APIGW.0308 and an optional Retry-After (seconds or HTTP-date).
 * - `raw`: answer this status with a raw body (garbage, HTML, truncated JSON).
 * - `drop`: destroy the socket without an answer.
 * - `delay`: wait `latency_ms`, then handle the request normally.
 * - `echo`: answer `status` with an error message that repeats the request line and every
 *   request header, credentials included (as some gateways and proxies do).
 */
export const FaultSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('status'),
    ...FaultBase,
    status: z.number().int().min(100).max(599),
    error_code: z.string().default('MSS.00000004'),
    error_msg: z.string().default('Internal Error'),
    retry_after: z.string().optional(),
  }),
  z.strictObject({ kind: z.literal('throttle'), ...FaultBase, retry_after: z.string().optional() }),
  z.strictObject({
    kind: z.literal('raw'),
    ...FaultBase,
    status: z.number().int().min(100).max(599).default(200),
    content_type: z.string().default('text/html'),
    body: z.string(),
  }),
  z.strictObject({ kind: z.literal('drop'), ...FaultBase }),
  z.strictObject({ kind: z.literal('delay'), ...FaultBase }),
  z.strictObject({ kind: z.literal('echo'), ...FaultBase, status: z.number().int().min(400).max(599).default(500) }),
]);
/** A parsed scripted fault, defaults applied. */
export type Fault = z.infer<typeof FaultSchema>;
/** A scripted fault as a caller may write it, before defaults apply. */
export type FaultInput = z.input<typeof FaultSchema>;
