import { describe, expect, it } from 'vitest';
import { CommunityGifts } from '../../../adapters/twitch/irc/community-gifts.js';
import { mapChatLine, type ChatMappingContext } from '../../../adapters/twitch/irc/mapping.js';
import { parseIrcLine } from '../../../adapters/twitch/irc/parse.js';
import type { BridgeEvent } from '../../../src/core/events.js';
import { privmsg, userTags, usernotice } from '../../helpers/twitch/irc-lines.js';

const NOW = 1_764_000_000_000;
const TS = 1_763_999_999_123;
const ROOM = '71092938';

function ctx(over: Partial<ChatMappingContext> = {}): ChatMappingContext {
  return {
    source: 'tw',
    now: () => NOW,
    communityGifts: new CommunityGifts(),
    paidEvents: true,
    bitsValue: 1,
    subValues: { '1000': 500, '2000': 1000, '3000': 2500 },
    ...over,
  };
}

function map(line: string, c: ChatMappingContext = ctx()): BridgeEvent[] {
  const r = parseIrcLine(line);
  if (!r.ok) throw new Error(r.problem);
  return mapChatLine(r.message, c);
}

const base = { platform: 'twitch', source: 'tw', ts: TS };
const user = (id: string, name: string, badge = '', badgeLevel = 0) => ({ id, name, level: 0, badge, badgeLevel });
const subGift = (id: string, u: ReturnType<typeof user>, tier: string, count: number, unitValue: number) => ({
  ...base,
  kind: 'gift',
  id,
  user: u,
  gift: { giftId: `sub_${tier}`, name: `Tier ${tier[0]} Sub`, count, unitValue },
});

function chat(o: {
  id: string;
  login: string;
  userId: string;
  text: string;
  displayName?: string;
  badges?: string;
  badgeInfo?: string;
  extra?: Record<string, string>;
}) {
  return privmsg({ channel: 'chan', login: o.login, text: o.text, tags: userTags({ ...o, roomId: ROOM, ts: TS }) });
}

function notice(
  msgId: string,
  o: { id: string; login: string; userId: string; displayName?: string; text?: string; params?: Record<string, string> },
) {
  return usernotice({
    channel: 'chan',
    text: o.text,
    tags: userTags({
      ...o,
      roomId: ROOM,
      ts: TS,
      extra: { login: o.login, 'msg-id': msgId, 'system-msg': `${o.login} did\\sa thing`, ...o.params },
    }),
  });
}

