/**
 * MetaStudio's wire event and the one pure function that derives it from a BridgeEvent.
 * Shapes follow the live-event-report API page exactly: `content` is a JSON *string*.
 */
import { giftTotalValue, type BridgeEvent, type User } from './events.js';

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
