/**
 * The Douyin source end to end against the fake Douyin: resolution, the signed push URL and
 * handshake headers, decoding and mapping, acks, heartbeats, pings.
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeXBogus, rc4, XBOGUS_ALPHABET } from '../../../adapters/douyin/signer/native.js';
import { DOUYIN_DEFAULTS } from '../../../adapters/douyin/config.js';
import { msgFrame } from '../../helpers/douyin/frames.js';
import { FakeDouyin } from '../../helpers/douyin/fake-douyin.js';
import { waitFor } from '../../helpers/wait.js';
import { startHarness, type Harness } from '../../helpers/douyin/harness.js';
import { GIFT_LIST, ROOM_ID, standardEvents, standardMessages, WEB_RID } from '../../helpers/douyin/scenario.js';

const BROADCAST = { roomId: ROOM_ID, status: 2, title: '周末 & 好物', anchorName: '主播小王', userUniqueId: '7400000000000000077' };

/** Protobuf base-128 varint, written out here so the expected ack does not reuse the encoder under test. */
function varint(n: bigint): Buffer {
  const out: number[] = [];
  do {
    let b = Number(n & 0x7fn);
    n >>= 7n;
    if (n > 0n) b |= 0x80;
    out.push(b);
  } while (n > 0n);
  return Buffer.from(out);
}

let fake: FakeDouyin | undefined;
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.stop();
  await fake?.close();
  harness = undefined;
  fake = undefined;
});

