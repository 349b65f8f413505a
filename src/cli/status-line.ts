/**
 * The demo's one-line status, fitted to the terminal: fields are shown in a fixed order but
 * kept by priority, so on a narrow terminal the per-type counts go first (viewers, then likes,
 * ...), then the less urgent totals, and the line never wraps (a wrapped line scrolls a new
 * line at every tick). Drops are split into policy (filters, caps, staleness) and loss.
 */
import { EVENT_KINDS, type EventKind } from '../core/events.js';
import { total, type StatusSnapshot } from '../ops/snapshot.js';

/** What a kind is called on the line. */
export const KIND_LABEL: Record<EventKind, string> = {
  viewers: 'viewers',
  like: 'likes',
  join: 'joins',
  comment: 'comments',
  follow: 'follows',
  subscribe: 'subs',
  gift: 'gifts',
};

/** One piece of the line: its text, and how important it is to keep (higher stays longer). */
export interface StatusField {
  text: string;
  priority: number;
  /** Fields of one group are printed together inside brackets (the per-kind counts). */
  group?: 'kinds';
}

/** The fields for a snapshot, in display order. `extra` fields (the demo's emulator count) go last. */
export function statusFields(s: StatusSnapshot, extra: StatusField[] = []): StatusField[] {
  // Gifts matter most to a host, viewer counts least: the same order the reporter ranks them.
  const kinds = [...EVENT_KINDS].reverse().map((k, i) => ({
    text: `${KIND_LABEL[k]} ${s.received[k]}`,
    priority: 20 - i,
    group: 'kinds' as const,
  }));
  return [
    { text: `in ${total(s.received)}`, priority: 90 },
    ...kinds,
    { text: `sent ${total(s.sent)}`, priority: 100 },
    { text: `queued ${s.queued + s.inFlight}`, priority: 80 },
    { text: `lost ${s.dropped.loss}`, priority: 95 },
    { text: `dropped ${s.dropped.policy} by policy`, priority: 60 },
    { text: `folded ${total(s.coalesced)}`, priority: 40 },
    ...extra,
  ];
}

/** Joins fields in order: plain fields separated by " | ", the kinds group in brackets after `in N`. */
function join(fields: StatusField[]): string {
  const parts: string[] = [];
  let group: string[] = [];
  const closeGroup = () => {
    if (group.length === 0) return;
    const bracket = `[${group.join(' ')}]`;
    if (parts.length > 0) parts[parts.length - 1] += ` ${bracket}`;
    else parts.push(bracket);
    group = [];
  };
  for (const f of fields) {
    if (f.group === 'kinds') group.push(f.text);
    else {
      closeGroup();
      parts.push(f.text);
    }
  }
  closeGroup();
  return parts.join(' | ');
}

/**
 * The line for these fields within `width` columns: the lowest-priority fields are left out
 * until it fits; a field that alone is wider than the terminal is cut. `Infinity` keeps all.
 */
export function fitStatusLine(fields: StatusField[], width: number): string {
  const kept = [...fields];
  let line = join(kept);
  while (line.length > width && kept.length > 1) {
    const lowest = kept.reduce((min, f) => (f.priority < min.priority ? f : min));
    kept.splice(kept.indexOf(lowest), 1);
    line = join(kept);
  }
  return line.length > width ? line.slice(0, Math.max(0, width)) : line;
}

/** The status line for a snapshot, fitted to `width` columns (Infinity off a terminal). */
export function statusLine(s: StatusSnapshot, width = Infinity, extra: StatusField[] = []): string {
  return fitStatusLine(statusFields(s, extra), width);
}
