/**
 * `platform: replay` — feeds a capture from `live-bridge record` through the decoder of the
 * platform each line names (the same codec and mapping as the live source), in real time,
 * scaled, or as fast as possible.
 */
import { constants, createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { pause } from '../../src/core/clock.js';
import type { Source } from '../../src/core/source.js';
import { parseCaptureLine, type RawFrame } from '../kit/capture.js';
import { sourceIdentity, type DecodedFrame, type KitDeps, type PluginLookup, type ProbeResult } from '../kit/plugin.js';
import { SourceShell } from '../kit/shell.js';
import { REPLAY_NAMING, type ReplaySourceConfig } from './config.js';

const DEFAULTS = {
  /** At speed 0, yield to the event loop this often so aborts and I/O get a turn. */
  yieldEveryFrames: 256,
} as const;

/** Discard reasons of the replay itself (the decoders report their own). */
export const REPLAY_DISCARD_REASONS = ['malformed_capture_line', 'unknown_capture_platform', 'unreplayable_platform'] as const;

type Decode = (frame: RawFrame) => DecodedFrame;

/** The replay's options are wrong for the recorded platform: a config problem, reported as an error state. */
class ReplayOptionsError extends Error {}

/** Finds, loads and caches one decoder per recorded platform; undefined when the platform cannot be replayed. */
function decoders(shell: SourceShell, config: ReplaySourceConfig, lookup: PluginLookup) {
  const cache = new Map<string, Decode | undefined>();
  return async (platform: string): Promise<Decode | undefined> => {
    if (cache.has(platform)) return cache.get(platform);
    const plugin = lookup(platform);
    let decode: Decode | undefined;
    if (!plugin) shell.discard('unknown_capture_platform', platform);
    else {
      const support = (await plugin.load()).replay;
      if (!support) shell.discard('unreplayable_platform', platform);
      else {
        const options = support.options.safeParse({ gift_names: config.gift_names, ...config.options });
        if (!options.success)
          throw new ReplayOptionsError(`options for ${platform}: ${options.error.issues.map((i) => i.message).join('; ')}`);
        decode = support.decoder(options.data, { source: shell.name, now: () => shell.clock.now(), discards: shell.discards });
      }
    }
    cache.set(platform, decode);
    return decode;
  };
}

/** `check --online`: a capture that can be read plays; one that cannot is not found. */
export async function probe(config: ReplaySourceConfig): Promise<ProbeResult> {
  try {
    await access(config.file, constants.R_OK);
    return { state: 'live', detail: `capture ${config.file}` };
  } catch (err) {
    return { state: 'not_found', reason: `capture ${config.file} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})` };
  }
}

/** The bridge's plugins; the built-in registry (imported only then) for a source created directly. */
async function pluginLookup(deps: KitDeps): Promise<PluginLookup> {
  if (deps.plugins) return deps.plugins;
  const { registry } = await import('../registry.js');
  return (platform) => registry.get(platform);
}

/** Source factory for `platform: replay`. */
export function create(config: ReplaySourceConfig, deps: KitDeps): Source {
  const shell = new SourceShell({ identity: sourceIdentity(REPLAY_NAMING, config), deps });

  /** Plays the file once; resolves with the number of frames played. */
  const playOnce = async (signal: AbortSignal, decoderFor: (platform: string) => Promise<Decode | undefined>): Promise<number> => {
    const stream = createReadStream(config.file);
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    const startedAt = shell.clock.now();
    let played = 0;
    try {
      for await (const line of lines) {
        if (signal.aborted) break;
        if (line.trim() === '') continue;
        const entry = parseCaptureLine(line);
        if (!entry) {
          shell.discard('malformed_capture_line', line);
          continue;
        }
        if (config.speed > 0) {
          const wait = startedAt + entry.t / config.speed - shell.clock.now();
          if (wait > 0 && !(await pause(shell.clock, wait, signal))) break;
        } else if (played % DEFAULTS.yieldEveryFrames === DEFAULTS.yieldEveryFrames - 1) {
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
        if (played === 0) shell.setState({ state: 'live', roomId: shell.room });
        played += 1;
        const decode = await decoderFor(entry.platform);
        if (!decode) continue;
        const result = decode(entry.frame);
        for (const event of result.events) shell.event(event);
        if (result.ended) shell.setState({ state: 'ended', reason: result.ended });
      }
    } finally {
      lines.close();
      stream.destroy();
    }
    return played;
  };

  return shell.runs(async (signal) => {
    shell.reconnect('initial');
    shell.setState({ state: 'connecting', reason: 'initial' });
    const decoderFor = decoders(shell, config, await pluginLookup(deps));
    let pass = 0;
    do {
      if (pass > 0) shell.reconnect('loop');
      let frames: number;
      try {
        frames = await playOnce(signal, decoderFor);
      } catch (err) {
        if (signal.aborted) return;
        const options = err instanceof ReplayOptionsError;
        const reason = options
          ? `replay ${err.message}`
          : `cannot read capture ${config.file}: ${err instanceof Error ? err.message : String(err)}`;
        shell.logger.error(reason);
        shell.setState({ state: 'error', reason, code: options ? 'replay_options' : 'replay_file' });
        return;
      }
      if (signal.aborted) return;
      if (frames === 0) {
        shell.setState({ state: 'ended', reason: 'the capture holds no frames' });
        return;
      }
      pass += 1;
    } while (config.loop);
    shell.setState({ state: 'ended', reason: 'end of capture' });
  });
}
