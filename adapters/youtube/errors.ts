/**
 * Google's error answers, classified. A Data API error body is
 * `{"error": {"code", "message", "status"?, "errors"?: [{reason, domain, message}], "details"?: [{"@type", reason}]}}`;
 * the reason tokens (`liveChatEnded`, `quotaExceeded`, `keyInvalid`, `API_KEY_INVALID`, …) decide
 * what the source does, the message is for the operator. An answer that is not such a body is
 * garbage (a proxy's HTML page, a truncated body) and is backed off like a server error.
 */
import { z } from 'zod';

/** What went wrong with one call, as the source acts on it. */
export type ApiFailure =
  /** 403 liveChatEnded: the chat is over; follow the channel to its next broadcast. */
  | { kind: 'chat_ended'; message: string }
  /** 403 quotaExceeded / dailyLimitExceeded: nothing works until the quota resets. */
  | { kind: 'quota_exceeded'; message: string }
  /** 403 rateLimitExceeded (polled too soon) or 429: wait and try again. */
  | { kind: 'rate_limited'; message: string }
  /** The key is missing, wrong, restricted, or the API is not enabled for its project: an operator must act. */
  | { kind: 'key_rejected'; code: KeyProblem; message: string }
  /** 404 liveChatNotFound / videoNotFound: resolve the room again. */
  | { kind: 'not_found'; message: string }
  /** 403 liveChatDisabled: this broadcast has no chat. */
  | { kind: 'chat_disabled'; message: string }
  /** A 5xx, or a 4xx none of the above explains: back off. */
  | { kind: 'server'; status: number; message: string }
  /** An answer that is not what the API sends: back off, and count it. */
  | { kind: 'garbage'; reason: GarbageReason; sample: string }
  /** No answer (refused, reset, timed out): back off. */
  | { kind: 'network'; message: string };

/** Why the key was refused (snake_case codes for states and logs). */
export type KeyProblem = 'key_missing' | 'key_invalid' | 'key_restricted' | 'api_not_enabled';
/** Why an answer was garbage (discard reasons). */
export type GarbageReason = 'answer_not_json' | 'answer_unexpected' | 'error_not_json' | 'error_unexpected';

const GoogleErrorSchema = z.object({
  error: z
    .object({
      code: z.number().int().optional(),
      message: z.string().default(''),
      status: z.string().optional(),
      errors: z.array(z.object({ reason: z.string().optional() }).loose()).default([]),
      details: z.array(z.object({ reason: z.string().optional() }).loose()).default([]),
    })
    .loose(),
});

const KEY_REASONS: Record<string, KeyProblem> = {
  keyInvalid: 'key_invalid',
  API_KEY_INVALID: 'key_invalid',
  keyExpired: 'key_invalid',
  API_KEY_EXPIRED: 'key_invalid',
  accessNotConfigured: 'api_not_enabled',
  SERVICE_DISABLED: 'api_not_enabled',
  ipRefererBlocked: 'key_restricted',
  API_KEY_HTTP_REFERRER_BLOCKED: 'key_restricted',
  API_KEY_IP_ADDRESS_BLOCKED: 'key_restricted',
  API_KEY_SERVICE_BLOCKED: 'key_restricted',
  API_KEY_ANDROID_APP_BLOCKED: 'key_restricted',
  API_KEY_IOS_APP_BLOCKED: 'key_restricted',
};

const SAMPLE_CHARS = 512;

/** A garbage failure with the start of the body (for the discard log). */
export function garbage(reason: GarbageReason, body: string): ApiFailure {
  return { kind: 'garbage', reason, sample: body.slice(0, SAMPLE_CHARS) };
}

/** Classifies a non-2xx answer by its status and body text. */
export function classifyError(status: number, body: string): ApiFailure {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return status >= 500 ? { kind: 'server', status, message: `HTTP ${status}` } : garbage('error_not_json', body);
  }
  const r = GoogleErrorSchema.safeParse(json);
  if (!r.success) return status >= 500 ? { kind: 'server', status, message: `HTTP ${status}` } : garbage('error_unexpected', body);
  const parsed = r.data;
  const { message, errors, details } = parsed.error;
  const reasons = new Set([...errors, ...details].map((e) => e.reason).filter((r): r is string => r !== undefined));
  const has = (...r: string[]) => r.some((x) => reasons.has(x));
  if (has('liveChatEnded')) return { kind: 'chat_ended', message };
  if (has('quotaExceeded', 'dailyLimitExceeded', 'dailyLimitExceededUnreg')) return { kind: 'quota_exceeded', message };
  if (has('rateLimitExceeded', 'userRateLimitExceeded', 'RATE_LIMIT_EXCEEDED') || status === 429) return { kind: 'rate_limited', message };
  if (has('liveChatDisabled')) return { kind: 'chat_disabled', message };
  if (has('liveChatNotFound', 'videoNotFound', 'channelNotFound')) return { kind: 'not_found', message };
  for (const r of reasons) {
    const code = KEY_REASONS[r];
    if (code) return { kind: 'key_rejected', code, message };
  }
  // "The request is missing a valid API key." comes as 403 PERMISSION_DENIED (401 UNAUTHENTICATED for some front ends).
  if (parsed.error.status === 'PERMISSION_DENIED' || parsed.error.status === 'UNAUTHENTICATED' || status === 401)
    return { kind: 'key_rejected', code: /api key/i.test(message) ? 'key_missing' : 'key_restricted', message };
  return { kind: 'server', status, message: message || `HTTP ${status}` };
}

/** A one-line description of a failure for states and logs. */
export function describeFailure(f: ApiFailure): string {
  switch (f.kind) {
    case 'garbage':
      return `unreadable answer (${f.reason})`;
    case 'server':
      return `HTTP ${f.status}: ${f.message}`;
    case 'key_rejected':
      return `API key refused (${f.code}): ${f.message}`;
    default:
      return f.message || f.kind;
  }
}
