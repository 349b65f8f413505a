/**
 * One binary frame in, events out, through the shared webcast codec: PushFrame → (one reusable
 * inflater) → Response → Douyin's route table, with every failure turned into a discard. Shared by
 * the live WebSocket and the replay source; one instance per connection or replay (it owns the
 * inflater, so what it returns other than events is valid until its next frame).
 */
import type { BridgeEvent } from '../../src/core/events.js';
import type { DiscardReporter } from '../common/discard.js';
import { WebcastFrames } from '../webcast/frames.js';
import type { PushFrame, WebcastResponse } from '../webcast/envelope.js';
import { DOUYIN_PROTOCOL, type MappingContext } from './mapping.js';

/** What one frame amounted to. */
export interface FrameResult {
  /** Undefined when the frame itself did not decode. */
  frame?: PushFrame;
  /** The Response of a `msg` frame that decoded. */
  response?: WebcastResponse;
  events: BridgeEvent[];
  /** The broadcast ended (ControlMessage action 3, or a `close` frame). */
  liveEnded: boolean;
  /** Why, when it ended. */
  endReason?: string;
}

/** Decodes and maps the frames of one connection (or one replay). */
export class DouyinFrames {
  readonly #frames = new WebcastFrames(DOUYIN_PROTOCOL);

  /** Decodes and maps one frame; never throws for bad input. */
  process(bytes: Uint8Array, ctx: MappingContext, discards: DiscardReporter): FrameResult {
    const out = this.#frames.process(bytes, ctx, discards);
    const result: FrameResult = { frame: out.frame, response: out.response, events: out.events, liveEnded: out.ended !== null };
    if (out.ended !== null) result.endReason = out.ended;
    return result;
  }
}
