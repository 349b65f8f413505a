/**
 * The hand-written TikTok decoders against protobufjs: random messages encoded from
 * proto/tiktok.proto (with random unknown fields mixed in) map to exactly the values they were
 * built from, and random bytes never throw anything but a counted failure.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeResponseBody, WebcastDecodeError } from '../../../adapters/webcast/envelope.js';
import { routeResponse } from '../../../adapters/webcast/route.js';
import { TIKTOK_ROUTES } from '../../../adapters/tiktok/mapping.js';
import { TIKTOK_SHAPE } from '../../../adapters/tiktok/protocol.js';
import { encode, u64 } from '../../helpers/tiktok/frames.js';

const U64 = fc.bigInt({ min: 1n, max: 2n ** 64n - 1n });
const ctx = { source: 's', now: () => 7 };
const route = (bytes: Uint8Array) =>
  routeResponse(decodeResponseBody(bytes, TIKTOK_SHAPE, 'tiktok'), TIKTOK_ROUTES, ctx, 'tiktok', { skipHistory: true });

const userArb = fc.record({
  id: U64,
  nick: fc.string({ maxLength: 30 }),
  grade: fc.option(fc.integer({ min: 1, max: 99 }), { nil: undefined }),
  otherBadge: fc.integer({ min: 0, max: 99 }),
  club: fc.option(fc.record({ name: fc.string({ maxLength: 12 }), level: fc.integer({ min: 0, max: 50 }) }), { nil: undefined }),
});

describe('tiktok decoders agree with proto/tiktok.proto', () => {
  it('chat messages: ids, names, levels, badges and text round-trip exactly', () => {
    fc.assert(
      fc.property(userArb, U64, fc.string({ maxLength: 80 }), fc.integer({ min: 1, max: 2 ** 47 }), (u, msgId, content, createTime) => {
        const user = {
          id: u64(u.id.toString()),
          nickName: u.nick,
          badgeList: [
            { badgeScene: 6, logExtra: { level: String(u.otherBadge) } },
            ...(u.grade === undefined ? [] : [{ badgeScene: 8, logExtra: { level: String(u.grade) } }]),
          ],
          fansClub: u.club ? { data: { clubName: u.club.name, level: u.club.level } } : undefined,
          avatarThumb: { urlList: ['https://x.example/a.webp'] },
        };
        const payload = encode('ChatMessage', {
          common: { msgId: u64(msgId.toString()), createTime: u64(createTime), describe: 'd' },
          user,
          content,
          contentLanguage: 'xx',
        });
        const out = route(encode('Response', { messages: [{ method: 'WebcastChatMessage', payload, msgId: u64(msgId.toString()) }] }));
        expect(out.failures).toEqual([]);
        expect(out.events).toEqual([
          {
            id: msgId.toString(),
            platform: 'tiktok',
            source: 's',
            ts: createTime,
            kind: 'comment',
            user: { id: u.id.toString(), name: u.nick, level: u.grade ?? 0, badge: u.club?.name ?? '', badgeLevel: u.club?.level ?? 0 },
            text: content,
          },
        ]);
      }),
      { numRuns: 300 },
    );
  });

  it('gift messages: id, count, value and streak marker follow the rules for any type', () => {
    fc.assert(
      fc.property(
        U64,
        U64,
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 100_000 }),
        (giftId, groupId, type, repeat, end, diamonds) => {
          const payload = encode('GiftMessage', {
            repeatCount: repeat,
            repeatEnd: end ? 1 : 0,
            groupId: u64(groupId.toString()),
            user: { id: u64('5') },
            toUser: { id: u64('6'), nickName: 'host' },
            gift: { id: u64(giftId.toString()), type, diamondCount: diamonds, name: 'G' },
          });
          const [event] = route(encode('Response', { messages: [{ method: 'WebcastGiftMessage', payload, msgId: u64('9') }] })).events;
          const key = `5:${giftId}:${groupId}`;
          expect(event).toEqual({
            id: '9',
            platform: 'tiktok',
            source: 's',
            ts: 7,
            kind: 'gift',
            user: { id: '5', name: '', level: 0, badge: '', badgeLevel: 0 },
            gift: {
              giftId: giftId.toString(),
              name: 'G',
              count: Math.max(1, repeat),
              unitValue: diamonds,
              streak: type === 1 ? { key, final: end } : { key, final: true },
            },
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('random bytes as a payload or a response are a decode failure, never a crash', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.constantFrom(...Object.keys(TIKTOK_ROUTES)), (bytes, method) => {
        const out = route(encode('Response', { messages: [{ method, payload: bytes, msgId: u64('1') }] }));
        expect(out.failures.every((f) => f instanceof WebcastDecodeError && f.reason === 'malformed_payload')).toBe(true);
        try {
          route(bytes);
        } catch (err) {
          expect(err).toBeInstanceOf(WebcastDecodeError);
        }
      }),
      { numRuns: 500 },
    );
  });
});
