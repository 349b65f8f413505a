/**
 * An in-process Sink for reporter tests: answers are scripted per call and may take time on the
 * manual clock; every call is recorded with its start time and events.
 */
import type { Clock } from '../../../src/core/clock.js';
import type { SendOptions, SendResult, Sink, SinkStatus } from '../../../src/core/sink.js';
import { wireEncoder, type WireEvent } from '../../../src/metastudio/wire.js';

export interface SinkCall {
  at: number;
  events: readonly WireEvent[];
  result?: SendResult;
  answeredAt?: number;
}

/** Decides the answer to one call (index from 0) and how long it takes on the clock. */
export type Behaviour = (events: readonly WireEvent[], index: number) => SendResult | { result: SendResult; delayMs: number };

export class FakeSink implements Sink<WireEvent> {
  readonly name = 'fake';
  readonly encoder = wireEncoder;
  readonly calls: SinkCall[] = [];
  reauths = 0;
  behaviour: Behaviour;
  readonly #clock: Clock;

  constructor(clock: Clock, behaviour: Behaviour = () => ({ kind: 'sent' })) {
    this.#clock = clock;
    this.behaviour = behaviour;
  }

  send(events: readonly WireEvent[], options: SendOptions = {}): Promise<SendResult> {
    const { signal } = options;
    options.onDeparture?.();
    const call: SinkCall = { at: this.#clock.now(), events: [...events] };
    this.calls.push(call);
    const planned = this.behaviour(events, this.calls.length - 1);
    const { result, delayMs } = 'delayMs' in planned ? planned : { result: planned, delayMs: 0 };
    const answer = (r: SendResult) => {
      call.result = r;
      call.answeredAt = this.#clock.now();
      return r;
    };
    if (delayMs <= 0) return Promise.resolve(answer(result));
    return new Promise((resolve) => {
      const handle = this.#clock.setTimeout(() => resolve(answer(result)), delayMs);
      signal?.addEventListener(
        'abort',
        () => {
          this.#clock.clearTimeout(handle);
          resolve(answer({ kind: 'retry', reason: 'aborted', code: 'aborted' }));
        },
        { once: true },
      );
    });
  }

  async reauthenticate(): Promise<void> {
    this.reauths += 1;
  }

  async start(): Promise<void> {}

  status(): SinkStatus {
    return { state: 'ready' };
  }

  async close(): Promise<void> {}

  /** Every event of every call answered `sent`, in order. */
  delivered(): WireEvent[] {
    return this.calls.filter((c) => c.result?.kind === 'sent').flatMap((c) => c.events);
  }
}
