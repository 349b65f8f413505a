/**
 * The route table through the page decoder: every snippet.type the issue names, with exact
 * events, and history, dedupe, malformed items and the end markers.
 */
import { describe, expect, it } from 'vitest';
import { ChatDecoder } from '../../../adapters/youtube/chat.js';
import { YouTubeValueSchema } from '../../../adapters/youtube/config.js';
import { ROUTES } from '../../../adapters/youtube/mapping.js';
import {
  banned,
  chatEnded,
  deleted,
  FAN,
  giftEvent,
  receivedAll,
  membershipGifting,
  message,
  milestone,
  MOD,
  newSponsor,
  OWNER,
  poll,
  superChat,
  superSticker,
  text,
  VIEWER,
} from '../../helpers/youtube/messages.js';

const T = Date.UTC(2026, 10, 20, 14, 3, 11, 123);
const NOW = T + 60_000;

function page(items: unknown[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    kind: 'youtube#liveChatMessageListResponse',
    etag: 'e',
    pollingIntervalMillis: 3_500,
    pageInfo: { totalResults: items.length, resultsPerPage: items.length },
    nextPageToken: 'GKDW-next',
    items,
    ...extra,
  });
}

function decoder(value: Record<string, unknown> = {}) {
  return new ChatDecoder({ source: 'yt', value: YouTubeValueSchema.parse(value), now: () => NOW });
}

function decode(d: ChatDecoder, items: unknown[], extra: Record<string, unknown> = {}, report = true) {
  const r = d.decode(page(items, extra), report);
  if (!r.ok) throw new Error(`not a page: ${r.reason}`);
  return r.page;
}

const base = (id: string, ts = T) => ({ id, platform: 'youtube', source: 'yt', ts });
const viewer = { id: VIEWER.channelId, name: VIEWER.displayName, level: 0, badge: '', badgeLevel: 0 };
const fan = { id: FAN.channelId, name: FAN.displayName, level: 0, badge: 'Member', badgeLevel: 0 };

