/**
 * `live-bridge demo`: the built-in default run. A simulated room goes through the real pipeline
 * and reporter, over real HTTP with AK/SK signing, into the local MetaStudio emulator, whose page
 * shows what the digital human would hear.
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { packagePath } from '../../core/paths.js';
import { loadConfig } from '../../config/load.js';
import { demoEmulatorConfig, startEmulator } from '../../metastudio/emulator/index.js';
import type { Command } from '../command.js';
import { runDaemon } from '../daemon.js';
import { statusLine } from '../status-line.js';

/** `live-bridge demo`: a simulated room through the real pipeline into the local MetaStudio emulator. */
const demo: Command = {
  usage: 'demo [--port N] [--duration S] [--verbose]',
  help: `Starts the MetaStudio emulator on 127.0.0.1 (port 9470, or a free one), then runs the bridge
on config/demo.yaml: a simulated room (comments in Chinese and English, joins, likes, gift
streaks, follows, viewer counts) → pipeline → reporter → real HTTP with AK/SK signing → emulator.
Prints a status line every second and the emulator page address. Ctrl-C stops it cleanly.

Options:
  --port N       emulator port (default 9470; 0 = any free port)
  --duration S   stop by itself after S seconds
  --verbose      show the bridge's info log lines`,
  options: { port: { type: 'string' }, duration: { type: 'string' }, verbose: { type: 'boolean' } },
  positionals: { min: 0, max: 0 },
  async run(args, io) {
    const port = args.values.port === undefined ? 9470 : Number(args.values.port);
    const duration = args.values.duration === undefined ? 0 : Number(args.values.duration);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      io.stderr.write(`live-bridge demo: --port must be 0..65535, got "${String(args.values.port)}"\n`);
      return 64;
    }
    if (!Number.isFinite(duration) || duration < 0) {
      io.stderr.write(`live-bridge demo: --duration must be a number of seconds, got "${String(args.values.duration)}"\n`);
      return 64;
    }
    const emulator = await startEmulator({ host: '127.0.0.1', port, config: demoEmulatorConfig() }).catch((err: NodeJS.ErrnoException) => {
      // The default port may be taken (a second demo, another service): any free port will do.
      if (err.code === 'EADDRINUSE' && args.values.port === undefined)
        return startEmulator({ host: '127.0.0.1', port: 0, config: demoEmulatorConfig() });
      throw err;
    });
    const stateDir = await mkdtemp(path.join(os.tmpdir(), 'live-bridge-demo-'));
    const env = { ...io.env, DEMO_METASTUDIO_ENDPOINT: emulator.url, DEMO_STATE_DIR: stateDir };
    const loaded = await loadConfig(packagePath('config', 'demo.yaml'), env);
    // The demo owns the console: no ops port clash with a running daemon, and a quiet log.
    loaded.config.http = { ...loaded.config.http, listen: false };
    io.stdout.write(`MetaStudio emulator: ${emulator.url}/  (open it to see what the digital human hears)\n`);

    const controller = new AbortController();
    io.signal.addEventListener('abort', () => controller.abort(io.signal.reason), { once: true });
    if (duration > 0) setTimeout(() => controller.abort(new Error('demo duration reached')), duration * 1000).unref();
    let ticker: NodeJS.Timeout | undefined;
    const tty = io.stdout.isTTY === true;
    try {
      return await runDaemon(
        loaded,
        { ...io, env, signal: controller.signal },
        {
          logLevel: args.values.verbose ? 'info' : 'warn',
          onStarted: (bridge) => {
            let n = 0;
            ticker = setInterval(() => {
              n += 1;
              const line = `${statusLine(bridge)} | emulator holds ${emulator.accepted().length}`;
              if (tty) io.stdout.write(`\r\x1b[2K${line}`);
              else if (n % 5 === 1) io.stdout.write(`${line}\n`);
            }, 1000);
          },
        },
      );
    } finally {
      if (ticker) clearInterval(ticker);
      if (tty) io.stdout.write('\n');
      io.stdout.write(`demo stopped; the emulator accepted ${emulator.accepted().length} events\n`);
      await emulator.close();
    }
  },
};
export default demo;
