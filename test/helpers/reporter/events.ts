/**
 * Event factories for pipeline and reporter tests. Each user event carries its own id as the
 * user's name, so that a wire event can be traced back to the event it came from.
 */
import type {
  BridgeEvent,
  CommentEvent,
  EventKind,
  FollowEvent,
  GiftEvent,
  JoinEvent,
  LikeEvent,
  SubscribeEvent,
  User,
  ViewersEvent,
} from '../../../src/core/events.js';
import type { WireEvent } from '../../../src/metastudio/wire.js';

export const T0 = 1_764_000_000_000;

export function user(id: string, level = 10, name = id): User {
  return { id, name, level, badge: '', badgeLevel: 0 };
}

type Base = { id: string; ts?: number; platform?: string; source?: string };
const base = (b: Base) => ({ id: b.id, platform: b.platform ?? 'douyin', source: b.source ?? 'main', ts: b.ts ?? T0 });

export const comment = (b: Base & { text?: string; user?: User }): CommentEvent => ({
  ...base(b),
  kind: 'comment',
  user: b.user ?? user(`u${b.id}`, 10, b.id),
  text: b.text ?? `hello ${b.id}`,
});
export const join = (b: Base & { user?: User }): JoinEvent => ({ ...base(b), kind: 'join', user: b.user ?? user(`u${b.id}`, 10, b.id) });
export const follow = (b: Base & { user?: User }): FollowEvent => ({
  ...base(b),
  kind: 'follow',
  user: b.user ?? user(`u${b.id}`, 10, b.id),
});
export const subscribe = (b: Base & { user?: User; tier?: string; months?: number }): SubscribeEvent => ({
  ...base(b),
  kind: 'subscribe',
  user: b.user ?? user(`u${b.id}`, 10, b.id),
  subscription: { tier: b.tier ?? '1000', months: b.months ?? 1 },
});
export const like = (b: Base & { count?: number; user?: User }): LikeEvent => ({
  ...base(b),
  kind: 'like',
  user: b.user ?? user(`u${b.id}`, 10, b.id),
  count: b.count ?? 1,
});
export const viewers = (b: Base & { count?: number }): ViewersEvent => ({
  ...base(b),
  kind: 'viewers',
  count: b.count ?? Number(b.id.replace(/\D/g, '') || 0),
});
export const gift = (b: Base & { count?: number; user?: User; giftId?: string; streak?: { key: string; final: boolean } }): GiftEvent => ({
  ...base(b),
  kind: 'gift',
  user: b.user ?? user(`u${b.id}`, 10, b.id),
  gift: { giftId: b.giftId ?? '463', name: '玫瑰', count: b.count ?? 1, unitValue: 1, ...(b.streak ? { streak: b.streak } : {}) },
});

/** An event of `kind` whose id is `id` (user name = id; viewers count = the id's digits). */
export function eventOf(kind: EventKind, id: string, ts = T0): BridgeEvent {
  switch (kind) {
    case 'comment':
      return comment({ id, ts });
    case 'join':
      return join({ id, ts });
    case 'follow':
      return follow({ id, ts });
    case 'subscribe':
      return subscribe({ id, ts });
    case 'like':
      return like({ id, ts });
    case 'viewers':
      return viewers({ id, ts, count: Number(id.replace(/\D/g, '')) });
    case 'gift':
      return gift({ id, ts });
  }
}

/** The factories' kind for a wire type; follows and subscriptions share type 5, which reads back as follow. */
const KIND_OF_TYPE = { 1: 'comment', 2: 'join', 3: 'like', 4: 'gift', 5: 'follow', 6: 'viewers' } as const;

/** The id an event built by these factories had, read back from its wire form. */
export function wireId(wire: WireEvent): string {
  const content = JSON.parse(wire.content) as { user?: { name: string }; numberOfViewers?: number };
  return content.user ? content.user.name : `v${content.numberOfViewers}`;
}

export function wireKind(wire: WireEvent): EventKind {
  return KIND_OF_TYPE[wire.type];
}
