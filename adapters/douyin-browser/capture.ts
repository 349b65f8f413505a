/**
 * What the tab captured → BridgeEvents, through the Douyin adapter's own codec and mapping (one
 * implementation): push frames are PushFrames, im/fetch bodies are bare Responses (gzip'd or
 * not). Messages already seen on the other path are dropped before mapping.
 */
import type { BridgeEvent } from '../../src/core/events.js';
import { decodePushFrame, decodeResponse, DouyinDecodeError, type DouyinResponse, type PushFrame } from '../douyin/codec.js';
import type { DiscardReporter } from '../common/discard.js';
import { mapResponse, type MappingContext } from '../douyin/mapping.js';
import { RecentKeys } from './dedupe.js';

/** What one captured payload amounted to. */
export interface CaptureResult {
  events: BridgeEvent[];
  /** The broadcast ended (ControlMessage action 3, or a `close` push frame). */
  liveEnded: boolean;
  /** Messages dropped because the other path (or an earlier frame) already delivered them. */
  duplicates: number;
}

const NOTHING: CaptureResult = { events: [], liveEnded: false, duplicates: 0 };

/** Decodes and maps captured payloads; never throws for bad input (it becomes a discard). */
export class CaptureDecoder {
  readonly #ctx: MappingContext;
  readonly #discards: DiscardReporter;
  readonly #seen: RecentKeys;

  constructor(options: { ctx: MappingContext; discards: DiscardReporter; dedupeSize: number }) {
    this.#ctx = options.ctx;
    this.#discards = options.discards;
    this.#seen = new RecentKeys(options.dedupeSize);
  }

  /** One binary frame the page's push WebSocket received. */
  pushFrame(bytes: Uint8Array): CaptureResult {
    let frame: PushFrame;
    try {
      frame = decodePushFrame(bytes);
    } catch (err) {
      return this.#discard(err);
    }
    if (frame.payloadType === 'close') return { ...NOTHING, liveEnded: true };
    if (frame.payloadType !== 'msg') return NOTHING;
    let response: DouyinResponse;
    try {
      response = decodeResponse(frame.payload, frame.headers);
    } catch (err) {
      return this.#discard(err);
    }
    return this.#map(response);
  }

  /** One im/fetch answer body (a protobuf Response, gzip'd or not). */
  fetchBody(bytes: Uint8Array): CaptureResult {
    let response: DouyinResponse;
    try {
      response = decodeResponse(bytes);
    } catch (err) {
      return this.#discard(err);
    }
    return this.#map(response);
  }

  #map(response: DouyinResponse): CaptureResult {
    const fresh = response.messages.filter((m) => m.msgId === '0' || this.#seen.add(`${m.method}:${m.msgId}`));
    const duplicates = response.messages.length - fresh.length;
    const mapped = mapResponse(fresh.length === response.messages.length ? response : { ...response, messages: fresh }, this.#ctx);
    for (const failure of mapped.failures) this.#discards.report(failure.reason, failure.sample, failure);
    return { events: mapped.events, liveEnded: mapped.liveEnded, duplicates };
  }

  #discard(err: unknown): CaptureResult {
    if (!(err instanceof DouyinDecodeError)) throw err;
    this.#discards.report(err.reason, err.sample, err);
    return NOTHING;
  }
}
