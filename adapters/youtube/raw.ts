/**
 * The Data API's answers as they arrive, as zod schemas. Loose on purpose: unknown fields are
 * kept out of the way, missing ones take defaults, and 64-bit numbers (amountMicros,
 * concurrentViewers) arrive as JSON strings and stay strings. An item that fails its schema is
 * one discard, never the whole page.
 */
import { z } from 'zod';

/** A uint64 as the API sends it (a decimal string), or as a plain number from a lenient proxy. */
export const U64 = z.union([z.string().regex(/^\d{1,20}$/), z.number().int().nonnegative().transform(String)]);
/** A small count (uint32 / int32) that may also arrive as a string. */
const Count = z.union([
  z.number().int().nonnegative(),
  z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number),
]);

/** `GET /videos?part=liveStreamingDetails,snippet`. */
export const VideoListSchema = z.object({
  items: z
    .array(
      z
        .object({
          id: z.string(),
          snippet: z
            .object({
              channelId: z.string().optional(),
              title: z.string().optional(),
              /** `live`, `upcoming` or `none`. */
              liveBroadcastContent: z.string().optional(),
            })
            .loose()
            .optional(),
          liveStreamingDetails: z
            .object({
              actualStartTime: z.string().optional(),
              actualEndTime: z.string().optional(),
              scheduledStartTime: z.string().optional(),
              concurrentViewers: U64.optional(),
              activeLiveChatId: z.string().optional(),
            })
            .loose()
            .optional(),
        })
        .loose(),
    )
    .default([]),
});
/** A parsed videos.list answer. */
export type VideoList = z.infer<typeof VideoListSchema>;

/** `GET /liveChat/messages`: the envelope; each item is checked on its own. */
export const ChatPageSchema = z.object({
  nextPageToken: z.string().min(1),
  pollingIntervalMillis: Count.optional(),
  /** Set once the stream went offline: the chat is over. */
  offlineAt: z.string().optional(),
  items: z.array(z.unknown()).default([]),
});
/** A parsed chat page envelope. */
export type ChatPage = z.infer<typeof ChatPageSchema>;

/** `GET /search?eventType=live&type=video`: the first item's video id. */
export const SearchListSchema = z.object({
  items: z.array(z.object({ id: z.object({ videoId: z.string().optional() }).loose() }).loose()).default([]),
});

/** `GET /channels?forHandle=`: the channel id. */
export const ChannelListSchema = z.object({ items: z.array(z.object({ id: z.string() }).loose()).default([]) });

/** The author of a chat message. */
export const AuthorSchema = z
  .object({
    channelId: z.string().min(1),
    displayName: z.string().default(''),
    isChatOwner: z.boolean().default(false),
    isChatModerator: z.boolean().default(false),
    isChatSponsor: z.boolean().default(false),
  })
  .loose();
/** A chat message's author as parsed. */
export type RawAuthor = z.infer<typeof AuthorSchema>;

/** A money amount (Super Chat, Super Sticker). */
const Amount = { amountMicros: U64, currency: z.string().regex(/^[A-Z]{3}$/) };

/** The details each routed `snippet.type` needs (others are not read). */
export const DetailSchemas = {
  textMessageDetails: z.object({ messageText: z.string() }).loose(),
  superChatDetails: z.object({ ...Amount, userComment: z.string().default('') }).loose(),
  superStickerDetails: z
    .object({
      ...Amount,
      superStickerMetadata: z
        .object({ stickerId: z.string().default(''), altText: z.string().default('') })
        .loose()
        .prefault({}),
    })
    .loose(),
  giftDetails: z
    .object({
      giftName: z.string().default(''),
      altText: z.string().default(''),
      jewelsAmount: Count.default(0),
      comboCount: Count.default(1),
    })
    .loose(),
  membershipGiftingDetails: z.object({ giftMembershipsCount: Count, giftMembershipsLevelName: z.string().default('') }).loose(),
  newSponsorDetails: z.object({ memberLevelName: z.string().default(''), isUpgrade: z.boolean().default(false) }).loose(),
  memberMilestoneChatDetails: z
    .object({ userComment: z.string().default(''), memberMonth: Count.default(0), memberLevelName: z.string().default('') })
    .loose(),
} as const;

/** One chat message: id, type and time are required; the author is required where a route needs a user. */
export const ItemSchema = z
  .object({
    id: z.string().min(1).max(400),
    snippet: z
      .object({
        type: z.string().min(1),
        publishedAt: z.string().optional(),
        authorChannelId: z.string().optional(),
      })
      .loose(),
    authorDetails: z.unknown().optional(),
  })
  .loose();
/** A chat message as parsed (details still raw). */
export type RawItem = z.infer<typeof ItemSchema>;
