/**
 * `metastudio:` — where and how events are reported. Secrets arrive only through ${ENV}.
 */
import { z } from 'zod';

const Secret = z.string().min(1);

/** How requests to MetaStudio are authenticated, chosen by `type`. */
export const AuthSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('aksk'), ak: Secret, sk: Secret, security_token: Secret.optional() }),
  z.strictObject({ type: z.literal('token'), token: Secret }),
  z.strictObject({
    type: z.literal('password'),
    user: z.string().min(1),
    password: Secret,
    domain: z.string().min(1),
    iam_endpoint: z.url().optional(),
  }),
  z.strictObject({
    type: z.literal('report_url'),
    url: z.url(),
    /** Credentials used to refresh the URL before it expires (optional). */
    refresh: z
      .discriminatedUnion('type', [
        z.strictObject({ type: z.literal('aksk'), ak: Secret, sk: Secret, security_token: Secret.optional() }),
        z.strictObject({ type: z.literal('token'), token: Secret }),
      ])
      .optional(),
  }),
]);
/** A parsed `metastudio.auth`. */
export type AuthConfig = z.infer<typeof AuthSchema>;

/** `metastudio:`: the endpoint, the project, room and job reported to, and the credentials. */
export const MetastudioSchema = z.strictObject({
  endpoint: z.url().default('https://metastudio.cn-north-4.myhuaweicloud.com'),
  project_id: z.string().min(1),
  room_id: z.string().min(1),
  /** A fixed job id, or `auto` to follow the room's PROCESSING job. */
  job_id: z.string().min(1).default('auto'),
  auth: AuthSchema.optional(),
  /** Print each request as it would be sent instead of sending it. */
  dry_run: z.boolean().default(false),
  /** `review_config.no_need_review` (only whitelisted tenants may skip review). */
  no_need_review: z.boolean().optional(),
  /** Optional `X-App-UserId` header (ASCII only). */
  app_user_id: z
    .string()
    .regex(/^[\x20-\x7e]+$/, 'ASCII characters only')
    .optional(),
  request_timeout_ms: z.number().int().positive().default(10_000),
  job_poll_interval_ms: z.number().int().min(1000).default(15_000),
});
/** A parsed `metastudio:` section, defaults applied. */
export type MetastudioConfig = z.infer<typeof MetastudioSchema>;
