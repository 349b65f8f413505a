/**
 * Keeping the room followed: stall → reconnect with the saved resume state, abrupt closes,
 * DEVICE_BLOCKED refusals, live end and a new broadcast with a new room id, the __ac_nonce
 * page, risk control, and hostile frames.
 */
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { common, controlFrame, encode, msgFrame, user } from '../../helpers/douyin/frames.js';
import { FakeDouyin } from '../../helpers/douyin/fake-douyin.js';
import { waitFor } from '../../helpers/wait.js';
import { startHarness, type Harness } from '../../helpers/douyin/harness.js';
import { NEW_ROOM_ID, ROOM_ID, T0, VIEWER, WEB_RID } from '../../helpers/douyin/scenario.js';

const BROADCAST = { roomId: ROOM_ID, status: 2, title: 'live', anchorName: '主播', userUniqueId: '7400000000000000077' };

const chat = (msgId: string, text: string) => ({
  type: 'ChatMessage',
  msgId,
  fields: { common: common('WebcastChatMessage', msgId, ROOM_ID, T0), user: user(VIEWER), content: text },
});

let fake: FakeDouyin | undefined;
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.stop();
  await fake?.close();
  harness = undefined;
  fake = undefined;
});

async function connected(n: number): Promise<void> {
  await waitFor(() => fake!.connections.length === n && fake!.connections[n - 1]!.received.length >= 1, `connection ${n}`);
}

