/**
 * One binary frame in, events out: PushFrame → (gunzip) → Response → BridgeEvents, with every
 * failure turned into a discard. Shared by the live WebSocket and the replay source.
 */
import type { BridgeEvent } from '../../src/core/events.js';
import { decodePushFrame, decodeResponse, DouyinDecodeError, type DouyinResponse, type PushFrame } from './codec.js';
import type { DiscardReporter } from '../common/discard.js';
import { mapResponse, type MappingContext } from './mapping.js';

/** What one frame amounted to. */
export interface FrameResult {
  /** Undefined when the frame itself did not decode. */
  frame?: PushFrame;
  /** The Response of a `msg` frame that decoded. */
  response?: DouyinResponse;
  events: BridgeEvent[];
  /** The broadcast ended (ControlMessage action 3, or a `close` frame). */
  liveEnded: boolean;
}

const EMPTY: BridgeEvent[] = [];

/** Decodes and maps one frame; never throws for bad input. */
export function processFrame(bytes: Uint8Array, ctx: MappingContext, discards: DiscardReporter): FrameResult {
  let frame: PushFrame;
  try {
    frame = decodePushFrame(bytes);
  } catch (err) {
    if (!(err instanceof DouyinDecodeError)) throw err;
    discards.report(err.reason, err.sample, err);
    return { events: EMPTY, liveEnded: false };
  }
  if (frame.payloadType === 'close') return { frame, events: EMPTY, liveEnded: true };
  if (frame.payloadType !== 'msg') return { frame, events: EMPTY, liveEnded: false };
  let response: DouyinResponse;
  try {
    response = decodeResponse(frame.payload, frame.headers);
  } catch (err) {
    if (!(err instanceof DouyinDecodeError)) throw err;
    discards.report(err.reason, err.sample, err);
    return { frame, events: EMPTY, liveEnded: false };
  }
  const mapped = mapResponse(response, ctx);
  for (const failure of mapped.failures) discards.report(failure.reason, failure.sample, failure);
  return { frame, response, events: mapped.events, liveEnded: mapped.liveEnded };
}
