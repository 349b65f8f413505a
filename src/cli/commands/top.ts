/**
 * `live-bridge top [--url ...]`: a live terminal view of one or more running streams, read from
 * each one's `GET /status` (like `vector top`). Off a terminal, or with --once, it prints one
 * screen and exits: 0 when every stream answered, 1 when one did not.
 */
import { describeNetworkError } from '../../core/net-error.js';
import { EXIT, UsageError } from '../../core/errors.js';
import type { StatusSnapshot } from '../../ops/snapshot.js';
import { renderTop, type TopStream } from '../../ops/top-view.js';
import type { Command } from '../command.js';
import { fitWidth } from '../live-line.js';

/** `top` defaults. */
export const DEFAULTS = { url: 'http://127.0.0.1:9464', intervalMs: 1000, timeoutMs: 2000 } as const;

/** Waits `ms` (a ref'd timer: nothing else keeps `top` alive) or until `signal` aborts. */
function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Reads one stream's status document. */
async function poll(url: string, timeoutMs: number): Promise<StatusSnapshot> {
  let res: Response;
  try {
    res = await fetch(`${url.replace(/\/+$/, '')}/status`, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw new Error(describeNetworkError(err).text, { cause: err });
  }
  if (res.status === 404) throw new Error('no /status here: is this a live-bridge ops server of this version?');
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const body = (await res.json()) as StatusSnapshot;
  if (typeof body?.stream !== 'string' || typeof body.received !== 'object')
    throw new Error('the answer is not a live-bridge status document');
  return body;
}

/** `live-bridge top`: a live view of running streams. */
const top: Command = {
  usage: 'top [--url http://127.0.0.1:9464 ...] [--interval-ms N] [--once]',
  help: `Shows running streams live, from the JSON status endpoint (GET /status) of their ops servers:
per stream the sink state, events in and sent per second, queued, lost and policy-dropped
events, report latency p50/p99, the age of the last accepted report and the uptime; then the
counts per type (in/sent) and each source's state. Redraws every second on a terminal.

Options:
  --url URL        an ops server (http.listen of a stream); repeat for several streams
                   (default ${DEFAULTS.url})
  --interval-ms N  redraw interval (default ${DEFAULTS.intervalMs})
  --once           print one screen and exit (the default off a terminal); exit 1 when a
                   stream did not answer`,
  options: { url: { type: 'string', multiple: true }, 'interval-ms': { type: 'string' }, once: { type: 'boolean' } },
  positionals: { min: 0, max: 0 },
  async run(args, io) {
    const urls = (args.values.url as string[] | undefined) ?? [DEFAULTS.url];
    for (const u of urls)
      if (!URL.canParse(u) || !/^https?:$/.test(new URL(u).protocol)) throw new UsageError(`--url ${u} is not an http(s) URL`);
    const intervalRaw = args.values['interval-ms'];
    const intervalMs = typeof intervalRaw === 'string' ? Number(intervalRaw) : DEFAULTS.intervalMs;
    if (!Number.isInteger(intervalMs) || intervalMs < 100) throw new UsageError('--interval-ms must be a whole number of at least 100');
    const live = io.stdout.isTTY === true && args.values.once !== true;

    const streams: TopStream[] = urls.map((url) => ({ url }));
    const refresh = async () => {
      await Promise.all(
        streams.map(async (s) => {
          try {
            const next = await poll(s.url, DEFAULTS.timeoutMs);
            s.before = s.now;
            s.now = next;
            s.error = undefined;
          } catch (err) {
            s.error = (err as Error).message;
          }
        }),
      );
    };
    const draw = () =>
      renderTop(streams, {
        width: live ? fitWidth(io.stdout as { columns?: number }) : Infinity,
        intervalMs,
        clock: new Date().toLocaleTimeString(),
      });

    await refresh();
    if (!live) {
      io.stdout.write(`${draw().join('\n')}\n`);
      return streams.every((s) => s.error === undefined) ? EXIT.ok : EXIT.crash;
    }
    // The alternate screen keeps the operator's scrollback intact; the cursor comes back on exit.
    io.stdout.write('\x1b[?1049h\x1b[?25l');
    try {
      while (!io.signal.aborted) {
        io.stdout.write(`\x1b[H\x1b[2J${draw().join('\n')}`);
        await wait(intervalMs, io.signal);
        if (!io.signal.aborted) await refresh();
      }
    } finally {
      io.stdout.write('\x1b[?25h\x1b[?1049l');
    }
    return EXIT.ok;
  },
};
export default top;