describe('douyin source reconnects', () => {
  it('reconnects after a stall with the saved cursor and internal_ext, and a resent message keeps its id', async () => {
    fake = await FakeDouyin.start({ webRid: WEB_RID, broadcast: BROADCAST });
    const h = (harness = startHarness(fake, { stall_ms: 30_000 }));
    await connected(1);
    const frame = msgFrame({ messages: [chat('7653887015607454701', '第一条')], cursor: 'cursor-after-701', internalExt: 'ie|seq:701' });
    fake.connections[0]!.send(frame);
    await waitFor(() => h.events.length === 1, 'first event');

    h.clock.advance(29_999);
    await new Promise((r) => setTimeout(r, 30));
    expect(fake.connections).toHaveLength(1);
    h.clock.advance(1);
    await connected(2);
    const q = fake.connections[1]!.url.searchParams;
    expect(q.get('cursor')).toBe('cursor-after-701');
    expect(q.get('internal_ext')).toBe('ie|seq:701');
    expect(q.get('room_id')).toBe(ROOM_ID);
    expect(h.reconnects).toEqual(['initial', 'stall']);
    // Re-resolution is not needed for a stall: the page was read once.
    expect(fake.requestsTo(`/${WEB_RID}`)).toHaveLength(1);

    fake.connections[1]!.send(frame);
    await waitFor(() => h.events.length === 2, 'resent event');
    expect(h.events[1]).toEqual(h.events[0]);
    expect(h.events[1]!.id).toBe('7653887015607454701');
  });

  it('reconnects after an abrupt close (no close frame), resuming from the frame headers', async () => {
    fake = await FakeDouyin.start({ webRid: WEB_RID, broadcast: BROADCAST });
    const h = (harness = startHarness(fake));
    await connected(1);
    const body = encode('Response', { messages: [], cursor: 'body-cursor', internalExt: 'body-ie' });
    fake.connections[0]!.send(
      encode('PushFrame', {
        payloadType: 'msg',
        headers: [
          { key: 'compress_type', value: 'gzip' },
          { key: 'im-cursor', value: 'hdr-cursor' },
          { key: 'im-internal_ext', value: 'hdr-ie' },
        ],
        payload: gzipSync(body),
      }),
    );
    await new Promise((r) => setTimeout(r, 30));
    fake.connections[0]!.terminate();
    await connected(2);
    const q = fake.connections[1]!.url.searchParams;
    expect(q.get('cursor')).toBe('hdr-cursor');
    expect(q.get('internal_ext')).toBe('hdr-ie');
    expect(h.reconnects).toEqual(['initial', 'closed']);
    expect(h.states.filter((s) => s.state === 'live')).toHaveLength(2);
  });

  it('after 4 sessions without a frame resolves the room again, and keeps the resume state of the same room', async () => {
    fake = await FakeDouyin.start({ webRid: WEB_RID, broadcast: BROADCAST });
    fake.onConnection = (conn) => {
      if (fake!.connections.length === 1) {
        conn.send(msgFrame({ messages: [], cursor: 'cursor-kept', internalExt: 'ie-kept' }));
        setTimeout(() => conn.terminate(), 30);
      } else if (fake!.connections.length <= 5) {
        conn.terminate();
      }
    };
    const h = (harness = startHarness(fake));
    await waitFor(() => fake!.connections.length === 6, 'six connections');
    expect(h.reconnects).toEqual(['initial', 'closed', 'closed', 'closed', 'closed', 'recheck']);
    expect(fake.requestsTo(`/${WEB_RID}`)).toHaveLength(2);
    expect(fake.requestsTo('/webcast/im/fetch/')).toHaveLength(2);
    for (const conn of fake.connections.slice(1)) {
      expect(conn.url.searchParams.get('cursor')).toBe('cursor-kept');
      expect(conn.url.searchParams.get('internal_ext')).toBe('ie-kept');
    }
  });

  it('reports a DEVICE_BLOCKED handshake as blocked with the reason and retries slowly', async () => {
    fake = await FakeDouyin.start({ webRid: WEB_RID, broadcast: BROADCAST });
    fake.blockHandshakes = 1;
    const h = (harness = startHarness(fake, { blocked_retry_ms: 300_000 }));
    await waitFor(() => h.states.some((s) => s.state === 'blocked'), 'blocked state');
    expect(h.states.find((s) => s.state === 'blocked')).toEqual({
      state: 'blocked',
      reason: 'handshake refused: DEVICE_BLOCKED (handshake-status 415, HTTP 200)',
    });
    expect(fake.connections).toHaveLength(0);
    // random() = 0 → the retry waits 80 % of blocked_retry_ms, not a millisecond less.
    h.clock.advance(239_999);
    await new Promise((r) => setTimeout(r, 30));
    expect(fake.refusedHandshakes).toBe(1);
    expect(fake.connections).toHaveLength(0);
    h.clock.advance(1);
    await connected(1);
    expect(h.reconnects).toEqual(['initial', 'blocked_retry']);
    expect(h.states.at(-1)).toEqual({ state: 'live', roomId: ROOM_ID, title: 'live' });
  });

  it('on live end polls slowly, then follows the new broadcast and its new room id', async () => {
    fake = await FakeDouyin.start({ webRid: WEB_RID, broadcast: BROADCAST });
    const h = (harness = startHarness(fake, { status_poll_ms: 60_000 }));
    await connected(1);
    fake.connections[0]!.send(
      msgFrame({
        messages: [
          chat('7653887015607454801', '再见'),
          {
            type: 'ControlMessage',
            msgId: '7653887015607454802',
            fields: { common: common('WebcastControlMessage', '7653887015607454802', ROOM_ID, T0), action: 3, tips: '直播已结束' },
          },
        ],
      }),
    );
    await waitFor(() => h.states.some((s) => s.state === 'ended'), 'ended');
    expect(h.events.map((e) => e.id)).toEqual(['7653887015607454801']);
    expect(h.states.at(-1)).toEqual({ state: 'ended', reason: 'the broadcast ended (ControlMessage action 3)' });
    fake.broadcast = { ...BROADCAST, status: 4 };

    // First poll (48 s with random 0): still ended → offline, keep polling.
    h.clock.advance(48_000);
    await waitFor(() => h.states.at(-1)?.state === 'offline', 'offline after poll');
    expect(h.states.at(-1)).toEqual({ state: 'offline', reason: 'room status 4 (not live)' });

    fake.broadcast = { ...BROADCAST, roomId: NEW_ROOM_ID, title: 'second broadcast' };
    h.clock.advance(47_999);
    await new Promise((r) => setTimeout(r, 30));
    expect(fake.connections).toHaveLength(1);
    h.clock.advance(1);
    await connected(2);
    expect(fake.connections[1]!.url.searchParams.get('room_id')).toBe(NEW_ROOM_ID);
    expect(fake.requestsTo('/webcast/room/web/enter/').map((r) => r.query.get('room_id_str'))).toEqual([ROOM_ID, ROOM_ID, NEW_ROOM_ID]);
    expect(h.reconnects).toEqual(['initial', 'new_broadcast']);
    expect(h.states.at(-1)).toEqual({ state: 'live', roomId: NEW_ROOM_ID, title: 'second broadcast' });
  });

  it('treats a close frame as the end of the broadcast', async () => {
    fake = await FakeDouyin.start({ webRid: WEB_RID, broadcast: BROADCAST });
    const h = (harness = startHarness(fake));
    await connected(1);
    fake.connections[0]!.send(controlFrame('close'));
    await waitFor(() => h.states.some((s) => s.state === 'ended'), 'ended');
    expect(h.states.at(-1)).toEqual({ state: 'ended', reason: 'the server sent a close frame' });
  });

  it('survives hostile frames: each becomes a discard, logged once per reason, and good frames still map', async () => {
    fake = await FakeDouyin.start({ webRid: WEB_RID, broadcast: BROADCAST });
    const h = (harness = startHarness(fake));
    await connected(1);
    const conn = fake.connections[0]!;
    conn.send(Uint8Array.of(0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f)); // field 1 as a length-delimited run past the end
    conn.send(encode('PushFrame', { payloadType: 'msg', payload: Uint8Array.of(0x1f, 0x8b, 0x08, 0x00, 1, 2, 3, 4) })); // corrupt gzip
    conn.send(encode('PushFrame', { payloadType: 'msg', payload: gzipSync(Uint8Array.of(0x0a, 0x05, 0x01)) })); // Response truncated
    conn.send(
      msgFrame({
        messages: [
          { method: 'WebcastChatMessage', msgId: '7653887015607454901', payload: Uint8Array.of(0x1a, 0x09, 0x41) },
          chat('7653887015607454902', 'still here'),
        ],
      }),
    );
    conn.send(Uint8Array.of(0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f));
    conn.sendText('not binary');
    await waitFor(() => h.discards.length === 6, 'discards');
    expect(h.discards.map((d) => d.reason)).toEqual([
      'malformed_frame',
      'corrupt_gzip',
      'malformed_response',
      'malformed_payload',
      'malformed_frame',
      'text_frame',
    ]);
    expect(h.events.map((e) => e.id)).toEqual(['7653887015607454902']);
    const logged = h.logs.filter((l) => l.message === 'discarded undecodable douyin input');
    expect(logged.map((l) => l.reason)).toEqual([
      'malformed_frame',
      'corrupt_gzip',
      'malformed_response',
      'malformed_payload',
      'text_frame',
    ]);
    expect(logged[0]!.sample_b64).toBe(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]).toString('base64'));
    expect(fake.connections).toHaveLength(1);
    expect(h.states.at(-1)?.state).toBe('live');
  });
});

