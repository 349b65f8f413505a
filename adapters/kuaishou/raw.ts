/**
 * What protobufjs hands back for the messages of proto/kuaishou.proto: absent fields of a
 * proto3 message read as their defaults, absent sub-messages as undefined or null.
 */
import type { U64 } from './codec.js';

export interface RawUser {
  principalId?: string;
  userName?: string;
}

export interface RawAudienceState {
  fansGroupIntimacyLevel?: number;
  liveFansGroupState?: { intimacyLevel?: number } | null;
  wealthGrade?: number;
  badgeKey?: string;
  badges?: { badge?: { badgeIcon?: string; badgeName?: string } | null }[];
}

export interface RawCommentFeed {
  id?: string;
  user?: RawUser | null;
  content?: string;
  senderState?: RawAudienceState | null;
  time?: U64;
}

export interface RawLikeFeed {
  id?: string;
  user?: RawUser | null;
  liveAudienceState?: RawAudienceState | null;
}

export interface RawGiftFeed {
  id?: string;
  user?: RawUser | null;
  time?: U64;
  giftId?: number;
  mergeKey?: string;
  batchSize?: number;
  comboCount?: number;
  liveAudienceState?: RawAudienceState | null;
}

export interface RawFeedPush {
  displayWatchingCount?: string;
  displayLikeCount?: string;
  commentFeeds?: RawCommentFeed[];
  likeFeeds?: RawLikeFeed[];
  giftFeeds?: RawGiftFeed[];
}

export interface RawWatchingUsers {
  displayWatchingCount?: string;
}

export interface RawEnterRoomAck {
  minReconnectMs?: U64;
  maxReconnectMs?: U64;
  heartbeatIntervalMs?: U64;
}

export interface RawError {
  code?: number;
  msg?: string;
  subCode?: number;
}