describe('PRIVMSG', () => {
  it('a comment with escaped and CJK tags, the badge and exact subscriber months', () => {
    expect(
      map(
        chat({
          id: 'm-1',
          login: 'xiaoming',
          userId: '12345678901234567890',
          displayName: '小明; the 1st',
          text: '主播好！ hello 😀',
          badges: 'subscriber/12,vip/1,bits/1000',
          badgeInfo: 'subscriber/14',
        }),
      ),
    ).toEqual([
      { ...base, kind: 'comment', id: 'm-1', user: user('12345678901234567890', '小明; the 1st', 'vip', 14), text: '主播好！ hello 😀' },
    ]);
  });

  it('an empty display-name falls back to the login; no badges → empty badge', () => {
    expect(map(chat({ id: 'm-2', login: 'quiet_one', userId: '42', displayName: '', text: 'hi' }))).toEqual([
      { ...base, kind: 'comment', id: 'm-2', user: user('42', 'quiet_one'), text: 'hi' },
    ]);
  });

  it('badge order: broadcaster, moderator, vip, subscriber; founder counts as subscriber', () => {
    const badgeFor = (badges: string, badgeInfo = '') => {
      const [e] = map(chat({ id: 'b', login: 'u', userId: '1', text: 'x', badges, badgeInfo }));
      return e && 'user' in e ? [e.user.badge, e.user.badgeLevel] : undefined;
    };
    expect(badgeFor('subscriber/0,broadcaster/1', 'subscriber/3')).toEqual(['broadcaster', 3]);
    expect(badgeFor('vip/1,moderator/1')).toEqual(['moderator', 0]);
    expect(badgeFor('subscriber/6,vip/1')).toEqual(['vip', 0]);
    expect(badgeFor('founder/0', 'founder/27')).toEqual(['subscriber', 27]);
    expect(badgeFor('premium/1,bits/100')).toEqual(['', 0]);
  });

  it('/me actions lose their CTCP wrapper', () => {
    expect(map(chat({ id: 'm-3', login: 'u', userId: '1', text: '\u0001ACTION waves\u0001' }))).toEqual([
      { ...base, kind: 'comment', id: 'm-3', user: user('1', 'u'), text: 'waves' },
    ]);
  });

  it('a cheer is a Bits gift, and its text a comment only when text remains after the cheermotes', () => {
    const cheer = (id: string, text: string, bits: string) => map(chat({ id, login: 'fan', userId: '7', text, extra: { bits } }));
    const bitsGift = (id: string, count: number, unitValue = 1) => ({
      ...base,
      kind: 'gift',
      id: `${id}:bits`,
      user: user('7', 'fan'),
      gift: { giftId: 'bits', name: 'Bits', count, unitValue },
    });
    expect(cheer('c-1', 'Cheer100 great stream! Cheer50', '150')).toEqual([
      bitsGift('c-1', 150),
      { ...base, kind: 'comment', id: 'c-1', user: user('7', 'fan'), text: 'great stream!' },
    ]);
    expect(cheer('c-2', 'Cheer100 Kappa100', '200')).toEqual([bitsGift('c-2', 200)]);
    // A channel's own cheermotes (MyChan25) are recognised because the amounts add up to the bits tag.
    expect(cheer('c-3', 'MyChan25 MyChan10', '35')).toEqual([bitsGift('c-3', 35)]);
    expect(cheer('c-7', 'MyChan25 thanks', '25')).toEqual([
      bitsGift('c-7', 25),
      { ...base, kind: 'comment', id: 'c-7', user: user('7', 'fan'), text: 'thanks' },
    ]);
    // They do not add up: only global prefixes are stripped, so "win10" stays text.
    expect(cheer('c-4', 'cheer5 win10 please', '5')).toEqual([
      bitsGift('c-4', 5),
      { ...base, kind: 'comment', id: 'c-4', user: user('7', 'fan'), text: 'win10 please' },
    ]);
    expect(map(chat({ id: 'c-5', login: 'fan', userId: '7', text: 'Cheer1', extra: { bits: '1' } }), ctx({ bitsValue: 3 }))).toEqual([
      bitsGift('c-5', 1, 3),
    ]);
  });

  it('with paid_events off a cheer reports nothing at all (EventSub reports it and its text)', () => {
    expect(
      map(chat({ id: 'c-6', login: 'fan', userId: '7', text: 'Cheer100 hi', extra: { bits: '100' } }), ctx({ paidEvents: false })),
    ).toEqual([]);
  });

  it('a line without tmi-sent-ts is stamped on receipt; one without an id gets a stable hash id', () => {
    const line = '@user-id=9;display-name=N :n!n@n PRIVMSG #chan :same text';
    const [a] = map(line);
    const [b] = map(line);
    expect(a).toMatchObject({ kind: 'comment', ts: NOW, text: 'same text' });
    expect(a!.id).toMatch(/^line:h[0-9a-f]{24}$/);
    expect(b!.id).toBe(a!.id);
  });
});

