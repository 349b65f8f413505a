/**
 * `live-bridge record <config> --out capture.jsonl`: follows one source of the config exactly as
 * `run` would and writes every raw frame its sessions receive, as received, to a JSON-lines
 * capture for `platform: replay`. Any platform whose plugin can replay its frames can be recorded.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { captureLine } from '../../../adapters/kit/capture.js';
import type { SourceConfigBase } from '../../../adapters/kit/plugin.js';
import { registry as builtins } from '../../../adapters/registry.js';
import { systemClock } from '../../core/clock.js';
import { ConfigError, EXIT, UsageError } from '../../core/errors.js';
import { loadConfig } from '../../config/load.js';
import { createLogger } from '../../ops/logger.js';
import { Redactor } from '../../ops/redact.js';
import { createSource } from '../../bridge/sources.js';
import type { Command } from '../command.js';

/** `live-bridge record`: captures one source's raw frames for later replay. */
const record: Command = {
  usage: 'record <config.yaml> --out <capture.jsonl> [--source <name>] [--duration-ms <ms>]',
  help: `Connects one source of the config exactly as \`run\` would (same room resolution, cookies,
signing and URLs) and appends every frame its socket receives to --out as one JSON line
{"t": ms since the first frame, "platform": "...", "b64": frame} (or "text" for a text frame).
Nothing is reported to MetaStudio. Play the capture back with a \`platform: replay\` source.

Options:
  --out <file>         the capture to write (appended to when it exists)
  --source <name>      the source to record (default: the first one whose platform can be replayed)
  --duration-ms <ms>   stop after this long (default: until SIGINT/SIGTERM)`,
  options: { out: { type: 'string', short: 'o' }, source: { type: 'string' }, 'duration-ms': { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run(args, io) {
    const out = args.values.out;
    if (typeof out !== 'string' || out === '') throw new UsageError('record needs --out <capture.jsonl>');
    const durationRaw = args.values['duration-ms'];
    const durationMs = typeof durationRaw === 'string' ? Number(durationRaw) : undefined;
    if (durationMs !== undefined && !(Number.isInteger(durationMs) && durationMs > 0))
      throw new UsageError('--duration-ms must be a positive integer');
    const registry = io.registry ?? builtins;

    let loaded;
    try {
      loaded = await loadConfig(args.positionals[0] as string, io.env, registry);
    } catch (err) {
      if (err instanceof ConfigError) {
        io.stderr.write(`${err.message}\n`);
        return EXIT.config;
      }
      throw err;
    }
    const wanted = args.values.source;
    let source: SourceConfigBase | undefined;
    for (const s of loaded.config.sources as readonly SourceConfigBase[]) {
      const replayable = (await registry.of(s).load()).replay !== undefined;
      if (typeof wanted === 'string' ? registry.identity(s).name === wanted : replayable) {
        if (!replayable) {
          io.stderr.write(
            `${loaded.file}: source "${wanted}" (platform ${s.platform}) cannot be recorded: its frames cannot be replayed\n`,
          );
          return EXIT.config;
        }
        source = s;
        break;
      }
    }
    if (!source) {
      io.stderr.write(
        typeof wanted === 'string'
          ? `${loaded.file}: no source named "${wanted}"\n`
          : `${loaded.file}: no source whose platform can be recorded\n`,
      );
      return EXIT.config;
    }

    const redactor = new Redactor();
    redactor.addSecrets(loaded.secrets);
    const logger = createLogger({
      stream: loaded.config.stream,
      level: loaded.config.log.level,
      format: loaded.config.log.format,
      redactor,
      out: io.stderr,
    });
    const file = createWriteStream(out, { flags: 'a' });
    await once(file, 'open');
    let firstAt: number | undefined;
    let frames = 0;
    const live = await createSource(
      source,
      {
        logger,
        clock: systemClock,
        stateDir: loaded.config.state_dir,
        recorder: (platform, frame) => {
          const now = systemClock.now();
          firstAt ??= now;
          frames += 1;
          file.write(captureLine(now - firstAt, platform, frame));
        },
      },
      registry,
    );
    live.on('state', (s) => logger.info('source state', { ...s }));

    const stop = new AbortController();
    const onAbort = () => stop.abort(io.signal.reason);
    io.signal.addEventListener('abort', onAbort, { once: true });
    const timer = durationMs === undefined ? undefined : setTimeout(() => stop.abort(new Error('duration reached')), durationMs);
    // systemClock timers are unref'd: while the source only waits (backoff, status poll) nothing
    // else would keep the process alive, and node would exit mid-recording with code 13.
    const keepAlive = setInterval(() => {}, 1 << 30);
    try {
      if (!io.signal.aborted) await live.start(stop.signal);
    } finally {
      if (timer) clearTimeout(timer);
      clearInterval(keepAlive);
      io.signal.removeEventListener('abort', onAbort);
      file.end();
      await once(file, 'close');
    }
    io.stderr.write(`recorded ${frames} frame(s) to ${out}\n`);
    return EXIT.ok;
  },
};
export default record;
