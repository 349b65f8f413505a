/**
 * `live-bridge record <config> --out capture.jsonl`: follows the config's first Douyin source
 * and writes every raw push frame, as received, to a JSON-lines capture for `platform: replay`.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { captureLine } from '../../../adapters/replay/capture.js';
import { systemClock } from '../../core/clock.js';
import { ConfigError, EXIT, UsageError } from '../../core/errors.js';
import { loadConfig } from '../../config/load.js';
import { createLogger } from '../../ops/logger.js';
import { Redactor } from '../../ops/redact.js';
import type { Command } from '../command.js';

/** `live-bridge record`: captures the first douyin source's raw frames for later replay. */
const record: Command = {
  usage: 'record <config.yaml> --out <capture.jsonl> [--duration-ms <ms>]',
  help: `Connects the config's first \`platform: douyin\` source exactly as \`run\` would (same room
resolution, cookie, signer and URLs) and appends every binary push frame to --out as one JSON
line {"t": ms since the first frame, "b64": frame}. Nothing is reported to MetaStudio.
Play the capture back with a \`platform: replay\` source (file, speed, loop).

Options:
  --out <file>         the capture to write (appended to when it exists)
  --duration-ms <ms>   stop after this long (default: until SIGINT/SIGTERM)`,
  options: { out: { type: 'string', short: 'o' }, 'duration-ms': { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run(args, io) {
    const out = args.values.out;
    if (typeof out !== 'string' || out === '') throw new UsageError('record needs --out <capture.jsonl>');
    const durationRaw = args.values['duration-ms'];
    const durationMs = typeof durationRaw === 'string' ? Number(durationRaw) : undefined;
    if (durationMs !== undefined && !(Number.isInteger(durationMs) && durationMs > 0))
      throw new UsageError('--duration-ms must be a positive integer');

    let loaded;
    try {
      loaded = await loadConfig(args.positionals[0] as string, io.env);
    } catch (err) {
      if (err instanceof ConfigError) {
        io.stderr.write(`${err.message}\n`);
        return EXIT.config;
      }
      throw err;
    }
    const source = loaded.config.sources.find((s) => s.platform === 'douyin');
    if (!source || source.platform !== 'douyin') {
      io.stderr.write(`${loaded.file}: no \`platform: douyin\` source to record\n`);
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
    const { createDouyinSource } = await import('../../../adapters/douyin/index.js');
    const douyin = createDouyinSource(source, {
      logger,
      clock: systemClock,
      stateDir: loaded.config.state_dir,
      onFrame: (bytes) => {
        const now = systemClock.now();
        firstAt ??= now;
        frames += 1;
        file.write(captureLine(now - firstAt, bytes));
      },
    });
    douyin.on('state', (s) => logger.info('source state', { ...s }));

    const stop = new AbortController();
    const onAbort = () => stop.abort(io.signal.reason);
    io.signal.addEventListener('abort', onAbort, { once: true });
    const timer = durationMs === undefined ? undefined : setTimeout(() => stop.abort(new Error('duration reached')), durationMs);
    // systemClock timers are unref'd: while the source only waits (backoff, status poll) nothing
    // else would keep the process alive, and node would exit mid-recording with code 13.
    const keepAlive = setInterval(() => {}, 1 << 30);
    try {
      if (!io.signal.aborted) await douyin.start(stop.signal);
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
