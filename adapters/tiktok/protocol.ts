/**
 * TikTok's place in the webcast family: its Response numbering (isHistory on message field 6,
 * isFirst on Response field 11), its route table, and history replays skipped.
 */
import type { WebcastProtocol } from '../webcast/frames.js';
import { TIKTOK_ROUTES, type TikTokMappingContext } from './mapping.js';

/** The Response fields where TikTok differs from Douyin. */
export const TIKTOK_SHAPE = { historyField: 6, isFirstField: 11 } as const;

/** The TikTok wire for adapters/webcast/frames.ts. */
export const TIKTOK_PROTOCOL: WebcastProtocol<TikTokMappingContext> = {
  platform: 'tiktok',
  shape: TIKTOK_SHAPE,
  routes: TIKTOK_ROUTES,
  skipHistory: true,
};
