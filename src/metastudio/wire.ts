/**
 * MetaStudio's wire event, the one pure function that derives it from a BridgeEvent, and the
 * encoder the reporter asks for sizes (as Vector's batcher asks its sink's encoder): the
 * reporter batches without knowing the body's shape. Shapes follow the live-event-report API
 * page exactly: `content` is a JSON *string*.
 */
import { giftTotalValue, type BridgeEvent, type User } from '../core/events.js';
import type { SinkEncoder } from '../core/sink.js';

/**
 * MetaStudio event type numbers: 1 comment, 2 join, 3 like, 4 gift, 5 subscription/following,
 * 6 viewers. Follows and paid subscriptions share type 5, the API's "用户订阅\关注".
 */
export const WIRE_TYPE = { comment: 1, join: 2, like: 3, gift: 4, follow: 5, subscribe: 5, viewers: 6 } as const;
/** One of MetaStudio's event type numbers. */
export type WireType = (typeof WIRE_TYPE)[keyof typeof WIRE_TYPE];

/** One element of the report body's `events` array. */
export interface WireEvent {
  timestamp: number;
  type: WireType;
  content: string;
}

/** The `user` object inside `content`, with the API's key names and order. */
export interface WireUser {
  userId: string;
  name: string;
  level: number;
  badge: string;
  badgeLevel: number;
}

/** Maps our user to the API's `user` object. */
export function toWireUser(user: User): WireUser {
  return { userId: user.id, name: user.name, level: user.level, badge: user.badge, badgeLevel: user.badgeLevel };
}

/** The object that `content` serialises, per event kind. */
export function wireContent(event: BridgeEvent): Record<string, unknown> {
  switch (event.kind) {
    case 'comment':
      return { user: toWireUser(event.user), content: event.text };
    case 'join':
    case 'like':
    case 'follow':
    case 'subscribe':
      // Type 5's content documents only the user; a subscription's tier and months stay ours.
      return { user: toWireUser(event.user) };
    case 'gift':
      return {
        user: toWireUser(event.user),
        gift: {
          giftName: event.gift.name,
          giftNum: event.gift.count,
          totalValue: giftTotalValue(event.gift),
          giftValue: event.gift.unitValue,
        },
      };
    case 'viewers':
      return { numberOfViewers: event.count };
  }
}

/** Derives MetaStudio's wire event from a BridgeEvent. Pure and total. */
export function toWireEvent(event: BridgeEvent): WireEvent {
  return { timestamp: event.ts, type: WIRE_TYPE[event.kind], content: JSON.stringify(wireContent(event)) };
}

/**
 * UTF-8 bytes of `JSON.stringify(wire)`, without building that string: `content` is itself
 * JSON.stringify output (no raw control characters, no lone surrogates), so serialising it again
 * only escapes its quotes and backslashes, one extra byte each.
 */
export function serialisedBytes(wire: WireEvent): number {
  const { content } = wire;
  let escapes = 0;
  for (let i = 0; i < content.length; i++) {
    const c = content.charCodeAt(i);
    if (c === 0x22 || c === 0x5c) escapes += 1;
  }
  // {"timestamp":N,"type":N,"content":"…"}
  return 35 + String(wire.timestamp).length + String(wire.type).length + Buffer.byteLength(content) + escapes;
}

/**
 * A wire event as the encoder makes it: the plain fields (what toWireEvent returns, and what a
 * sink or a test reads), plus its own JSON text, built once when it is encoded. The report body
 * joins these texts and its size is theirs, so an event is serialised once on its way out, never
 * again for the body or for counting its bytes. The text is private: JSON.stringify, spreads and
 * equality checks see a plain WireEvent.
 */
class EncodedWireEvent implements WireEvent {
  readonly timestamp: number;
  readonly type: WireType;
  readonly content: string;
  readonly #json: string;

  constructor(wire: WireEvent) {
    this.timestamp = wire.timestamp;
    this.type = wire.type;
    this.content = wire.content;
    // Exactly JSON.stringify(wire): the same keys in the same order (a timestamp that is not a
    // finite number would be `null` there; the pipeline lets none through, but stay exact).
    const ts = Number.isFinite(wire.timestamp) ? String(wire.timestamp) : 'null';
    this.#json = `{"timestamp":${ts},"type":${wire.type},"content":${JSON.stringify(wire.content)}}`;
  }

  /** The JSON text of `wire`: the one built at encoding, or JSON.stringify for any other WireEvent. */
  static json(wire: WireEvent): string {
    return #json in wire ? (wire as EncodedWireEvent).#json : JSON.stringify(wire);
  }
}

/** `JSON.stringify(wire)`, without serialising again a wire event the encoder made. */
export const wireJson = (wire: WireEvent): string => EncodedWireEvent.json(wire);

/** Bytes of the report body around its events: `{"total":1000,"events":[]}` and a `review_config`. */
export const BODY_OVERHEAD_BYTES = 96;

/** The API's batch limits: `total` is 1..1000. */
export const BATCH = { min: 1, max: 1000 } as const;

/** MetaStudio's encoder: wire events, sized as they appear in the report body. */
export const wireEncoder: SinkEncoder<WireEvent> = {
  encode: (event) => new EncodedWireEvent(toWireEvent(event)),
  // +1 for the comma between events.
  bytes: (wire) => (wire instanceof EncodedWireEvent ? Buffer.byteLength(wireJson(wire)) : serialisedBytes(wire)) + 1,
  overheadBytes: BODY_OVERHEAD_BYTES,
  maxItems: BATCH.max,
};
