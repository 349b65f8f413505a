/**
 * `live-bridge demo`: the built-in default run. A simulated room goes through the real pipeline
 * and reporter, over real HTTP with AK/SK signing, into the local MetaStudio emulator, whose page
 * shows what the digital human would hear. The ops server stays on, so /status, /metrics and
 * `live-bridge top` can be tried against it.
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EXIT } from '../../core/errors.js';
import { packagePath } from '../../core/paths.js';
import { loadConfig } from '../../config/load.js';
import { demoEmulatorConfig, startEmulator, type Emulator } from '../../metastudio/emulator/index.js';
import type { Command } from '../command.js';
import { runDaemon } from '../daemon.js';
import { fitWidth, LiveLine } from '../live-line.js';
import { statusLine } from '../status-line.js';

/** Demo defaults. */
export const DEFAULTS = {
  emulatorPort: 9470,
  /** Off a terminal, one status line every this many ticks (a tick is a second). */
  pipedEveryTicks: 5,
} as const;

function portArg(value: unknown, name: string): number | string | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  return Number.isInteger(port) && port >= 0 && port <= 65535 ? port : `--${name} must be 0..65535, got "${String(value)}"`;
}

/** Starts the emulator on `port`; a taken port falls back to any free one. */
async function emulatorOn(port: number): Promise<{ emulator: Emulator; busy?: number }> {
  try {
    return { emulator: await startEmulator({ host: '127.0.0.1', port, config: demoEmulatorConfig() }) };
  } catch (err) {
    // The port may be taken (a second demo, another service): for a demo any free port will do.
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    return { emulator: await startEmulator({ host: '127.0.0.1', port: 0, config: demoEmulatorConfig() }), busy: port };
  }
}

/** `live-bridge demo`: a simulated room through the real pipeline into the local MetaStudio emulator. */
const demo: Command = {
  usage: 'demo [--port N] [--ops-port N] [--duration S] [--verbose]',
  help: `Starts the MetaStudio emulator on 127.0.0.1 (port 9470, or a free one), then runs the bridge
on config/demo.yaml: a simulated room (comments in Chinese and English, joins, likes, gift
streaks, follows, viewer counts) → pipeline → reporter → real HTTP with AK/SK signing → emulator.
Prints the emulator page's and the ops server's addresses, then a status line every second,
fitted to the terminal. Ctrl-C stops it cleanly.

Options:
  --port N       emulator port (default 9470; a free one when it is taken, and the demo says so)
  --ops-port N   ops server port for /healthz /readyz /metrics /status (default: demo.yaml's
                 http.listen, 9465; a free one when it is taken)
  --duration S   stop by itself after S seconds
  --verbose      show the bridge's info log lines`,
  options: { port: { type: 'string' }, 'ops-port': { type: 'string' }, duration: { type: 'string' }, verbose: { type: 'boolean' } },
  positionals: { min: 0, max: 0 },
  async run(args, io) {
    const port = portArg(args.values.port, 'port') ?? DEFAULTS.emulatorPort;
    const opsPort = portArg(args.values['ops-port'], 'ops-port');
    const duration = args.values.duration === undefined ? 0 : Number(args.values.duration);
    for (const problem of [port, opsPort]) {
      if (typeof problem === 'string') {
        io.stderr.write(`live-bridge demo: ${problem}\n`);
        return EXIT.usage;
      }
    }
    if (!Number.isFinite(duration) || duration < 0) {
      io.stderr.write(`live-bridge demo: --duration must be a number of seconds, got "${String(args.values.duration)}"\n`);
      return EXIT.usage;
    }
    const { emulator, busy } = await emulatorOn(port as number);
    const stateDir = await mkdtemp(path.join(os.tmpdir(), 'live-bridge-demo-'));
    const env = { ...io.env, DEMO_METASTUDIO_ENDPOINT: emulator.url, DEMO_STATE_DIR: stateDir };
    const loaded = await loadConfig(packagePath('config', 'demo.yaml'), env, io.registry);
    if (typeof opsPort === 'number') loaded.config.http = { ...loaded.config.http, listen: `127.0.0.1:${opsPort}` };
    const busyNote = busy === undefined ? '' : `port ${busy} is busy; `;
    io.stdout.write(`MetaStudio emulator: ${emulator.url}/  (${busyNote}open it to see what the digital human hears)\n`);

    const tty = io.stdout.isTTY === true;
    const line = tty ? new LiveLine(io.stdout) : undefined;
    const controller = new AbortController();
    let ticker: NodeJS.Timeout | undefined;
    let final: (() => string) | undefined;
    // On a terminal the status line is ended first, so the stop notice gets a line of its own;
    // the counts after the final flush are printed once, at the end.
    const onAbort = () => {
      clearInterval(ticker);
      line?.end();
      controller.abort(io.signal.reason);
    };
    if (io.signal.aborted) onAbort();
    else io.signal.addEventListener('abort', onAbort, { once: true });
    if (duration > 0) setTimeout(() => controller.abort(new Error('demo duration reached')), duration * 1000).unref();
    try {
      return await runDaemon(
        loaded,
        // The demo owns the console: its stderr notices stay plain whatever the log format.
        { ...io, env, signal: controller.signal, notices: undefined },
        {
          logLevel: args.values.verbose ? 'info' : 'warn',
          listenFallback: true,
          onListening: (url, taken) =>
            io.stdout.write(
              `ops server: ${url}/status  (${taken ? `${taken} is busy; ` : ''}/metrics, /readyz; live view: live-bridge top --url ${url})\n`,
            ),
          onStarted: (_bridge, snapshot) => {
            let n = 0;
            // What the emulator holds echoes `sent`: the first total to go on a narrow terminal.
            const emulatorField = () => ({ text: `emulator ${emulator.accepted().length}`, priority: 30 });
            const width = () => (line ? fitWidth(io.stdout as { columns?: number }) : Infinity);
            final = () => statusLine(snapshot(), width(), [emulatorField()]);
            ticker = setInterval(() => {
              n += 1;
              if (line) line.update(final?.() ?? '');
              else if (n % DEFAULTS.pipedEveryTicks === 1) io.stdout.write(`${final?.() ?? ''}\n`);
            }, 1000);
          },
        },
      );
    } finally {
      clearInterval(ticker);
      line?.end();
      if (final) io.stdout.write(`${final()}\n`);
      io.signal.removeEventListener('abort', onAbort);
      io.stdout.write(`demo stopped; the emulator accepted ${emulator.accepted().length} events\n`);
      await emulator.close();
    }
  },
};
export default demo;
