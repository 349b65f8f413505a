/**
 * Shared pieces for MetaStudio tests: sample wire events made by the real mapping, sink configs
 * parsed by the real schema, and a condition waiter.
 */
import { MetastudioSchema } from '../../../src/config/sections/metastudio.js';
import type { Config } from '../../../src/config/schema.js';
import type { BridgeEvent } from '../../../src/core/events.js';
import { toWireEvent, type WireEvent } from '../../../src/metastudio/wire.js';

const user = (id: string, name: string) => ({ id, name, level: 3, badge: 'fans', badgeLevel: 2 });
const base = { platform: 'douyin', source: 'main' };

/** One event of each kind, ids beyond 2^53 kept as strings. */
export function sampleEvents(ts = 1_764_000_000_000): BridgeEvent[] {
  return [
    { ...base, id: '7300000000000000001', ts, kind: 'comment', user: user('9007199254740993', '小明'), text: '你好 "host" <b>' },
    { ...base, id: '7300000000000000002', ts: ts + 1, kind: 'join', user: user('2', 'Ann') },
    { ...base, id: '7300000000000000003', ts: ts + 2, kind: 'like', user: user('3', 'Bo'), count: 5 },
    {
      ...base,
      id: '7300000000000000004',
      ts: ts + 3,
      kind: 'gift',
      user: user('4', 'Cy'),
      gift: { giftId: 'g1', name: 'Star', count: 10, unitValue: 3 },
    },
    { ...base, id: '7300000000000000005', ts: ts + 4, kind: 'follow', user: user('5', 'Di') },
    { ...base, id: '7300000000000000006', ts: ts + 5, kind: 'viewers', count: 5466 },
  ];
}

export function sampleWire(ts?: number): WireEvent[] {
  return sampleEvents(ts).map(toWireEvent);
}

/** A metastudio config section, parsed by the real schema. */
export function sinkConfig(input: Record<string, unknown>): Config['metastudio'] {
  return MetastudioSchema.parse(input);
}
