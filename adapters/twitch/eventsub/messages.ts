/**
 * EventSub WebSocket messages as Twitch sends them (JSON text frames: `metadata` + `payload`),
 * checked with zod. Loose objects: Twitch adds fields without notice, and only what we read is
 * required.
 */
import { z } from 'zod';

const Id = z.string().min(1).max(512);

/** `payload.session` of a welcome or a reconnect. */
export const SessionSchema = z.looseObject({
  id: Id,
  status: z.string(),
  /** Seconds without a message before the server sends a keepalive; null on reconnect messages. */
  keepalive_timeout_seconds: z.number().int().positive().max(3_600).nullable().optional(),
  reconnect_url: z.string().nullable().optional(),
});
/** A welcome's or reconnect's session. */
export type EventSubSession = z.infer<typeof SessionSchema>;

/** A subscription as notifications and revocations describe it. */
export const SubscriptionSchema = z.looseObject({
  id: z.string(),
  type: z.string().min(1),
  version: z.string(),
  status: z.string(),
});

const Metadata = z.looseObject({
  message_id: Id,
  message_type: z.string().min(1),
  message_timestamp: z.string(),
  subscription_type: z.string().optional(),
  subscription_version: z.string().optional(),
});

/** One message, discriminated on `metadata.message_type` after parsing. */
export const EventSubMessageSchema = z.looseObject({
  metadata: Metadata,
  payload: z.looseObject({
    session: SessionSchema.optional(),
    subscription: SubscriptionSchema.optional(),
    event: z.unknown().optional(),
    /** The batched form: several events of one subscription in one notification. */
    events: z.array(z.unknown()).optional(),
  }),
});
/** A parsed EventSub message. */
export type EventSubMessage = z.infer<typeof EventSubMessageSchema>;

/** What a frame is, once parsed. */
export type EventSubFrame =
  | { type: 'welcome'; id: string; session: EventSubSession }
  | { type: 'keepalive'; id: string }
  | { type: 'reconnect'; id: string; url: string }
  | { type: 'notification'; id: string; at: number; subscriptionType: string; events: readonly unknown[] }
  | { type: 'revocation'; id: string; subscriptionType: string; status: string }
  | { type: 'unknown'; id: string; messageType: string };

/** Why a frame could not be used: the discard reason. */
export type EventSubProblem = 'eventsub_not_json' | 'eventsub_malformed' | 'eventsub_bad_timestamp';

/** Parses one text frame. */
export function parseEventSubFrame(text: string): { ok: true; frame: EventSubFrame } | { ok: false; problem: EventSubProblem } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'eventsub_not_json' };
  }
  const parsed = EventSubMessageSchema.safeParse(json);
  if (!parsed.success) return { ok: false, problem: 'eventsub_malformed' };
  const { metadata, payload } = parsed.data;
  const id = metadata.message_id;
  switch (metadata.message_type) {
    case 'session_welcome':
      return payload.session
        ? { ok: true, frame: { type: 'welcome', id, session: payload.session } }
        : { ok: false, problem: 'eventsub_malformed' };
    case 'session_keepalive':
      return { ok: true, frame: { type: 'keepalive', id } };
    case 'session_reconnect': {
      const url = payload.session?.reconnect_url;
      return url ? { ok: true, frame: { type: 'reconnect', id, url } } : { ok: false, problem: 'eventsub_malformed' };
    }
    case 'notification': {
      const at = Date.parse(metadata.message_timestamp);
      if (Number.isNaN(at)) return { ok: false, problem: 'eventsub_bad_timestamp' };
      const subscriptionType = payload.subscription?.type ?? metadata.subscription_type;
      if (!subscriptionType) return { ok: false, problem: 'eventsub_malformed' };
      const events = payload.events ?? (payload.event === undefined ? [] : [payload.event]);
      return { ok: true, frame: { type: 'notification', id, at, subscriptionType, events } };
    }
    case 'revocation': {
      const sub = payload.subscription;
      if (!sub) return { ok: false, problem: 'eventsub_malformed' };
      return { ok: true, frame: { type: 'revocation', id, subscriptionType: sub.type, status: sub.status } };
    }
    default:
      return { ok: true, frame: { type: 'unknown', id, messageType: metadata.message_type } };
  }
}