describe('douyin source against the fake Douyin', () => {
  it('resolves the room, connects with the full signed URL and headers, and maps the traffic', async () => {
    fake = await FakeDouyin.start({ webRid: WEB_RID, broadcast: BROADCAST, gifts: GIFT_LIST });
    const h = (harness = startHarness(fake, { name: 'shop' }));
    await waitFor(() => fake!.connections.length === 1, 'first connection');
    const conn = fake.connections[0]!;

    // HTTP side: ttwid first, then the page, web/enter with the page's room id, im/fetch with the visitor id.
    const paths = fake.requests.map((r) => r.path).filter((p) => p !== '/webcast/gift/list/');
    expect(paths).toEqual(['/', `/${WEB_RID}`, '/webcast/room/web/enter/', '/webcast/im/fetch/', '/webcast/im/push/v2/']);
    const enter = fake.requestsTo('/webcast/room/web/enter/')[0]!;
    expect(enter.query.get('web_rid')).toBe(WEB_RID);
    expect(enter.query.get('room_id_str')).toBe(ROOM_ID);
    expect(enter.query.get('msToken')).toBe('operatorMsToken123');
    expect(enter.headers.referer).toBe(`${fake.baseUrl}${WEB_RID}`);
    expect(enter.headers.cookie).toBe(
      'sessionid=logged-in-session; msToken=operatorMsToken123; ttwid=1%7Cfake-ttwid-value%7C1764000000; __live_version=1.1.2',
    );
    expect(fake.requestsTo('/webcast/im/fetch/')[0]!.query.get('user_unique_id')).toBe(BROADCAST.userUniqueId);

    // The push URL: every parameter, in order, resume state from im/fetch, a 16-char signature.
    expect([...conn.url.searchParams.keys()]).toEqual([
      'app_name',
      'version_code',
      'webcast_sdk_version',
      'update_version_code',
      'compress',
      'device_platform',
      'cookie_enabled',
      'screen_width',
      'screen_height',
      'browser_language',
      'browser_platform',
      'browser_name',
      'browser_version',
      'browser_online',
      'tz_name',
      'cursor',
      'internal_ext',
      'host',
      'aid',
      'live_id',
      'did_rule',
      'endpoint',
      'support_wrds',
      'user_unique_id',
      'im_path',
      'identity',
      'need_persist_msg_count',
      'insert_task_id',
      'live_reason',
      'room_id',
      'heartbeatDuration',
      'signature',
    ]);
    const q = conn.url.searchParams;
    expect(q.get('room_id')).toBe(ROOM_ID);
    expect(q.get('user_unique_id')).toBe(BROADCAST.userUniqueId);
    expect(q.get('cursor')).toBe('fetch-cursor-1');
    expect(q.get('internal_ext')).toBe('internal_src:dim|wss_push_room_id:0|seq:1');
    expect(q.get('webcast_sdk_version')).toBe('1.0.15');
    expect(q.get('browser_version')).toBe(DOUYIN_DEFAULTS.userAgent.slice('Mozilla/'.length));
    expect(conn.url.search).toContain(`browser_version=5.0%20(Windows%20NT%2010.0`);
    const signature = q.get('signature')!;
    expect(signature).toHaveLength(16);
    expect([...signature].every((c) => XBOGUS_ALPHABET.includes(c))).toBe(true);
    // The signature carries the tail of MD5(stub bytes), so it is bound to this room and visitor.
    const stub = createHash('md5')
      .update(
        `live_id=1,aid=6383,version_code=180800,webcast_sdk_version=1.0.15,room_id=${ROOM_ID},sub_room_id=,sub_channel_id=,did_rule=3,user_unique_id=${BROADCAST.userUniqueId},device_platform=web,device_type=,ac=,identity=audience`,
      )
      .digest();
    const stubTail = createHash('md5').update(stub).digest().subarray(14);
    const bytes = decodeXBogus(signature);
    expect([...rc4(bytes.subarray(1, 2), bytes.subarray(2)).subarray(6, 8)]).toEqual([...stubTail]);

    expect(conn.headers['user-agent']).toBe(DOUYIN_DEFAULTS.userAgent);
    expect(conn.headers.origin).toBe('https://live.douyin.com');
    expect(conn.headers.referer).toBe(`https://live.douyin.com/${WEB_RID}`);
    expect(conn.headers.cookie).toContain('sessionid=logged-in-session');
    expect(conn.headers.cookie).toContain('ttwid=1%7Cfake-ttwid-value%7C1764000000');

    // The first heartbeat goes out at once: the 4 bytes 3a 02 68 62.
    await waitFor(() => conn.received.length >= 1, 'first heartbeat');
    expect([...conn.received[0]!]).toEqual([0x3a, 0x02, 0x68, 0x62]);
    expect(h.states).toContainEqual({ state: 'live', roomId: ROOM_ID, title: '周末 & 好物' });

    await waitFor(() => fake!.requestsTo('/webcast/gift/list/').length === 1, 'gift list');
    await new Promise((r) => setTimeout(r, 50));
    conn.send(msgFrame({ messages: standardMessages(), cursor: 'c-1', internalExt: 'ie-1' }));
    await waitFor(() => h.events.length === 12, 'events');
    expect(h.events).toEqual(standardEvents('shop'));
    expect(h.discards).toEqual([]);
  });

  it('acks needAck frames with the exact bytes, sends hb on the clock, answers server pings', async () => {
    fake = await FakeDouyin.start({ webRid: WEB_RID, broadcast: BROADCAST });
    const h = (harness = startHarness(fake));
    await waitFor(() => fake!.connections[0]?.received.length === 1, 'connection and first hb');
    const conn = fake.connections[0]!;
    const logId = '7653887015607499999';
    const internalExt = 'internal_src:dim|wss_push_room_id:7653887015607454502|seq:42|wrds_v:7653887015607454000';
    conn.send(msgFrame({ messages: [], needAck: true, internalExt, cursor: 'c-ack' }, { logId }));
    await waitFor(() => conn.received.length === 2, 'ack');
    // Built independently of the client: PushFrame{logId (2), payloadType "ack" (7), payload (8)}.
    const expected = Buffer.concat([
      Buffer.from([0x10]),
      varint(BigInt(logId)),
      Buffer.from([0x3a, 0x03]),
      Buffer.from('ack'),
      Buffer.from([0x42, Buffer.byteLength(internalExt)]),
      Buffer.from(internalExt),
    ]);
    expect(conn.received[1]!.equals(expected)).toBe(true);

    h.clock.advance(9_999);
    await new Promise((r) => setTimeout(r, 30));
    expect(conn.received).toHaveLength(2);
    h.clock.advance(1);
    await waitFor(() => conn.received.length === 3, 'second hb');
    expect([...conn.received[2]!]).toEqual([0x3a, 0x02, 0x68, 0x62]);

    conn.ping();
    conn.ping();
    await waitFor(() => conn.pongs === 2, 'pongs');
  });
});
