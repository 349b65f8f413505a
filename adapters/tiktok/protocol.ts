/**
 * TikTok's place in the webcast family: its envelope tags from proto/tiktok.proto (isHistory on
 * Message, isFirst on Response), its route table, and history replays skipped.
 */
import type { ResponseShape } from '../webcast/envelope.js';
import { envelopeSchema } from '../webcast/envelope.js';
import type { WebcastProtocol } from '../webcast/frames.js';
import { TIKTOK_ROUTES, type TikTokMappingContext } from './mapping.js';
import { tiktokRoot } from './proto.js';

/** How TikTok's Responses are read. */
export const TIKTOK_SHAPE: ResponseShape = {
  schema: envelopeSchema(tiktokRoot(), 'tiktok', { isHistory: 'isHistory', isFirst: 'isFirst' }),
};

/** The TikTok wire for adapters/webcast/frames.ts. */
export const TIKTOK_PROTOCOL: WebcastProtocol<TikTokMappingContext> = {
  platform: 'tiktok',
  shape: TIKTOK_SHAPE,
  routes: TIKTOK_ROUTES,
  skipHistory: true,
};
