/**
 * `platform: replay` — feeds a capture from `live-bridge record` through the same Douyin
 * decoder and mapping as the live source, in real time, scaled, or as fast as possible.
 */
import { EventEmitter } from 'node:events';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { pause, type Clock } from '../../src/core/clock.js';
import type { Logger } from '../../src/core/logger.js';
import type { Source, SourceDeps, SourceEvents } from '../../src/core/source.js';
import { DiscardReporter } from '../common/discard.js';
import { processFrame } from '../douyin/frame-processor.js';
import { GiftTable } from '../douyin/gift-table.js';
import type { MappingContext } from '../douyin/mapping.js';
import { parseCaptureLine } from './capture.js';
import type { ReplaySourceConfig } from './config.js';

const DEFAULTS = {
  /** At speed 0, yield to the event loop this often so aborts and I/O get a turn. */
  yieldEveryFrames: 256,
} as const;

/** Plays one capture file. */
export class ReplaySource extends EventEmitter<SourceEvents> implements Source {
  readonly name: string;
  readonly platform = 'replay';
  readonly #config: ReplaySourceConfig;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #discards: DiscardReporter;
  readonly #ctx: MappingContext;

  constructor(config: ReplaySourceConfig, deps: SourceDeps) {
    super();
    this.#config = config;
    this.#clock = deps.clock;
    this.name = config.name ?? `replay:${basename(config.file)}`;
    this.#logger = deps.logger.child({ component: 'source', platform: 'replay', room: basename(config.file) });
    this.#discards = new DiscardReporter({
      platform: 'douyin',
      emit: (d) => this.emit('discard', d),
      logger: this.#logger,
      clock: this.#clock,
    });
    this.#ctx = { source: this.name, giftTable: new GiftTable(config.gift_names), now: () => this.#clock.now() };
  }

  async start(signal: AbortSignal): Promise<void> {
    this.emit('reconnect', { reason: 'initial' });
    this.emit('state', { state: 'connecting' });
    let pass = 0;
    do {
      if (pass > 0) this.emit('reconnect', { reason: 'loop' });
      let frames: number;
      try {
        frames = await this.#playOnce(signal);
      } catch (err) {
        if (signal.aborted) return;
        const reason = `cannot read capture ${this.#config.file}: ${err instanceof Error ? err.message : String(err)}`;
        this.#logger.error(reason);
        this.emit('state', { state: 'error', reason, code: 'replay_file' });
        return;
      }
      if (signal.aborted) return;
      if (frames === 0) {
        this.emit('state', { state: 'ended', reason: 'the capture holds no frames' });
        return;
      }
      pass += 1;
    } while (this.#config.loop);
    this.emit('state', { state: 'ended', reason: 'end of capture' });
  }

  /** Plays the file once; resolves with the number of frames played. */
  async #playOnce(signal: AbortSignal): Promise<number> {
    const stream = createReadStream(this.#config.file);
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    const startedAt = this.#clock.now();
    const speed = this.#config.speed;
    let played = 0;
    try {
      for await (const line of lines) {
        if (signal.aborted) break;
        if (line.trim() === '') continue;
        const entry = parseCaptureLine(line);
        if (!entry) {
          this.#discards.report('malformed_capture_line', Buffer.from(line.slice(0, 200), 'utf8'));
          continue;
        }
        if (speed > 0) {
          const wait = startedAt + entry.t / speed - this.#clock.now();
          if (wait > 0 && !(await pause(this.#clock, wait, signal))) break;
        } else if (played % DEFAULTS.yieldEveryFrames === DEFAULTS.yieldEveryFrames - 1) {
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
        if (played === 0) this.emit('state', { state: 'live', roomId: basename(this.#config.file) });
        played += 1;
        const result = processFrame(entry.bytes, this.#ctx, this.#discards);
        for (const event of result.events) this.emit('event', event);
        if (result.liveEnded) this.emit('state', { state: 'ended', reason: 'the capture recorded the end of the broadcast' });
      }
    } finally {
      lines.close();
      stream.destroy();
    }
    return played;
  }
}

/** Source factory for `platform: replay`. */
export function createReplaySource(config: ReplaySourceConfig, deps: SourceDeps): Source {
  return new ReplaySource(config, deps);
}
