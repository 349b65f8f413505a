/**
 * The TikTok source against the fake TikTok on the real wire: the standard traffic mapped exactly,
 * im_enter_room before anything, acks and heartbeats, one sign call per connect with the cursor
 * to resume from, an abrupt close with a duplicate after the reconnect, a live end and the next
 * broadcast's new room id (no sign call in between), a sign-server 429 storm that never exceeds
 * the budget, refusals (HTTP 200 + Handshake-Msg, a refused key, an expired signed URL), and
 * garbage frames counted without a crash.
 */
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeTikTok } from '../../helpers/tiktok/fake-tiktok.js';
import { controlFrame, type FakeConnection } from '../../helpers/tiktok/fake-tiktok.js';
import { common, decode, encode, msgFrame, plainFrame, user } from '../../helpers/tiktok/frames.js';
import { startFake, startHarness, type Harness } from '../../helpers/tiktok/harness.js';
import { HANDLE, NEW_ROOM_ID, ROOM_ID, standardEvents, standardMessages, T0, VIEWER, VIEWER_USER } from '../../helpers/tiktok/scenario.js';
import { waitFor } from '../../helpers/wait.js';

let fake: FakeTikTok | undefined;
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.stop();
  await fake?.close();
  harness = undefined;
  fake = undefined;
});

const chat = (msgId: string, text: string, roomId = ROOM_ID) => ({
  type: 'ChatMessage',
  msgId,
  fields: { common: common('WebcastChatMessage', msgId, roomId, T0), user: user(VIEWER), content: text },
});

async function entered(n: number): Promise<FakeConnection> {
  await waitFor(
    () => fake!.connections.length >= n && fake!.connections[n - 1]!.entered,
    () => `connection ${n} entered (have ${fake!.connections.length}, refused ${fake!.refused.join(', ')})`,
  );
  return fake!.connections[n - 1]!;
}

/** Lets promise chains and socket callbacks run. */
const settle = () => new Promise((r) => setTimeout(r, 30));