describe('USERNOTICE', () => {
  it('sub and resub are subscribe events with tier and months; a resub message is also a comment', () => {
    expect(
      map(notice('sub', { id: 's-1', login: 'newbie', userId: '100', displayName: 'Newbie', params: { 'msg-param-sub-plan': '1000' } })),
    ).toEqual([{ ...base, kind: 'subscribe', id: 's-1', user: user('100', 'Newbie'), subscription: { tier: '1000', months: 1 } }]);
    expect(
      map(
        notice('resub', {
          id: 's-2',
          login: 'loyal',
          userId: '101',
          displayName: '老粉',
          text: '又一年！',
          params: { 'msg-param-sub-plan': 'Prime', 'msg-param-cumulative-months': '13', 'msg-param-streak-months': '2' },
        }),
      ),
    ).toEqual([
      { ...base, kind: 'subscribe', id: 's-2', user: user('101', '老粉'), subscription: { tier: 'Prime', months: 13 } },
      { ...base, kind: 'comment', id: 's-2:text', user: user('101', '老粉'), text: '又一年！' },
    ]);
  });

  it('a standalone subgift is a gift of one sub of its tier', () => {
    expect(
      map(
        notice('subgift', {
          id: 'g-1',
          login: 'giver',
          userId: '200',
          params: { 'msg-param-sub-plan': '2000', 'msg-param-recipient-user-name': 'lucky', 'msg-param-origin-id': 'da 39 a3 ee 5e 6b' },
        }),
      ),
    ).toEqual([subGift('g-1', user('200', 'giver'), '2000', 1, 1000)]);
  });

  it('a mystery gift of 5 followed by its 5 notices is one gift of 5', () => {
    const c = ctx();
    const mystery = notice('submysterygift', {
      id: 'mg-1',
      login: 'whale',
      userId: '300',
      displayName: 'Whale',
      params: {
        'msg-param-mass-gift-count': '5',
        'msg-param-sub-plan': '1000',
        'msg-param-community-gift-id': '8765432109876543210',
        'msg-param-origin-id': '8765432109876543210',
      },
    });
    const each = (i: number) =>
      notice('subgift', {
        id: `mg-1-${i}`,
        login: 'whale',
        userId: '300',
        displayName: 'Whale',
        params: {
          'msg-param-sub-plan': '1000',
          'msg-param-recipient-user-name': `r${i}`,
          'msg-param-community-gift-id': '8765432109876543210',
          'msg-param-origin-id': '8765432109876543210',
        },
      });
    const events = [mystery, ...[1, 2, 3, 4, 5].map(each)].flatMap((l) => map(l, c));
    expect(events).toEqual([subGift('mg-1', user('300', 'Whale'), '1000', 5, 500)]);
    // Another gifter's standalone subgift right after is still counted.
    expect(map(notice('subgift', { id: 'g-2', login: 'other', userId: '301', params: { 'msg-param-sub-plan': '1000' } }), c)).toHaveLength(
      1,
    );
  });

  it('an anonymous mystery gift is reported under the anonymous gifter', () => {
    expect(
      map(
        notice('anonsubmysterygift', {
          id: 'mg-2',
          login: 'ananonymousgifter',
          userId: '274598607',
          displayName: 'AnAnonymousGifter',
          params: { 'msg-param-mass-gift-count': '3', 'msg-param-sub-plan': '3000', 'msg-param-community-gift-id': '1' },
        }),
      ),
    ).toEqual([subGift('mg-2', user('274598607', 'AnAnonymousGifter'), '3000', 3, 2500)]);
  });

  it('a raid is a join of the raiding channel', () => {
    expect(
      map(
        notice('raid', {
          id: 'r-1',
          login: 'raider',
          userId: '400',
          displayName: 'Raider',
          params: { 'msg-param-displayName': 'Raider', 'msg-param-login': 'raider', 'msg-param-viewerCount': '1234' },
        }),
      ),
    ).toEqual([{ ...base, kind: 'join', id: 'r-1', user: user('400', 'Raider') }]);
  });

  it('upgrades are subscriptions with unknown months; announcements and milestones report nothing', () => {
    expect(
      map(notice('giftpaidupgrade', { id: 'u-1', login: 'kept', userId: '500', params: { 'msg-param-sender-login': 'giver' } })),
    ).toEqual([{ ...base, kind: 'subscribe', id: 'u-1', user: user('500', 'kept'), subscription: { tier: '', months: 0 } }]);
    for (const kind of ['announcement', 'viewermilestone', 'bitsbadgetier', 'ritual', 'sharedchatnotice', 'toString', '__proto__']) {
      expect(map(notice(kind, { id: 'x', login: 'a', userId: '1', text: 'hi' })), kind).toEqual([]);
    }
  });

  it('with paid_events off sub, resub and gifts report nothing, raids still do', () => {
    const c = ctx({ paidEvents: false });
    for (const kind of ['sub', 'resub', 'subgift', 'submysterygift', 'primepaidupgrade']) {
      expect(
        map(notice(kind, { id: 'x', login: 'a', userId: '1', text: 'hi', params: { 'msg-param-mass-gift-count': '2' } }), c),
        kind,
      ).toEqual([]);
    }
    expect(map(notice('raid', { id: 'r', login: 'a', userId: '1' }), c)).toHaveLength(1);
  });
});

describe('lines that report nothing', () => {
  it('CLEARCHAT, CLEARMSG, NOTICE, USERSTATE, ROOMSTATE, JOIN and numerics', () => {
    for (const line of [
      '@room-id=1;target-user-id=2;tmi-sent-ts=1 :tmi.twitch.tv CLEARCHAT #chan :baduser',
      '@login=baduser;target-msg-id=abc :tmi.twitch.tv CLEARMSG #chan :bad words',
      '@msg-id=emote_only_on :tmi.twitch.tv NOTICE #chan :This room is now in emote-only mode.',
      '@badges=;color= :tmi.twitch.tv USERSTATE #chan',
      '@room-id=1 :tmi.twitch.tv ROOMSTATE #chan',
      ':u!u@u.tmi.twitch.tv JOIN #chan',
      ':tmi.twitch.tv 376 justinfan1 :>',
    ]) {
      expect(map(line), line).toEqual([]);
    }
  });
});
