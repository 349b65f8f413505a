/**
 * JSON without lossy ids: integers of 16 digits or more are turned into strings before
 * JSON.parse sees them, so uids and ids above 2^53 keep every digit. Plus the small readers
 * the mappings use on untrusted objects (never throwing on a missing or wrongly typed field).
 */

// A JSON string (skipped as is) or a long integer literal outside a string.
const TOKEN = /"(?:[^"\\]|\\.)*"|(?<![\d.eE+-])-?\d{16,}(?![.eE\d])/g;

/**
 * One match per long integer: the text before it, read as JSON tokens (strings whole, runs of
 * other characters, digit runs), then the integer. Sticky, so the replace stops at the first
 * place no further long integer follows, leaving the rest as it is. Each token matches in one
 * way only (strings and runs are made atomic with a lookahead and a back-reference), so a failing
 * attempt at the tail is linear, never a backtracking search; the replacement is a pattern, not a
 * callback, so a command with a hundred strings costs no hundred calls. Groups: 1 the prefix,
 * 2 a string's inside, 3 a run, 4 the long integer.
 */
const BEFORE_LONG = /((?:"(?=((?:[^"\\]+|\\.)*))\2"|(?=([^"\d-]+))\3|-?\d+(?!\d))*?)(?<![\d.eE+-])(-?\d{16,})(?![.eE\d])/gy;

/** Digits enough for a long integer somewhere (inside a string or not): without them the text is parsed as it is. */
const SIXTEEN_DIGITS = /\d{16}/;

/** Texts above this size take the reference path (the sticky walk keeps one backtrack entry per token). */
const STICKY_MAX_CHARS = 64 * 1024;

/** Parses JSON text; long integers arrive as decimal strings. Throws SyntaxError like JSON.parse. */
export function parseJsonLossless(text: string): unknown {
  if (!SIXTEEN_DIGITS.test(text)) return JSON.parse(text);
  if (text.length > STICKY_MAX_CHARS) return parseJsonLosslessReference(text);
  BEFORE_LONG.lastIndex = 0;
  return JSON.parse(text.replace(BEFORE_LONG, '$1"$4"'));
}

/** The reference reading (one callback per string token), what parseJsonLossless equals on every text (tested). */
export function parseJsonLosslessReference(text: string): unknown {
  return JSON.parse(text.replace(TOKEN, (m) => (m.charCodeAt(0) === 34 ? m : `"${m}"`)));
}

/** A parsed JSON object whose fields are not yet trusted. */
export type Obj = Record<string, unknown>;

/** Whether `v` is a plain JSON object (not null, not an array). */
export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `v` as an object, or an empty one. */
export function obj(v: unknown): Obj {
  return isObj(v) ? v : {};
}

/** `v` as an array, or an empty one. */
export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** `v` as a string: strings as they are, finite numbers in decimal, anything else ''. */
export function str(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'bigint') return v.toString();
  return '';
}

/** An id: a decimal string or a safe non-negative integer, as a string; '' when neither. */
export function idStr(v: unknown): string {
  if (typeof v === 'string') return /^\d{1,30}$/.test(v) ? v.replace(/^0+(?=\d)/, '') : '';
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return String(v);
  return '';
}

/** A non-negative safe integer from a number or a numeric string; `fallback` otherwise. */
export function int(v: unknown, fallback = 0): number {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) return fallback;
  return Math.min(Number.MAX_SAFE_INTEGER, Math.floor(n));
}

/** A platform timestamp in seconds or milliseconds, as ms; `fallback` when absent or zero. */
export function toMs(v: unknown, fallback: number): number {
  const n = int(v);
  if (n === 0) return fallback;
  // Seconds until the year 5138; anything larger is already milliseconds.
  return n < 1e11 ? n * 1000 : n;
}
