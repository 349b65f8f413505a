/**
 * Leaving cleanly and refusing bombs: the push socket is closed with 1000 and a reason on stop
 * and on the end of the broadcast (the server used to see 1006), and a 1 MB gzip frame that
 * inflates to 1 GiB is a counted discard, stopped at the inflate cap, with the session going on.
 */
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_INFLATED_BYTES } from '../../../adapters/kit/inflate.js';
import { common, encode, msgFrame, user } from '../../helpers/douyin/frames.js';
import { FakeDouyin } from '../../helpers/douyin/fake-douyin.js';
import { startHarness, type Harness } from '../../helpers/douyin/harness.js';
import { ROOM_ID, T0, VIEWER, WEB_RID } from '../../helpers/douyin/scenario.js';
import { waitFor } from '../../helpers/wait.js';

const BROADCAST = { roomId: ROOM_ID, status: 2, title: 'live', anchorName: '主播', userUniqueId: '7400000000000000077' };

let fake: FakeDouyin | undefined;
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  await fake?.close();
  harness = undefined;
  fake = undefined;
});

async function connected(): Promise<void> {
  await waitFor(() => fake!.connections[0]?.received.length, 'the first heartbeat');
}

/** gzip members laid end to end inflate as one stream: 64 × 16 MiB of zeros in about 1 MB. */
function gzipBomb(): Buffer {
  const member = gzipSync(Buffer.alloc(16 * 1024 * 1024));
  return Buffer.concat(Array.from({ length: 64 }, () => member));
}

describe('douyin closes its socket cleanly', () => {
  it('sends close 1000 with a reason when stopped', async () => {
    fake = await FakeDouyin.start({ webRid: WEB_RID, broadcast: BROADCAST });
    const h = (harness = startHarness(fake));
    await connected();
    await h.stop();
    harness = undefined;
    await waitFor(() => fake!.connections[0]!.closed, 'the close');
    expect([fake.connections[0]!.closeCode, fake.connections[0]!.closeReason]).toEqual([1000, 'source stopped']);
  });

  it('sends close 1000 with a reason when the broadcast ends', async () => {
    fake = await FakeDouyin.start({ webRid: WEB_RID, broadcast: BROADCAST });
    const h = (harness = startHarness(fake));
    await connected();
    const end = {
      type: 'ControlMessage',
      msgId: '7653887015607454802',
      fields: { common: common('WebcastControlMessage', '7653887015607454802', ROOM_ID, T0), action: 3 },
    };
    fake.connections[0]!.send(msgFrame({ messages: [end] }));
    await waitFor(() => fake!.connections[0]!.closed, 'the close');
    expect([fake.connections[0]!.closeCode, fake.connections[0]!.closeReason]).toEqual([
      1000,
      'the broadcast ended (ControlMessage action 3)',
    ]);
    expect(h.states.at(-1)).toEqual({ state: 'ended', reason: 'the broadcast ended (ControlMessage action 3)' });
  });
});

describe('douyin refuses decompression bombs', () => {
  it('discards a 1 MB gzip frame that inflates to 1 GiB, stopped at the cap, and maps the next frame', async () => {
    fake = await FakeDouyin.start({ webRid: WEB_RID, broadcast: BROADCAST });
    const h = (harness = startHarness(fake));
    await connected();
    const bomb = gzipBomb();
    expect(bomb.length).toBeLessThan(1_100_000);
    const conn = fake.connections[0]!;
    conn.send(encode('PushFrame', { payloadType: 'msg', headers: [{ key: 'compress_type', value: 'gzip' }], payload: bomb }));
    const chat = {
      type: 'ChatMessage',
      msgId: '7653887015607454990',
      fields: { common: common('WebcastChatMessage', '7653887015607454990', ROOM_ID, T0), user: user(VIEWER), content: 'after the bomb' },
    };
    conn.send(msgFrame({ messages: [chat] }));
    await waitFor(() => h.events.length === 1, 'the event after the bomb');
    expect(h.discards).toEqual([{ reason: 'inflated_too_large', count: 1 }]);
    const logged = h.logs.find((l) => l.reason === 'inflated_too_large');
    // zlib's maxOutputLength cut the inflate at the cap instead of running it to its 1 GiB end.
    expect(logged?.error).toBe(`gzip payload inflates past the ${MAX_INFLATED_BYTES}-byte limit`);
    expect(h.events.map((e) => e.id)).toEqual(['7653887015607454990']);
    expect(fake.connections).toHaveLength(1);
  });
});
