/**
 * liveChatMessage resources as the Data API sends them (kind, etag, snippet with its type's
 * details, authorDetails), with the wire's quirks: amountMicros as a JSON string, publishedAt
 * with microseconds and an offset. Built from the published resource description.
 */

/** A chat author. */
export interface FakeAuthor {
  channelId: string;
  displayName: string;
  isChatOwner?: boolean;
  isChatModerator?: boolean;
  isChatSponsor?: boolean;
}

export const VIEWER: FakeAuthor = { channelId: 'UCviewer0000000000000001', displayName: '視聴者さん🍉' };
export const FAN: FakeAuthor = { channelId: 'UCfan000000000000000000A', displayName: 'Fan·粉丝', isChatSponsor: true };
export const MOD: FakeAuthor = {
  channelId: 'UCmod000000000000000000M',
  displayName: 'Mod Kate',
  isChatModerator: true,
  isChatSponsor: true,
};
export const OWNER: FakeAuthor = { channelId: 'UCowner00000000000000000', displayName: 'The Streamer', isChatOwner: true };

/** `2026-11-20T14:03:11.123456+00:00`-style text for `ms` plus `micros` extra microseconds, at UTC offset `offset` (e.g. '+09:00'). */
export function publishedAt(ms: number, micros = 456, offset = '+00:00'): string {
  const sign = offset.startsWith('-') ? -1 : 1;
  const [h = '0', m = '0'] = offset.slice(1).split(':');
  const shift = sign * (Number(h) * 60 + Number(m)) * 60_000;
  const local = new Date(ms + shift).toISOString(); // 2026-11-20T14:03:11.123Z
  return `${local.slice(0, 23)}${String(micros).padStart(3, '0')}${offset}`;
}

function author(a: FakeAuthor) {
  return {
    channelId: a.channelId,
    channelUrl: `http://www.youtube.com/channel/${a.channelId}`,
    displayName: a.displayName,
    profileImageUrl: 'https://yt3.ggpht.example/photo.jpg',
    isVerified: false,
    isChatOwner: a.isChatOwner ?? false,
    isChatSponsor: a.isChatSponsor ?? false,
    isChatModerator: a.isChatModerator ?? false,
  };
}

/** One message of `type` with its details object (under `detailsKey`) and display text. */
export function message(
  id: string,
  type: string,
  who: FakeAuthor,
  at: number,
  detailsKey?: string,
  details?: unknown,
  displayMessage = '',
): Record<string, unknown> {
  return {
    kind: 'youtube#liveChatMessage',
    etag: `etag-${id}`,
    id,
    snippet: {
      type,
      liveChatId: 'CHAT',
      authorChannelId: who.channelId,
      publishedAt: publishedAt(at),
      hasDisplayContent: displayMessage !== '',
      displayMessage,
      ...(detailsKey ? { [detailsKey]: details } : {}),
    },
    authorDetails: author(who),
  };
}

export const text = (id: string, who: FakeAuthor, at: number, messageText: string) =>
  message(id, 'textMessageEvent', who, at, 'textMessageDetails', { messageText }, messageText);

export const superChat = (
  id: string,
  who: FakeAuthor,
  at: number,
  o: { micros: string; currency: string; display: string; comment?: string; tier?: number },
) =>
  message(
    id,
    'superChatEvent',
    who,
    at,
    'superChatDetails',
    { amountMicros: o.micros, currency: o.currency, amountDisplayString: o.display, userComment: o.comment ?? '', tier: o.tier ?? 2 },
    `${o.display} from ${who.displayName}: "${o.comment ?? ''}"`,
  );

export const superSticker = (
  id: string,
  who: FakeAuthor,
  at: number,
  o: { micros: string; currency: string; display: string; stickerId: string; altText: string },
) =>
  message(
    id,
    'superStickerEvent',
    who,
    at,
    'superStickerDetails',
    {
      superStickerMetadata: { stickerId: o.stickerId, altText: o.altText, language: 'en' },
      amountMicros: o.micros,
      currency: o.currency,
      amountDisplayString: o.display,
      tier: 1,
    },
    `Super Sticker of ${o.display} from ${who.displayName}`,
  );

export const membershipGifting = (id: string, who: FakeAuthor, at: number, count: number, level: string) =>
  message(
    id,
    'membershipGiftingEvent',
    who,
    at,
    'membershipGiftingDetails',
    { giftMembershipsCount: count, giftMembershipsLevelName: level },
    `${who.displayName} gifted ${count} ${level} memberships`,
  );

/** `n` distinct viewers who receive gifted memberships. */
export function recipients(n: number): FakeAuthor[] {
  return Array.from({ length: n }, (_, i) => ({
    channelId: `UCrecipient${String(i + 1).padStart(13, '0')}`,
    displayName: `Lucky ${i + 1}`,
  }));
}

/** The `n` giftMembershipReceivedEvent messages that follow a gifting (ids `<prefix>0`…), all pointing back to it. */
export function receivedAll(prefix: string, gifter: FakeAuthor, at: number, giftingId: string, level: string, n: number) {
  return recipients(n).map((r, i) => giftReceived(`${prefix}${i}`, r, at, gifter, giftingId, level));
}

export const giftReceived = (id: string, recipient: FakeAuthor, at: number, gifter: FakeAuthor, giftingId: string, level: string) =>
  message(
    id,
    'giftMembershipReceivedEvent',
    recipient,
    at,
    'giftMembershipReceivedDetails',
    { memberLevelName: level, gifterChannelId: gifter.channelId, associatedMembershipGiftingMessageId: giftingId },
    `${recipient.displayName} received a gift membership from ${gifter.displayName}`,
  );

export const newSponsor = (id: string, who: FakeAuthor, at: number, level: string, isUpgrade = false) =>
  message(id, 'newSponsorEvent', who, at, 'newSponsorDetails', { memberLevelName: level, isUpgrade }, `Welcome to ${level}!`);

export const milestone = (id: string, who: FakeAuthor, at: number, months: number, level: string, comment = '') =>
  message(
    id,
    'memberMilestoneChatEvent',
    who,
    at,
    'memberMilestoneChatDetails',
    { userComment: comment, memberMonth: months, memberLevelName: level },
    comment,
  );

export const giftEvent = (id: string, who: FakeAuthor, at: number, giftName: string, comboCount: number, jewelsAmount = 10) =>
  message(
    id,
    'giftEvent',
    who,
    at,
    'giftDetails',
    {
      giftName,
      giftDuration: '5s',
      jewelsAmount,
      giftUrl: 'https://yt3.ggpht.example/gift.png',
      altText: `${giftName} gift`,
      language: 'en',
      hasVisualEffect: true,
      comboCount,
    },
    `${who.displayName} sent ${giftName} x${comboCount}`,
  );

export const deleted = (id: string, moderator: FakeAuthor, at: number, deletedMessageId: string) =>
  message(id, 'messageDeletedEvent', moderator, at, 'messageDeletedDetails', { deletedMessageId });

export const banned = (id: string, moderator: FakeAuthor, at: number, who: FakeAuthor) =>
  message(id, 'userBannedEvent', moderator, at, 'userBannedDetails', {
    bannedUserDetails: { channelId: who.channelId, displayName: who.displayName },
    banType: 'temporary',
    banDurationSeconds: '300',
  });

export const poll = (id: string, who: FakeAuthor, at: number) =>
  message(id, 'pollEvent', who, at, 'pollDetails', {
    metadata: { questionText: 'Next game?', options: [{ optionText: 'A' }] },
    status: 'active',
  });

export const chatEnded = (id: string, at: number) => message(id, 'chatEndedEvent', OWNER, at);
