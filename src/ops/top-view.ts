/**
 * What `live-bridge top` draws: one block per stream (a row of totals and rates, a row of
 * per-type counts, a row per source), from each stream's `GET /status` document. Pure: the
 * command fetches, this renders.
 */
import { EVENT_KINDS } from '../core/events.js';
import { total, type StatusSnapshot } from './snapshot.js';

/** One stream as last polled: its snapshot (and the previous one, for rates) or why it could not be read. */
export interface TopStream {
  url: string;
  now?: StatusSnapshot;
  before?: StatusSnapshot;
  error?: string;
}

const KIND_SHORT = {
  gift: 'gifts',
  subscribe: 'subs',
  follow: 'follows',
  comment: 'comments',
  join: 'joins',
  like: 'likes',
  viewers: 'viewers',
};

const HEADER = ['STREAM', 'SINK', 'IN/S', 'SENT/S', 'QUEUED', 'LOST', 'DROPPED', 'P50', 'P99', 'LAST OK', 'UP'];
const WIDTHS = [18, 8, 7, 7, 7, 6, 8, 7, 7, 8, 8];

function duration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds * 10) / 10}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(Math.floor(seconds % 60)).padStart(2, '0')}`;
  return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}`;
}

function rate(now: StatusSnapshot, before: StatusSnapshot | undefined, pick: (s: StatusSnapshot) => number): string {
  if (!before || now.at <= before.at) return '-';
  return (((pick(now) - pick(before)) * 1000) / (now.at - before.at)).toFixed(1);
}

function row(cells: string[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(WIDTHS[i] as number) : c.padStart(WIDTHS[i] as number))).join(' ');
}

function streamLines(s: TopStream): string[] {
  const n = s.now;
  if (!n) return [`${s.url}: ${s.error ?? 'no answer yet'}`];
  const latency = n.reportLatency;
  const lines = [
    row([
      n.stream.slice(0, WIDTHS[0]),
      n.sink.state,
      rate(n, s.before, (x) => total(x.received)),
      rate(n, s.before, (x) => total(x.sent)),
      String(n.queued + n.inFlight),
      String(n.dropped.loss),
      String(n.dropped.policy),
      latency ? `${latency.p50Ms}ms` : '-',
      latency ? `${latency.p99Ms}ms` : '-',
      n.lastSuccessAt === null ? 'never' : duration(Math.max(0, (n.at - n.lastSuccessAt) / 1000)),
      duration(n.uptimeSeconds),
    ]),
    `  in/sent ${[...EVENT_KINDS]
      .reverse()
      .map((k) => `${KIND_SHORT[k]} ${n.received[k]}/${n.sent[k]}`)
      .join('  ')}`,
  ];
  if (s.error) lines.push(`  last poll failed: ${s.error}`);
  if (n.sink.state !== 'ready') lines.push(`  sink ${n.sink.state}: ${n.sink.reason}`);
  if (n.circuit !== 'closed') lines.push(`  circuit ${n.circuit}`);
  for (const src of n.sources) lines.push(`  ${src.name}  ${src.state}${src.reason ? `: ${src.reason}` : ''}`);
  const lost = n.dropped.reasons.filter((r) => !r.intentional);
  if (lost.length > 0) lines.push(`  lost: ${lost.map((r) => `${r.reason} ${r.count}`).join(', ')}`);
  return lines;
}

/** The whole screen, each line cut to `width` columns. */
export function renderTop(streams: TopStream[], options: { width: number; intervalMs: number; clock: string }): string[] {
  const title = `live-bridge top · ${streams.length} stream${streams.length === 1 ? '' : 's'} · every ${options.intervalMs / 1000} s · Ctrl-C quits`;
  const lines = [`${title}  ${options.clock}`, '', row(HEADER)];
  for (const s of streams) lines.push(...streamLines(s), '');
  return lines.map((l) => (l.length > options.width ? l.slice(0, options.width) : l));
}
