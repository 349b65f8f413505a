/**
 * The demo's one-line status: events in by type, sent, queued, dropped.
 */
import { EVENT_KINDS } from '../core/events.js';
import type { Bridge } from '../bridge/bridge.js';

const LABEL = {
  viewers: 'viewers',
  like: 'likes',
  join: 'joins',
  comment: 'comments',
  follow: 'follows',
  subscribe: 'subs',
  gift: 'gifts',
} as const;

/** One status line for the bridge's current counters. */
export function statusLine(bridge: Bridge): string {
  const s = bridge.stats;
  const kinds = [...EVENT_KINDS].reverse();
  const received = kinds.map((k) => `${LABEL[k]} ${s.received[k]}`).join(' ');
  const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
  const reporter = bridge.reporter();
  const dropped = kinds.reduce((n, k) => n + s.droppedTotal(k), 0);
  return `in: ${received} | sent ${sum(s.sent)} | queued ${sum(reporter.queuedByKind) + reporter.inFlight} | coalesced ${sum(s.coalesced)} | dropped ${dropped}`;
}
