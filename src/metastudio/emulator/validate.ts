/**
 * The report body checks the live-event-report API documents: `total` (1..1000) equals the
 * number of events, `timestamp` in epoch milliseconds, `type` 1..6, and `content` a string
 * holding the documented JSON for its type with the documented field types. The first problem
 * found is the reason of the 400 answer; messages are part of the emulator's tested contract.
 */
import type { WireEvent } from '../wire.js';

/** The API's limits. */
export const LIMITS = { maxEvents: 1000, minTimestampMs: 1_000_000_000_000, maxTimestampMs: 4_102_415_999_000 } as const;

/** A valid body: the events and their parsed contents. */
export interface ValidReport {
  events: { event: WireEvent; content: Record<string, unknown> }[];
  noNeedReview?: boolean;
}

/** A valid report body, or the first problem found (the 400's reason). */
export type Validation = { ok: true; report: ValidReport } | { ok: false; reason: string };

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object' && v !== null) return 'an object';
  return JSON.stringify(v).slice(0, 40);
}

function checkUser(user: unknown, at: string): string | undefined {
  if (!isObj(user)) return `${at}.user must be an object`;
  for (const key of ['userId', 'name', 'badge'] as const) {
    if (typeof user[key] !== 'string') return `${at}.user.${key} must be a string, got ${show(user[key])}`;
  }
  for (const key of ['level', 'badgeLevel'] as const) {
    if (!isInt(user[key])) return `${at}.user.${key} must be an integer, got ${show(user[key])}`;
  }
  return undefined;
}

function checkContent(type: number, content: Obj, at: string): string | undefined {
  if (type >= 1 && type <= 5) {
    const bad = checkUser(content.user, at);
    if (bad) return bad;
  }
  if (type === 1 && typeof content.content !== 'string') return `${at}.content must be a string, got ${show(content.content)}`;
  // The service refuses an empty comment (measured against an independent endpoint, issue 19).
  if (type === 1 && (content.content as string).trim() === '') return `${at}.content must not be empty`;
  if (type === 4) {
    const gift = content.gift;
    if (!isObj(gift)) return `${at}.gift must be an object`;
    if (typeof gift.giftName !== 'string') return `${at}.gift.giftName must be a string, got ${show(gift.giftName)}`;
    for (const key of ['giftNum', 'totalValue', 'giftValue'] as const) {
      if (!isInt(gift[key])) return `${at}.gift.${key} must be an integer, got ${show(gift[key])}`;
    }
  }
  if (type === 6 && !isInt(content.numberOfViewers))
    return `${at}.numberOfViewers must be an integer, got ${show(content.numberOfViewers)}`;
  return undefined;
}

function checkEvent(raw: unknown, i: number): { event: WireEvent; content: Obj } | string {
  const at = `events[${i}]`;
  if (!isObj(raw)) return `${at} must be an object`;
  const { timestamp, type, content } = raw;
  if (!isInt(timestamp)) return `${at}.timestamp must be an integer, got ${show(timestamp)}`;
  if (timestamp < LIMITS.minTimestampMs || timestamp > LIMITS.maxTimestampMs) {
    return `${at}.timestamp must be milliseconds since the epoch (${LIMITS.minTimestampMs}..${LIMITS.maxTimestampMs}), got ${timestamp}`;
  }
  if (!isInt(type) || type < 1 || type > 6) return `${at}.type must be an integer 1..6, got ${show(type)}`;
  if (typeof content !== 'string') return `${at}.content must be a string holding JSON, got ${show(content)}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    return `${at}.content is not valid JSON`;
  }
  if (!isObj(parsed)) return `${at}.content must hold a JSON object`;
  const bad = checkContent(type, parsed, `${at}.content`);
  if (bad) return bad;
  return { event: { timestamp, type: type as WireEvent['type'], content }, content: parsed };
}

/** Validates a raw request body. */
export function validateReport(body: string): Validation {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { ok: false, reason: 'request body is not valid JSON' };
  }
  if (!isObj(parsed)) return { ok: false, reason: 'request body must be a JSON object' };
  const { total, events, review_config: review } = parsed;
  if (!isInt(total)) return { ok: false, reason: `total is required and must be an integer, got ${show(total)}` };
  if (total < 1 || total > LIMITS.maxEvents) return { ok: false, reason: `total must be 1..${LIMITS.maxEvents}, got ${total}` };
  if (!Array.isArray(events)) return { ok: false, reason: `events must be an array, got ${show(events)}` };
  if (events.length !== total) return { ok: false, reason: `total (${total}) does not equal the number of events (${events.length})` };
  let noNeedReview: boolean | undefined;
  if (review !== undefined) {
    if (!isObj(review)) return { ok: false, reason: 'review_config must be an object' };
    if (review.no_need_review !== undefined && typeof review.no_need_review !== 'boolean') {
      return { ok: false, reason: `review_config.no_need_review must be a boolean, got ${show(review.no_need_review)}` };
    }
    noNeedReview = review.no_need_review as boolean | undefined;
  }
  const out: ValidReport['events'] = [];
  for (const [i, raw] of events.entries()) {
    const checked = checkEvent(raw, i);
    if (typeof checked === 'string') return { ok: false, reason: checked };
    out.push(checked);
  }
  return { ok: true, report: { events: out, ...(noNeedReview === undefined ? {} : { noNeedReview }) } };
}