describe('tiktok source', () => {
  it('maps the standard traffic exactly, after im_enter_room, with acks and heartbeats, on one sign call', async () => {
    const started = await startFake({ handshakeOptions: 'ping-interval=5; ping-timeout=20' });
    fake = started.fake;
    const h = (harness = startHarness(fake, started.clock, { cookie: 'sessionid=viewer-session-1' }));
    const conn = await entered(1);

    // The handshake: the fetch's cookie jar and the UA it was signed for; the config cookie too.
    expect(conn.headers['user-agent']).toBe(fake.fetches[0]!.userAgent);
    expect(conn.headers.cookie).toBe(
      'sessionid=viewer-session-1; tt-target-idc=useast1a; tt_csrf_token=fake-csrf; ttwid=1%7Cfetch-1-ttwid%7C1764000000; tt_chain_token=chain-1',
    );
    expect(conn.headers['sec-websocket-protocol']).toBe('echo-protocol');
    expect(conn.url.searchParams.get('room_id')).toBe(ROOM_ID);
    expect(conn.url.searchParams.get('cursor')).toBe('fetch-cursor-1');
    expect(conn.url.searchParams.get('wrss')).toBe('wrss-1');
    // im_enter_room first, then an hb at once.
    await waitFor(() => conn.received.length >= 2, 'enter and first hb');
    expect(conn.received.slice(0, 2).map((f) => f.payloadType)).toEqual(['im_enter_room', 'hb']);
    expect(decode('ImEnterRoomMessage', conn.received[0]!.payload)).toMatchObject({
      roomId: ROOM_ID,
      identity: 'audience',
      liveId: '12',
      cursor: 'fetch-cursor-1',
    });
    expect(decode('HeartBeatMessage', conn.received[1]!.payload)).toMatchObject({ roomId: ROOM_ID, sendPacketSeqId: '1' });
    // No session_host: the session did not go to the signer.
    expect(fake.fetches[0]!.sessionHeader).toBeUndefined();

    conn.send(
      msgFrame(
        { messages: standardMessages(), needAck: true, internalExt: 'ie-after-standard', cursor: 'cursor-2' },
        { logId: '18446744073709551615' },
      ),
    );
    await waitFor(
      () => h.events.length === standardEvents('shop').length,
      () => `events (${h.events.length})`,
    );
    expect(h.events).toEqual(standardEvents('shop'));
    expect(h.discards).toEqual([
      { reason: 'history', count: 1 },
      { reason: 'share', count: 1 },
    ]);
    await waitFor(() => conn.sent('ack').length === 1, 'ack');
    expect(conn.sent('ack')[0]).toMatchObject({ logId: '18446744073709551615' });
    expect(conn.sent('ack')[0]!.payload.toString()).toBe('ie-after-standard');

    // The Handshake-Options ping-interval (5 s) paces the heartbeat, counting up.
    h.clock.advance(5_000);
    await waitFor(() => conn.sent('hb').length === 2, 'second hb');
    expect(decode('HeartBeatMessage', conn.sent('hb')[1]!.payload)).toMatchObject({ sendPacketSeqId: '2' });
    expect(conn.pings).toBe(0);
    expect(fake.signCalls).toHaveLength(1);
    expect(h.usage).toEqual([{ call: 'sign_ok', units: 1 }]);
    expect(h.states.at(-1)).toEqual({ state: 'live', roomId: ROOM_ID, title: 'shop live' });
  });

  it('an abrupt close: one new sign call resuming from the last cursor; the duplicate keeps its id', async () => {
    const started = await startFake();
    fake = started.fake;
    const h = (harness = startHarness(fake, started.clock));
    const first = await entered(1);
    const frame = msgFrame({
      messages: [chat('9300000000000001001', 'first')],
      cursor: 'cursor-after-1001',
      needAck: true,
      internalExt: 'ie-1',
    });
    first.send(frame);
    await waitFor(() => h.events.length === 1, 'first event');
    first.terminate();
    const second = await entered(2);
    expect(fake.fetches.map((f) => f.cursorAsked)).toEqual(['', 'cursor-after-1001']);
    expect(second.headers.cookie).toContain('ttwid=1%7Cfetch-2-ttwid');
    expect(second.headers.cookie).not.toContain('fetch-1');
    second.send(msgFrame({ messages: [chat('9300000000000001001', 'first'), chat('9300000000000001002', 'second')] }));
    await waitFor(() => h.events.length === 3, 'events after the reconnect');
    expect(h.events.map((e) => e.id)).toEqual(['9300000000000001001', '9300000000000001001', '9300000000000001002']);
    expect(h.reconnects).toEqual(['initial', 'closed']);
    expect(fake.signCalls).toHaveLength(2);
  });

  it('a live end: state ended, unsigned polls only, then the new room id is signed and followed', async () => {
    const started = await startFake();
    fake = started.fake;
    const h = (harness = startHarness(fake, started.clock, { status_poll_ms: 60_000 }));
    const conn = await entered(1);
    conn.send(controlFrame(3, ROOM_ID, '9300000000000002001'));
    await waitFor(() => h.states.some((s) => s.state === 'ended'), 'ended');
    expect(h.states.find((s) => s.state === 'ended')).toEqual({ state: 'ended', reason: 'the broadcast ended (ControlMessage action 3)' });
    fake.broadcast = { roomId: ROOM_ID, status: 4, title: 'over' };
    const before = fake.requests.length;
    // Polls while the old room is over: no sign call, only the page.
    for (let i = 0; i < 3; i++) {
      h.clock.advance(60_000);
      await settle();
    }
    expect(h.states.at(-1)).toEqual({ state: 'offline', reason: `room ${ROOM_ID} is not live (ended)` });
    expect(fake.requests.slice(before).every((r) => r.path === `/@${HANDLE}/live`)).toBe(true);
    expect(fake.signCalls).toHaveLength(1);
    // The next broadcast has a new room id.
    fake.broadcast = { roomId: NEW_ROOM_ID, status: 2, title: 'again' };
    h.clock.advance(60_000);
    const next = await entered(2);
    expect(next.url.searchParams.get('room_id')).toBe(NEW_ROOM_ID);
    expect(fake.fetches.map((f) => f.roomId)).toEqual([ROOM_ID, NEW_ROOM_ID]);
    expect(fake.fetches[1]!.cursorAsked).toBe('');
    next.send(msgFrame({ messages: [chat('9300000000000002002', 'new broadcast', NEW_ROOM_ID)] }));
    await waitFor(() => h.events.length === 1, 'event of the new broadcast');
    expect(h.reconnects).toEqual(['initial', 'new_broadcast']);
  });

  it('an ended room the page still names is not dialled again until room info says it is live', async () => {
    const started = await startFake();
    fake = started.fake;
    const h = (harness = startHarness(fake, started.clock));
    const conn = await entered(1);
    conn.send(controlFrame(4, ROOM_ID, '9300000000000003001'));
    await waitFor(() => h.states.some((s) => s.state === 'ended'), 'ended');
    expect(h.states.find((s) => s.state === 'ended')).toEqual({
      state: 'ended',
      reason: 'the broadcast was suspended (ControlMessage action 4)',
    });
    // The page is stale (still "live" with the old id); room info knows the room is over.
    fake.roomInfoStatus[ROOM_ID] = 4;
    h.clock.advance(60_000);
    await waitFor(() => h.states.at(-1)?.state === 'offline', 'offline');
    expect(h.states.at(-1)).toEqual({ state: 'offline', reason: `room ${ROOM_ID} ended; waiting for the next broadcast` });
    expect(fake.requestsTo('/webcast/room/info/').map((r) => r.query.get('room_id'))).toEqual([ROOM_ID]);
    expect(fake.signCalls).toHaveLength(1);
    // Once room info says it is live again (a resumed broadcast), it is dialled.
    fake.roomInfoStatus[ROOM_ID] = 2;
    h.clock.advance(60_000);
    await entered(2);
    expect(fake.signCalls).toHaveLength(2);
  });

  it('a 429 storm: the budget is never exceeded, the source waits for the resets, then recovers', async () => {
    const started = await startFake();
    fake = started.fake;
    for (let i = 0; i < 6; i++)
      fake.signScript.push({ status: 429, label: 'rate_limit_account_minute', message: 'Too many requests', retryAfterS: 20 });
    const h = (harness = startHarness(fake, started.clock, { signer: { ...fake.signer(), budget: { per_minute: 2, per_day: 50 } } }));
    await waitFor(() => fake!.signCalls.length === 1, 'first sign call');
    // Walk 6 simulated minutes in 1 s steps; every sign call is timestamped on the shared clock.
    for (let t = 0; t < 360 && fake.connections.length === 0; t++) {
      h.clock.advance(1_000);
      await new Promise((r) => setImmediate(r));
    }
    const conn = await entered(1);
    const times = fake.signCalls.map((c) => c.at);
    expect(times.length).toBe(7);
    for (const t of times) expect(times.filter((u) => u > t - 60_000 && u <= t).length).toBeLessThanOrEqual(2);
    // Each 429 held the next call for its Retry-After (20 s).
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(20_000);
    // The sign metric (live_bridge_source_upstream_calls_total / _units_total): every call the
    // server saw, by outcome, one unit each, and the calls the budget refused at no cost.
    const calls = (c: string) => h.usage.filter((u) => u.call === c);
    expect(calls('sign_rate_limited')).toHaveLength(6);
    expect(calls('sign_ok')).toHaveLength(1);
    expect(calls('sign_budget_refused').length).toBeGreaterThan(0);
    expect(calls('sign_budget_refused').every((u) => u.units === 0)).toBe(true);
    expect(h.usage.reduce((sum, u) => sum + u.units, 0)).toBe(fake.signCalls.length);
    expect(h.states.filter((s) => s.state === 'blocked').length).toBeGreaterThan(0);
    expect(h.states.find((s) => s.state === 'blocked')).toEqual({
      state: 'blocked',
      reason: 'sign server (euler) rate limit rate_limit_account_minute: Too many requests',
    });
    conn.send(msgFrame({ messages: [chat('9300000000000004001', 'recovered')] }));
    await waitFor(() => h.events.length === 1, 'event after the storm');
    expect(h.states.at(-1)).toMatchObject({ state: 'live' });
  });

  it('a refused key is blocked with a clear reason and retried only after blocked_retry_ms', async () => {
    const started = await startFake();
    fake = started.fake;
    fake.signScript.push({ status: 402 });
    const h = (harness = startHarness(fake, started.clock, { blocked_retry_ms: 600_000 }));
    await waitFor(() => h.states.some((s) => s.state === 'blocked'), 'blocked');
    expect(h.states.find((s) => s.state === 'blocked')).toEqual({
      state: 'blocked',
      reason: 'sign server (euler) answered HTTP 402: this route needs a paid plan',
    });
    h.clock.advance(479_999);
    await settle();
    expect(fake.signCalls).toHaveLength(1);
    h.clock.advance(1);
    await entered(1);
    expect(fake.signCalls).toHaveLength(2);
  });

  it('HTTP 200 + Handshake-Msg is blocked with that message; an expired signed URL too; each retry signs anew', async () => {
    const started = await startFake();
    fake = started.fake;
    fake.block = { count: 1, message: 'illegal secret key' };
    const h = (harness = startHarness(fake, started.clock, { blocked_retry_ms: 600_000 }));
    await waitFor(() => h.states.some((s) => s.state === 'blocked'), 'blocked');
    expect(h.states.find((s) => s.state === 'blocked')).toEqual({ state: 'blocked', reason: 'handshake refused: illegal secret key' });
    fake.handshakeDelayMs = 31_000;
    h.clock.advance(480_000);
    await waitFor(() => fake!.refused.length === 2, 'second refusal');
    expect(fake.refused).toEqual(['illegal secret key', 'signature expired']);
    fake.handshakeDelayMs = 0;
    h.clock.advance(480_000);
    await entered(1);
    expect(fake.signCalls).toHaveLength(3);
  });

  it('garbage frames are counted, never a crash, and the socket goes on', async () => {
    const started = await startFake();
    fake = started.fake;
    const h = (harness = startHarness(fake, started.clock));
    const conn = await entered(1);
    const bomb = encode('PushFrame', {
      payloadType: 'msg',
      headers: [{ key: 'compress_type', value: 'gzip' }],
      payload: gzipSync(Buffer.alloc(20 * 1024 * 1024)),
    });
    conn.send(Uint8Array.of(0xff, 0xff, 0xff, 0xff));
    conn.send(encode('PushFrame', { payloadType: 'msg', payload: Uint8Array.of(0x1f, 0x8b, 1, 2, 3) }));
    conn.send(encode('PushFrame', { payloadType: 'msg', payload: Uint8Array.of(0x0a, 0x09, 0x01) }));
    conn.send(bomb);
    conn.send(msgFrame({ messages: [{ method: 'WebcastChatMessage', msgId: '1', payload: Uint8Array.of(0x12, 0x7f) }] }));
    conn.sendText('not a frame');
    conn.send(plainFrame('im_enter_room_resp'));
    conn.send(msgFrame({ messages: [chat('9300000000000005001', 'still here')] }));
    await waitFor(() => h.events.length === 1, 'event after the garbage');
    expect(h.discards.map((d) => d.reason)).toEqual([
      'malformed_frame',
      'corrupt_gzip',
      'malformed_response',
      'inflated_too_large',
      'malformed_payload',
      'text_frame',
    ]);
    expect(h.events[0]).toMatchObject({ kind: 'comment', text: 'still here', user: VIEWER_USER });
    expect(fake.connections).toHaveLength(1);
  });
});
