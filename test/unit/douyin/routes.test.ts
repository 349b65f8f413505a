/**
 * The route table against proto/douyin.proto: each route's method names a message the schema
 * declares, and the hand-written decoders (whose every tag is looked up in that schema at load,
 * adapters/webcast/tags.ts) read every variant of it, fields missing one at a time included,
 * without a failure.
 */
import { describe, expect, it } from 'vitest';
import { GiftTable } from '../../../adapters/douyin/gift-table.js';
import { DOUYIN_ROUTES, mapMessage } from '../../../adapters/douyin/mapping.js';
import { douyinType } from '../../../adapters/douyin/proto.js';
import { fullMessage, messageVariants } from '../../helpers/proto-reads.js';

const ctx = { source: 'routes', giftTable: new GiftTable(), now: () => 1_764_000_000_000 };

describe('douyin routes read proto/douyin.proto', () => {
  for (const method of Object.keys(DOUYIN_ROUTES)) {
    it(`${method} decodes every variant of ${method.replace(/^Webcast/, '')}`, () => {
      const type = douyinType(method.replace(/^Webcast/, ''));
      const variants = [fullMessage(type), ...messageVariants(type)];
      for (const payload of variants) expect(() => mapMessage({ method, payload, msgId: '1', msgType: 0 }, ctx)).not.toThrow();
      const full = mapMessage({ method, payload: fullMessage(type), msgId: '1', msgType: 0 }, ctx);
      // Every route maps the full sample to an event, except the control message (an end, not an event).
      if (method === 'WebcastControlMessage') expect(full).toBeNull();
      else expect(full).toMatchObject({ id: '1', platform: 'douyin', source: 'routes' });
    });
  }
});
