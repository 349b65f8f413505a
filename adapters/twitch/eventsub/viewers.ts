/**
 * The viewer count from Helix `streams`, polled while the stream is live (every 60 s by
 * default; 0 turns it off). A failed poll is logged and the next one tries again.
 */
import type { SourceShell } from '../../kit/index.js';
import type { TimerHandle } from '../../../src/core/clock.js';
import { PLATFORM } from '../ids.js';
import type { Helix } from './helix.js';

/** One connect()'s viewer poll. */
export class ViewerPoll {
  readonly #shell: SourceShell;
  readonly #helix: Helix;
  readonly #broadcasterId: string;
  readonly #intervalMs: number;
  readonly #abort = new AbortController();
  #timer: TimerHandle | undefined;
  /** Bumped by every start and stop, so a poll from before a stop never reschedules itself. */
  #generation = 0;
  #running = false;

  constructor(o: { shell: SourceShell; helix: Helix; broadcasterId: string; intervalMs: number; signal: AbortSignal }) {
    this.#shell = o.shell;
    this.#helix = o.helix;
    this.#broadcasterId = o.broadcasterId;
    this.#intervalMs = o.intervalMs;
    o.signal.addEventListener('abort', () => this.close(), { once: true });
  }

  /** Polls now and then every interval, unless already polling or turned off. */
  start(): void {
    if (this.#running || this.#intervalMs === 0 || this.#abort.signal.aborted) return;
    this.#running = true;
    void this.#tick(++this.#generation);
  }

  /** Stops polling (a poll under way is aborted). */
  stop(): void {
    this.#running = false;
    this.#generation += 1;
    if (this.#timer) this.#shell.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Ends this poll for good (the connect is over). */
  close(): void {
    this.stop();
    this.#abort.abort(new Error('viewer poll closed'));
  }

  async #tick(generation: number): Promise<void> {
    const current = () => this.#running && generation === this.#generation;
    try {
      const stream = await this.#helix.stream(this.#broadcasterId, this.#abort.signal);
      if (!current()) return;
      if (stream) {
        const now = this.#shell.clock.now();
        this.#shell.event({
          kind: 'viewers',
          id: `viewers:${stream.id}:${now}`,
          platform: PLATFORM,
          source: this.#shell.name,
          ts: now,
          count: stream.viewerCount,
        });
      }
    } catch (err) {
      if (!current()) return;
      this.#shell.logger.warn('viewer count unavailable', { error: err instanceof Error ? err.message : String(err) });
    }
    if (current()) this.#timer = this.#shell.clock.setTimeout(() => void this.#tick(generation), this.#intervalMs);
  }
}
