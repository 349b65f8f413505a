/**
 * Hostile input never throws out of the mappings: arbitrary JSON under every mapped cmd name.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BridgeEventSchema } from '../../../src/core/events.js';
import type { Obj } from '../../../adapters/bilibili/json.js';
import { mapWebCommand } from '../../../adapters/bilibili/mapping-web.js';
import { mapOpenCommand } from '../../../adapters/bilibili/open/mapping.js';

const ctx = { source: 's', valueMultiplier: 0.001, now: () => 1_764_000_000_000 };
const WEB = [
  'DANMU_MSG',
  'SEND_GIFT',
  'SEND_GIFT_V2',
  'SUPER_CHAT_MESSAGE',
  'GUARD_BUY',
  'INTERACT_WORD_V2',
  'LIKE_INFO_V3_CLICK',
  'ONLINE_RANK_COUNT',
  'LIVE',
  'PREPARING',
  'CUT_OFF',
];
const OPEN = [
  'LIVE_OPEN_PLATFORM_DM',
  'LIVE_OPEN_PLATFORM_SEND_GIFT',
  'LIVE_OPEN_PLATFORM_GUARD',
  'LIVE_OPEN_PLATFORM_SUPER_CHAT',
  'LIVE_OPEN_PLATFORM_LIKE',
  'LIVE_OPEN_PLATFORM_LIVE_ROOM_ENTER',
  'LIVE_OPEN_PLATFORM_INTERACTION_END',
];

describe('mappings under hostile input', () => {
  it('never throw, and every event they do emit is a valid BridgeEvent', () => {
    fc.assert(
      fc.property(fc.constantFrom(...WEB, ...OPEN), fc.jsonValue(), fc.jsonValue(), (cmd, data, info) => {
        const command = { cmd, data, info } as Obj;
        for (const r of [mapWebCommand(command, ctx), mapOpenCommand(command, ctx, 'g')]) {
          for (const e of r.events) expect(BridgeEventSchema.safeParse(e).success).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('cmd names that are Object.prototype members', () => {
  it.each(['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf'])('%s maps to nothing in both modes', (cmd) => {
    const injected = {
      kind: 'comment',
      id: 'x',
      platform: 'bilibili',
      source: 's',
      ts: 1,
      user: { id: '1', name: 'n', level: 0, badge: '', badgeLevel: 0 },
      text: 'injected',
    };
    const command = { cmd, data: { events: [injected] } } as Obj;
    expect(mapWebCommand(command, ctx)).toEqual({ events: [] });
    expect(mapOpenCommand(command, ctx, 'g')).toEqual({ events: [] });
  });
});

describe('oversized and overflowing fields', () => {
  it('keeps ids within the contract and counts safe', () => {
    const long = 'x'.repeat(5_000);
    const gift = mapWebCommand({ cmd: 'SEND_GIFT', data: { uid: 1, giftId: 1, num: 1, tid: long, coin_type: 'gold', price: 1 } }, ctx)
      .events[0]!;
    expect(gift.id).toMatch(/^gift:h[0-9a-f]{24}$/);
    const like = mapWebCommand({ cmd: 'LIKE_INFO_V3_CLICK', data: { uid: 0, uname: long } }, ctx).events[0]!;
    expect(like.id.length).toBeLessThan(100);
    const combo = mapOpenCommand(
      {
        cmd: 'LIVE_OPEN_PLATFORM_SEND_GIFT',
        data: {
          gift_id: 1,
          gift_num: 1,
          combo_gift: true,
          combo_info: { combo_id: 'c', combo_base_num: 1e10, combo_count: 1e10 },
          msg_id: long,
        },
      },
      ctx,
      'g',
    ).events[0]!;
    expect(BridgeEventSchema.parse(combo)).toMatchObject({ gift: { count: Number.MAX_SAFE_INTEGER } });
    expect(combo.id).toMatch(/^open:h[0-9a-f]{24}$/);
  });
});