describe('douyin signer failures', () => {
  it('reports a failing signer as an error state with its code, and keeps retrying', async () => {
    fake = await FakeDouyin.start({ webRid: WEB_RID, broadcast: BROADCAST });
    const h = (harness = startHarness(fake, { signer: { type: 'service', url: `${fake.baseUrl}no-such-signer`, timeout_ms: 1000 } }));
    await waitFor(() => h.states.filter((s) => s.state === 'error').length >= 2, 'two signer errors');
    expect(h.states.find((s) => s.state === 'error')).toEqual({
      state: 'error',
      reason: 'signing service answered HTTP 404',
      code: 'douyin_signer',
    });
    expect(fake.connections).toHaveLength(0);
  });
});

describe('douyin room resolution against the fake', () => {
  it('retries the live page once after the __ac_nonce answer', async () => {
    fake = await FakeDouyin.start({ webRid: WEB_RID, broadcast: BROADCAST, acNonceFirst: true, enter: 'empty' });
    const h = (harness = startHarness(fake));
    await connected(1);
    const pages = fake.requestsTo(`/${WEB_RID}`);
    expect(pages).toHaveLength(2);
    expect(pages[0]!.headers.cookie).not.toContain('__ac_nonce');
    expect(pages[1]!.headers.cookie).toContain('__ac_nonce=0674a1b2c00d3e4f5a6b7');
    // web/enter answered empty (risk control): the page state decided, and said so.
    expect(h.logs.some((l) => l.message === 'web/enter refused; using the live page state')).toBe(true);
    expect(fake.connections[0]!.url.searchParams.get('room_id')).toBe(ROOM_ID);
  });

  it('reports risk control (captcha page, web/enter status_code) as blocked with the reason', async () => {
    fake = await FakeDouyin.start({ webRid: WEB_RID, broadcast: BROADCAST, page: 'captcha', enter: 'risk' });
    const h = (harness = startHarness(fake));
    await waitFor(() => h.states.some((s) => s.state === 'blocked'), 'blocked');
    expect(h.states.find((s) => s.state === 'blocked')).toEqual({
      state: 'blocked',
      reason: 'web/enter status_code 10037 (risk control); live page without room state',
    });
    expect(fake.connections).toHaveLength(0);
  });

  it('reports an unknown web_rid as offline (not found) without connecting', async () => {
    fake = await FakeDouyin.start({ webRid: '999999', broadcast: BROADCAST });
    const h = (harness = startHarness(fake, { room: WEB_RID }));
    await waitFor(() => h.states.some((s) => s.state === 'offline'), 'offline');
    expect(h.states.find((s) => s.state === 'offline')).toEqual({
      state: 'offline',
      reason: `live page answered HTTP 404: no such room ${WEB_RID}`,
    });
  });
});
