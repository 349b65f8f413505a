/**
 * The web route table against proto/bilibili.proto: each route that decodes `data.pb` names a
 * message the schema has, and reads only fields it declares (in every variant of the message).
 */
import { describe, expect, it } from 'vitest';
import type { CommandRoute } from '../../../adapters/bilibili/mapping-common.js';
import { WEB_ROUTES } from '../../../adapters/bilibili/mapping-web.js';
import { bilibiliType } from '../../../adapters/bilibili/proto.js';
import type { Obj } from '../../../adapters/bilibili/json.js';
import { messageVariants, tracked, type ReadLog } from '../../helpers/proto-reads.js';

const ctx = { source: 'routes', valueMultiplier: 1, now: () => 1_764_000_000_000 };
const pbRoutes = (Object.entries(WEB_ROUTES) as [string, CommandRoute<Obj>][]).filter(([, r]) => r.pb !== undefined);

describe('bilibili routes read only what proto/bilibili.proto declares', () => {
  it('has protobuf routes to check', () => {
    expect(pbRoutes.map(([cmd, r]) => `${cmd} → ${r.pb}`)).toEqual([
      'SEND_GIFT_V2 → SendGiftBroadcast',
      'INTERACT_WORD_V2 → InteractWordV2',
    ]);
  });

  for (const [name, r] of pbRoutes) {
    it(`${name} → ${r.pb}`, () => {
      const type = bilibiliType(r.pb!);
      const log: ReadLog = { reads: new Set(), unknown: new Set() };
      for (const bytes of messageVariants(type)) {
        const cmd = { cmd: name, data: { pb: Buffer.from(bytes).toString('base64') } };
        const raw = r.decode(cmd);
        expect(raw).not.toHaveProperty('reason');
        r.map(tracked(raw as Obj, type, log).value, ctx, cmd);
      }
      expect([...log.unknown]).toEqual([]);
      expect(log.reads.size).toBeGreaterThan(3);
    });
  }
});
