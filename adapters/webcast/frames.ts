/**
 * One binary frame in, events out, for either platform: PushFrame → (gunzip) → Response → the
 * platform's route table, with every failure turned into a counted discard. One instance per
 * connection or replay: it owns the reusable inflater, so nothing it returns outlives the next call
 * except the events (plain strings and numbers).
 */
import type { BridgeEvent } from '../../src/core/events.js';
import type { DiscardReporter } from '../common/discard.js';
import type { InflaterOptions } from './inflate.js';
import { WebcastDecodeError, WebcastDecoder, type PushFrame, type ResponseShape, type WebcastResponse } from './envelope.js';
import { routeResponse, type RouteTable } from './route.js';

/** What one frame amounted to. */
export interface FrameOutcome {
  /** Undefined when the frame itself did not decode. */
  frame?: PushFrame;
  /** The Response of a `msg` frame that decoded. */
  response?: WebcastResponse;
  events: BridgeEvent[];
  /** Why the broadcast ended, when this frame said so; else null. */
  ended: string | null;
  /** Messages deliberately not reported, by reason. */
  skipped: Record<string, number>;
}

/** A platform's wire: its name, Response numbering, routes and frame rules. */
export interface WebcastProtocol<C> {
  platform: string;
  shape: ResponseShape;
  routes: RouteTable<C>;
  /** Messages flagged isHistory are replays: skip and count them (TikTok). */
  skipHistory?: boolean;
  /** A PushFrame of payloadType `close` ends the broadcast (Douyin). */
  closeFrameEnds?: boolean;
}

const NONE: BridgeEvent[] = [];
const NO_SKIPS: Record<string, number> = {};

/** Decodes and maps frames of one connection; never throws for bad input. */
export class WebcastFrames<C> {
  readonly #protocol: WebcastProtocol<C>;
  readonly #decoder: WebcastDecoder;

  constructor(protocol: WebcastProtocol<C>, inflate: InflaterOptions = {}) {
    this.#protocol = protocol;
    this.#decoder = new WebcastDecoder(protocol.platform, protocol.shape, inflate);
  }

  /** The decoder (for HTTP bodies of the same platform: im/fetch, a signer's fetch result). */
  get decoder(): WebcastDecoder {
    return this.#decoder;
  }

  /** Decodes and maps one frame; bad input is reported to `discards` and yields no events. */
  process(bytes: Uint8Array, ctx: C, discards: DiscardReporter): FrameOutcome {
    const p = this.#protocol;
    let frame: PushFrame;
    try {
      frame = this.#decoder.frame(bytes);
    } catch (err) {
      if (!(err instanceof WebcastDecodeError)) throw err;
      discards.report(err.reason, err.sample, err);
      return { events: NONE, ended: null, skipped: NO_SKIPS };
    }
    if (frame.payloadType !== 'msg') {
      const ended = p.closeFrameEnds && frame.payloadType === 'close' ? 'the server sent a close frame' : null;
      return { frame, events: NONE, ended, skipped: NO_SKIPS };
    }
    let response: WebcastResponse;
    try {
      response = this.#decoder.response(frame.payload, frame.headers);
    } catch (err) {
      if (!(err instanceof WebcastDecodeError)) throw err;
      discards.report(err.reason, err.sample, err);
      return { frame, events: NONE, ended: null, skipped: NO_SKIPS };
    }
    const routed = routeResponse(response, p.routes, ctx, p.platform, { skipHistory: p.skipHistory });
    for (const failure of routed.failures) discards.report(failure.reason, failure.sample, failure);
    return { frame, response, events: routed.events, ended: routed.ended, skipped: routed.skipped };
  }
}
