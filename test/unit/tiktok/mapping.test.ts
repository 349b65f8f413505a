import { describe, expect, it } from 'vitest';
import { decodeResponseBody } from '../../../adapters/webcast/envelope.js';
import { routeResponse } from '../../../adapters/webcast/route.js';
import { TIKTOK_ROUTES, type TikTokMappingContext } from '../../../adapters/tiktok/mapping.js';
import { TIKTOK_SHAPE } from '../../../adapters/tiktok/protocol.js';
import { common, encode, response, u64, user } from '../../helpers/tiktok/frames.js';
import { ROOM_ID, standardEvents, standardMessages, T0, VIEWER } from '../../helpers/tiktok/scenario.js';

const ctx: TikTokMappingContext = { source: 'shop', now: () => 42 };
const route = (bytes: Uint8Array, c: TikTokMappingContext = ctx) =>
  routeResponse(decodeResponseBody(bytes, TIKTOK_SHAPE, 'tiktok'), TIKTOK_ROUTES, c, 'tiktok', { skipHistory: true });

describe('tiktok mapping', () => {
  it('maps the standard traffic exactly, in order, skipping history, shares and unknown methods', () => {
    const out = route(response({ messages: standardMessages() }));
    expect(out.failures).toEqual([]);
    expect(out.ended).toBeNull();
    expect(out.events).toEqual(standardEvents('shop'));
    expect(out.skipped).toEqual({ history: 1, share: 1 });
  });

  it('ends on ControlMessage action 3 and 4, not on pause (1) or unpause (2)', () => {
    const control = (action: number) =>
      route(
        response({
          messages: [
            {
              type: 'ControlMessage',
              msgId: '1',
              fields: { common: common('WebcastControlMessage', '1', ROOM_ID, T0), action, tips: 'x' },
            },
          ],
        }),
      );
    expect(control(1).ended).toBeNull();
    expect(control(2).ended).toBeNull();
    expect(control(3).ended).toBe('the broadcast ended (ControlMessage action 3)');
    expect(control(4).ended).toBe('the broadcast was suspended (ControlMessage action 4)');
  });

  it('takes the gift id from gift.id first, field 2 only when the struct has none, and gift_names over both', () => {
    const gift = (fields: Record<string, unknown>) =>
      response({ messages: [{ type: 'GiftMessage', msgId: '77', fields: { user: user(VIEWER), repeatCount: 2, ...fields } }] });
    const newer = route(gift({ giftId: 1, gift: { id: 5655, type: 2, diamondCount: 5, name: 'Rose' } })).events[0];
    expect(newer).toMatchObject({ gift: { giftId: '5655', name: 'Rose', count: 2, unitValue: 5 } });
    const legacy = route(gift({ giftId: 6064, gift: { type: 2, diamondCount: 1, name: 'GG' } })).events[0];
    expect(legacy).toMatchObject({ gift: { giftId: '6064', name: 'GG' } });
    const renamed = route(gift({ gift: { id: 5655, type: 1, diamondCount: 1, name: 'Rose' } }), { ...ctx, giftNames: { '5655': '玫瑰' } })
      .events[0];
    expect(renamed).toMatchObject({ gift: { giftId: '5655', name: '玫瑰', streak: { key: `${VIEWER.id}:5655:0`, final: false } } });
    // No createTime: the context clock stamps it; no msgId anywhere: a stable digest.
    expect(newer).toMatchObject({ id: '77', ts: 42 });
  });

  it('a non-streakable gift without a group id stands alone (no streak to wait on)', () => {
    const out = route(
      response({
        messages: [
          { type: 'GiftMessage', msgId: '5', fields: { user: user(VIEWER), gift: { id: 1, type: 2, diamondCount: 100, name: 'Big' } } },
        ],
      }),
    );
    expect(out.events).toEqual([
      {
        id: '5',
        platform: 'tiktok',
        source: 'shop',
        ts: 42,
        kind: 'gift',
        user: expect.any(Object),
        gift: { giftId: '1', name: 'Big', count: 1, unitValue: 100 },
      },
    ]);
  });

  it('a message without any id gets a stable digest id', () => {
    const payload = encode('ChatMessage', { content: 'no ids', user: user(VIEWER) });
    const bytes = encode('Response', { messages: [{ method: 'WebcastChatMessage', payload }] });
    const a = route(bytes).events[0]!;
    const b = route(bytes).events[0]!;
    expect(a.id).toMatch(/^sha1:[0-9a-f]{24}$/);
    expect(b.id).toBe(a.id);
  });

  it('a bad payload is one failure; the messages around it still map', () => {
    const good = { type: 'ChatMessage', msgId: '1', fields: { user: user(VIEWER), content: 'ok' } };
    const out = route(
      response({
        messages: [good, { method: 'WebcastGiftMessage', msgId: '2', payload: Uint8Array.of(0x0a, 0x7f, 0x01) }, { ...good, msgId: '3' }],
      }),
    );
    expect(out.events.map((e) => e.id)).toEqual(['1', '3']);
    expect(out.failures.map((f) => f.reason)).toEqual(['malformed_payload']);
  });

  it('user id: field 1 as an exact string, else idStr; level only from the scene-8 badge', () => {
    const payload = (u: Record<string, unknown>) => ({ type: 'MemberMessage', msgId: '1', fields: { user: u } });
    const big = route(
      response({
        messages: [payload({ id: u64('9223372036854775808'), nickName: 'n', badgeList: [{ badgeScene: 1, logExtra: { level: '9' } }] })],
      }),
    );
    expect(big.events[0]).toMatchObject({ user: { id: '9223372036854775808', level: 0 } });
    const strOnly = route(response({ messages: [payload({ idStr: '12345678901234567890', nickName: 'n' })] }));
    expect(strOnly.events[0]).toMatchObject({ user: { id: '12345678901234567890' } });
  });
});
