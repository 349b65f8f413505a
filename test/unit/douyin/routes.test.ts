/**
 * The route table against proto/douyin.proto: each route's payload type exists, is named after
 * its method, and every field the route (and the codec) reads is declared by the loaded schema,
 * so the hand-written raw types and the .proto cannot drift apart.
 */
import { describe, expect, it } from 'vitest';
import { pushFrameFromRaw, responseFromRaw, type DouyinMessage } from '../../../adapters/douyin/codec.js';
import { GiftTable } from '../../../adapters/douyin/gift-table.js';
import { DOUYIN_ROUTES, type DouyinRoute } from '../../../adapters/douyin/mapping.js';
import { douyinType } from '../../../adapters/douyin/proto.js';
import type { RawPushFrame, RawResponse } from '../../../adapters/douyin/raw.js';
import { fullMessage, messageVariants, tracked, type ReadLog } from '../../helpers/proto-reads.js';

const ctx = { source: 'routes', giftTable: new GiftTable(), now: () => 1_764_000_000_000 };

describe('douyin routes read only what proto/douyin.proto declares', () => {
  for (const [method, r] of Object.entries(DOUYIN_ROUTES) as [string, DouyinRoute<unknown>][]) {
    it(`${method} → ${r.type}`, () => {
      expect(method).toBe(`Webcast${r.type}`);
      const type = douyinType(r.type);
      const log: ReadLog = { reads: new Set(), unknown: new Set() };
      for (const payload of messageVariants(type)) {
        const message: DouyinMessage = { method, payload, msgId: '0', msgType: 0 };
        r.map(tracked(r.decode(message), type, log).value, ctx, message);
      }
      expect([...log.unknown]).toEqual([]);
      expect(log.reads.size).toBeGreaterThan(0);
    });
  }

  it('the codec reads only declared PushFrame and Response fields', () => {
    for (const [name, fromRaw] of [
      ['PushFrame', (raw: unknown) => pushFrameFromRaw(raw as RawPushFrame)],
      ['Response', (raw: unknown) => responseFromRaw(raw as RawResponse)],
    ] as const) {
      const type = douyinType(name);
      const { value, log } = tracked(type.decode(fullMessage(type)), type);
      fromRaw(value);
      expect([...log.unknown], name).toEqual([]);
      expect(log.reads.size, name).toBeGreaterThan(3);
    }
  });

  it('catches a read the schema does not declare', () => {
    const type = douyinType('ChatMessage');
    const { value, log } = tracked(type.decode(fullMessage(type)) as unknown as Record<string, unknown>, type);
    void value.contnet;
    expect([...log.unknown]).toEqual(['ChatMessage.contnet']);
  });
});