describe('YouTube chat mapping', () => {
  it('maps text with emoji and CJK to comments, with the role badge and publishedAt in ms', () => {
    const d = decoder();
    const p = decode(d, [
      text('LCC.text-1', VIEWER, T, 'こんにちは 🎉 大家好👋🏽'),
      text('LCC.text-2', MOD, T + 1, 'Family: 👨‍👩‍👧‍👦 ok'),
      text('LCC.text-3', OWNER, T + 2, '欢迎！'),
    ]);
    expect(p).toMatchObject({ nextPageToken: 'GKDW-next', pollingIntervalMs: 3_500, ended: false, items: 3, problems: [] });
    expect(p.events).toEqual([
      { ...base('LCC.text-1'), kind: 'comment', user: viewer, text: 'こんにちは 🎉 大家好👋🏽' },
      {
        ...base('LCC.text-2', T + 1),
        kind: 'comment',
        user: { id: MOD.channelId, name: 'Mod Kate', level: 0, badge: 'Moderator', badgeLevel: 0 },
        text: 'Family: 👨‍👩‍👧‍👦 ok',
      },
      {
        ...base('LCC.text-3', T + 2),
        kind: 'comment',
        user: { id: OWNER.channelId, name: 'The Streamer', level: 0, badge: 'Owner', badgeLevel: 0 },
        text: '欢迎！',
      },
    ]);
  });

  it('values Super Chats and Super Stickers in two currencies through the rate table, and reports the comment too', () => {
    const p = decode(decoder(), [
      superChat('LCC.sc-usd', VIEWER, T, { micros: '5000000', currency: 'USD', display: '$5.00', comment: 'Great stream! 🔥' }),
      superChat('LCC.sc-jpy', FAN, T, { micros: '1000000000', currency: 'JPY', display: '¥1,000' }),
      superSticker('LCC.ss-eur', FAN, T, {
        micros: '2000000',
        currency: 'EUR',
        display: '€2.00',
        stickerId: 'sticker_hype_cat',
        altText: 'Hype cat dancing',
      }),
      superSticker('LCC.ss-jpy', VIEWER, T, { micros: '250000000', currency: 'JPY', display: '¥250', stickerId: '', altText: '' }),
    ]);
    expect(p.problems).toEqual([]);
    expect(p.events).toEqual([
      { ...base('LCC.sc-usd'), kind: 'gift', user: viewer, gift: { giftId: 'super_chat', name: 'Super Chat', count: 1, unitValue: 500 } },
      { ...base('LCC.sc-usd:comment'), kind: 'comment', user: viewer, text: 'Great stream! 🔥' },
      // ¥1,000 × 0.67 US cents = 670.
      { ...base('LCC.sc-jpy'), kind: 'gift', user: fan, gift: { giftId: 'super_chat', name: 'Super Chat', count: 1, unitValue: 670 } },
      {
        ...base('LCC.ss-eur'),
        kind: 'gift',
        user: fan,
        gift: { giftId: 'sticker_hype_cat', name: 'Hype cat dancing', count: 1, unitValue: 220 },
      },
      {
        ...base('LCC.ss-jpy'),
        kind: 'gift',
        user: viewer,
        gift: { giftId: 'super_sticker', name: 'Super Sticker', count: 1, unitValue: 168 },
      },
    ]);
  });

  it('uses an operator rate table in its own unit, and values an unknown currency 0 with a counted problem', () => {
    const d = decoder({ unit: 'jpy', currency_rates: { JPY: 1, USD: 150 }, jewel: 1.5 });
    const p = decode(d, [
      superChat('LCC.a', VIEWER, T, { micros: '1990000', currency: 'USD', display: '$1.99' }),
      superChat('LCC.b', VIEWER, T, { micros: '100000000', currency: 'KRW', display: '₩100' }),
    ]);
    expect(p.events.map((e) => (e.kind === 'gift' ? e.gift.unitValue : -1))).toEqual([299, 0]);
    expect(p.problems.map((x) => x.reason)).toEqual(['currency_without_rate']);
    expect(() => YouTubeValueSchema.parse({ unit: 'jpy' })).toThrow(/currency_rates/);
  });

  it('reports a gifting of 5 memberships as one gift of 5, and not the 5 received messages', () => {
    const p = decode(decoder({ membership: 499 }), [
      membershipGifting('LCC.gift-5', FAN, T, 5, 'Fan Club'),
      ...receivedAll('LCC.recv-', FAN, T + 1, 'LCC.gift-5', 'Fan Club', 5),
    ]);
    expect(p.items).toBe(6);
    expect(p.problems).toEqual([]);
    expect(p.events).toEqual([
      { ...base('LCC.gift-5'), kind: 'gift', user: fan, gift: { giftId: 'membership', name: 'Membership', count: 5, unitValue: 499 } },
    ]);
  });

  it('maps a new member to subscribe, a milestone with a comment to a comment, and one without to subscribe', () => {
    const p = decode(decoder(), [
      newSponsor('LCC.new', VIEWER, T, 'Fan Club'),
      newSponsor('LCC.up', FAN, T, 'Super Fan', true),
      milestone('LCC.ms-c', FAN, T, 12, 'Fan Club', '一年了！Thanks 🙏'),
      milestone('LCC.ms-q', FAN, T, 6, 'Fan Club'),
    ]);
    expect(p.events).toEqual([
      { ...base('LCC.new'), kind: 'subscribe', user: viewer, subscription: { tier: 'Fan Club', months: 1 } },
      { ...base('LCC.up'), kind: 'subscribe', user: fan, subscription: { tier: 'Super Fan', months: 0 } },
      { ...base('LCC.ms-c'), kind: 'comment', user: fan, text: '一年了！Thanks 🙏' },
      { ...base('LCC.ms-q'), kind: 'subscribe', user: fan, subscription: { tier: 'Fan Club', months: 6 } },
    ]);
  });

  it('folds giftEvent combos: one streak key per run of growing comboCount, valued by jewels', () => {
    const d = decoder({ jewel: 2 });
    const p = decode(d, [
      giftEvent('LCC.g1', VIEWER, T, 'Rose', 1, 50),
      giftEvent('LCC.g2', VIEWER, T, 'Rose', 2, 50),
      giftEvent('LCC.g3', VIEWER, T, 'Rose', 3, 50),
      giftEvent('LCC.g4', VIEWER, T, 'Rose', 1, 50),
      giftEvent('LCC.g5', FAN, T, 'Star', 1, 0),
    ]);
    expect(p.events.map((e) => (e.kind === 'gift' ? [e.id, e.gift.count, e.gift.unitValue, e.gift.streak] : e.kind))).toEqual([
      ['LCC.g1:1', 1, 100, { key: 'Rose:1', final: false }],
      ['LCC.g2:2', 2, 100, { key: 'Rose:1', final: false }],
      ['LCC.g3:3', 3, 100, { key: 'Rose:1', final: false }],
      ['LCC.g4:1', 1, 100, { key: 'Rose:2', final: false }],
      ['LCC.g5:1', 1, 0, { key: 'Star:1', final: false }],
    ]);
  });

  it('keeps every step of a combo sent under one message id, and drops a repeated step', () => {
    const d = decoder();
    const steps = [1, 2, 2, 3].map((n) => giftEvent('LCC.combo', VIEWER, T, 'Heart', n, 5));
    const p = decode(d, steps);
    expect(p.events.map((e) => (e.kind === 'gift' ? [e.id, e.gift.count, e.gift.unitValue, e.gift.streak?.key] : e.kind))).toEqual([
      ['LCC.combo:1', 1, 5, 'Heart:1'],
      ['LCC.combo:2', 2, 5, 'Heart:1'],
      ['LCC.combo:3', 3, 5, 'Heart:1'],
    ]);
  });

  it('does not report deletions, retractions, bans, polls or mode changes, and counts unknown types', () => {
    const p = decode(decoder(), [
      deleted('LCC.del', MOD, T, 'LCC.text-1'),
      message('LCC.ret', 'messageRetractedEvent', VIEWER, T, 'messageRetractedDetails', { retractedMessageId: 'LCC.x' }),
      banned('LCC.ban', MOD, T, VIEWER),
      poll('LCC.poll', OWNER, T),
      message('LCC.som', 'sponsorOnlyModeStartedEvent', OWNER, T),
      message('LCC.tomb', 'tombstone', VIEWER, T),
      message('LCC.future', 'hologramEvent', VIEWER, T, 'hologramDetails', {}),
      message('LCC.proto', '__proto__', VIEWER, T),
      message('LCC.ctor', 'constructor', VIEWER, T),
      message('LCC.str', 'toString', VIEWER, T),
    ]);
    expect(p.events).toEqual([]);
    expect(p.problems.map((x) => x.reason)).toEqual(['unknown_type', 'unknown_type', 'unknown_type', 'unknown_type']);
    expect(p.problems[0]!.sample).toContain('hologramEvent');
    expect(ROUTES.giftMembershipReceivedEvent).toBe('ignore');
  });

  it('remembers but does not report the first page (history), and reports each message id once', () => {
    const d = decoder();
    const history = decode(
      d,
      [
        text('LCC.old-1', VIEWER, T, 'before we looked'),
        superChat('LCC.old-2', FAN, T, { micros: '1000000', currency: 'USD', display: '$1' }),
      ],
      {},
      false,
    );
    expect(history).toMatchObject({ events: [], problems: [], items: 2, nextPageToken: 'GKDW-next' });
    const next = decode(d, [text('LCC.old-1', VIEWER, T, 'before we looked'), text('LCC.new-1', VIEWER, T, 'now')]);
    expect(next.events.map((e) => e.id)).toEqual(['LCC.new-1']);
    expect(decode(d, [text('LCC.new-1', VIEWER, T, 'now')]).events).toEqual([]);
  });

  it('counts malformed messages one by one and keeps the rest of the page', () => {
    const noDetails = text('LCC.bad-details', VIEWER, T, 'x');
    delete (noDetails.snippet as Record<string, unknown>).textMessageDetails;
    const noAuthor = text('LCC.no-author', VIEWER, T, 'x');
    delete noAuthor.authorDetails;
    const badMoney = superChat('LCC.bad-money', VIEWER, T, { micros: '-5', currency: 'USD', display: '$?' });
    const p = decode(decoder(), [42, { id: 'LCC.no-snippet' }, noDetails, noAuthor, badMoney, text('LCC.ok', VIEWER, T, 'fine')]);
    expect(p.events.map((e) => e.id)).toEqual(['LCC.ok']);
    expect(p.problems.map((x) => x.reason)).toEqual([
      'item_malformed',
      'item_malformed',
      'details_malformed',
      'author_missing',
      'details_malformed',
    ]);
  });

  it('takes the receive time when publishedAt is unreadable, and a string amount or count as the API sends them', () => {
    const m = text('LCC.t', VIEWER, T, 'hi');
    (m.snippet as Record<string, unknown>).publishedAt = 'not a time';
    const g = membershipGifting('LCC.g', VIEWER, T, 3, '');
    ((g.snippet as Record<string, unknown>).membershipGiftingDetails as Record<string, unknown>).giftMembershipsCount = '3';
    const p = decode(decoder(), [m, g]);
    expect(p.events.map((e) => [e.ts, e.kind === 'gift' ? e.gift.count : 0])).toEqual([
      [NOW, 0],
      [T, 3],
    ]);
  });

  it('sees the end of the chat in offlineAt and in a chatEndedEvent, even in history', () => {
    expect(decode(decoder(), [text('LCC.last', VIEWER, T, 'bye')], { offlineAt: '2026-11-20T15:00:00.000000+00:00' })).toMatchObject({
      ended: true,
      events: [{ id: 'LCC.last' }],
    });
    expect(decode(decoder(), [chatEnded('LCC.end', T)]).ended).toBe(true);
    expect(decode(decoder(), [chatEnded('LCC.end', T)], {}, false).ended).toBe(true);
    expect(decode(decoder(), []).ended).toBe(false);
  });

  it('refuses a page that is not JSON or has no nextPageToken', () => {
    const d = decoder();
    expect(d.decode('<html>oops</html>', true)).toEqual({ ok: false, reason: 'answer_not_json' });
    expect(d.decode('{"items": []}', true)).toEqual({ ok: false, reason: 'answer_unexpected' });
    expect(d.decode('[]', true)).toEqual({ ok: false, reason: 'answer_unexpected' });
    expect(d.decode(JSON.stringify({ nextPageToken: 't', items: 'many' }), true)).toEqual({ ok: false, reason: 'answer_unexpected' });
  });
});
