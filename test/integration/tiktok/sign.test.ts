/**
 * The sign provider against the fake sign server over real HTTP: both paths, the key, the
 * fetch result and X-Set-TT-Cookie, scripted 429/402/401/403 answers, the session whitelist.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TikTokSignerSchema } from '../../../adapters/tiktok/config.js';
import { TIKTOK_SHAPE } from '../../../adapters/tiktok/protocol.js';
import { HttpSignProvider, SignError, cookiePairs, resetFrom } from '../../../adapters/tiktok/sign/provider.js';
import { WebcastDecoder } from '../../../adapters/webcast/envelope.js';
import { FakeTikTok } from '../../helpers/tiktok/fake-tiktok.js';
import { HANDLE, ROOM_ID } from '../../helpers/tiktok/scenario.js';

const fakes: FakeTikTok[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.close();
});

const UA = 'Mozilla/5.0 (X11; Linux x86_64) Test/1.0';
const signal = new AbortController().signal;

async function setup(signer: Record<string, unknown> | ((fake: FakeTikTok) => Record<string, unknown>) = {}) {
  const fake = await FakeTikTok.start({ handle: HANDLE, broadcast: { roomId: ROOM_ID, status: 2, title: 't' }, apiKey: 'the-api-key-123' });
  fakes.push(fake);
  const config = TikTokSignerSchema.parse(fake.signer(typeof signer === 'function' ? signer(fake) : signer));
  const provider = new HttpSignProvider(config, { http: {}, decoder: new WebcastDecoder('tiktok', TIKTOK_SHAPE), now: () => 1_000_000 });
  return { fake, provider };
}

async function failure(p: Promise<unknown>): Promise<SignError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof SignError) return err;
    throw err;
  }
  throw new Error('expected a SignError');
}

describe('tiktok sign provider', () => {
  it('GET /webcast/fetch with the key, room, cursor and UA; decodes the fetch result and the cookie jar', async () => {
    const { fake, provider } = await setup();
    const signed = await provider.sign({ roomId: ROOM_ID, cursor: 'last-cursor', userAgent: UA, sessionCookie: 'sessionid=abc' }, signal);
    expect(signed.roomId).toBe(ROOM_ID);
    expect(signed.ttCookies).toBe('ttwid=1%7Cfetch-1-ttwid%7C1764000000; tt_chain_token=chain-1');
    expect(signed.result.pushServer).toBe(fake.pushServer);
    expect(signed.result.cursor).toBe('fetch-cursor-1');
    expect(signed.result.internalExt).toBe(`fetch_id:1|internal_src:dim|wss_push_room_id:${ROOM_ID}`);
    expect(signed.result.routeParams).toEqual({ wrss: 'wrss-1', imprp: '' });
    expect(signed.result.isFirst).toBe(true);
    const call = fake.signCalls[0]!;
    expect(call.path).toBe('/webcast/fetch');
    expect(Object.fromEntries(call.query)).toEqual({
      client: 'metastudio-live-bridge',
      room_id: ROOM_ID,
      cursor: 'last-cursor',
      user_agent: UA,
      client_enter: 'true',
      platform: 'web',
    });
    expect(call.headers['x-api-key']).toBe('the-api-key-123');
    // No session_host configured: the session never leaves for the signer.
    expect(call.headers['x-cookie-header']).toBeUndefined();
  });

  it('the /webcast/rooms/{room_id}/connect path, and the session only to the whitelisted host', async () => {
    const { fake, provider } = await setup({ path: '/webcast/rooms/{room_id}/connect', session_host: '' });
    await provider.sign({ roomId: ROOM_ID, cursor: '', userAgent: UA }, signal);
    expect(fake.signCalls[0]!.path).toBe(`/webcast/rooms/${ROOM_ID}/connect`);
    expect(fake.signCalls[0]!.query.has('room_id')).toBe(false);
    const trusted = await setup((f) => ({ session_host: new URL(f.baseUrl).host }));
    expect(trusted.provider.forwardsSession).toBe(true);
    await trusted.provider.sign({ roomId: ROOM_ID, cursor: '', userAgent: UA, sessionCookie: 'sessionid=abc' }, signal);
    expect(trusted.fake.signCalls[0]!.headers['x-cookie-header']).toBe('sessionid=abc');
    const other = await setup({ session_host: 'attacker.example' });
    expect(other.provider.forwardsSession).toBe(false);
  });

  it('429 with a limit label and Retry-After: rate limited until that reset; without one, the label decides', async () => {
    const { fake, provider } = await setup();
    fake.signScript.push({ status: 429, label: 'rate_limit_account_minute', message: 'Slow down', retryAfterS: 42 });
    fake.signScript.push({ status: 429, label: 'rate_limit_account_day' });
    const minute = await failure(provider.sign({ roomId: ROOM_ID, cursor: '', userAgent: UA }, signal));
    expect(minute.code).toBe('sign_rate_limited');
    expect(minute.label).toBe('rate_limit_account_minute');
    expect(minute.retryAt).toBe(1_000_000 + 42_000);
    expect(minute.message).toBe('sign server (euler) rate limit rate_limit_account_minute: Slow down');
    const day = await failure(provider.sign({ roomId: ROOM_ID, cursor: '', userAgent: UA }, signal));
    expect(day.retryAt).toBe(1_000_000 + 3_600_000);
  });

  it('401, 402 and 403 are refusals with a clear reason; 500 and a missing X-Set-TT-Cookie are failures', async () => {
    const { fake, provider } = await setup();
    fake.signScript.push({ status: 401 }, { status: 402 }, { status: 403 }, { status: 500 }, { status: 200, noCookie: true });
    const answers = [];
    for (let i = 0; i < 5; i++) {
      const e = await failure(provider.sign({ roomId: ROOM_ID, cursor: '', userAgent: UA }, signal));
      answers.push([e.code, e.message]);
    }
    expect(answers).toEqual([
      ['sign_refused', 'sign server (euler) answered HTTP 401: the API key was refused'],
      ['sign_refused', 'sign server (euler) answered HTTP 402: this route needs a paid plan'],
      ['sign_refused', 'sign server (euler) answered HTTP 403: the key lacks permission for this route'],
      ['sign_failed', 'sign server (euler) answered HTTP 500'],
      ['sign_failed', 'sign server (euler) answered without X-Set-TT-Cookie'],
    ]);
    const wrongKey = await setup({ api_key: 'not-the-key' });
    const e = await failure(wrongKey.provider.sign({ roomId: ROOM_ID, cursor: '', userAgent: UA }, signal));
    expect(e.code).toBe('sign_refused');
    expect(e.message).not.toContain('not-the-key');
  });

  it('an unreachable signer is a failure that names neither key nor query', async () => {
    const { fake, provider } = await setup();
    await fake.close();
    fakes.splice(fakes.indexOf(fake), 1);
    const e = await failure(provider.sign({ roomId: ROOM_ID, cursor: '', userAgent: UA }, signal));
    expect(e.code).toBe('sign_failed');
    expect(e.message).not.toContain('the-api-key-123');
    expect(e.message).not.toContain('user_agent');
  });

  it('parses resets and cookie headers', () => {
    const h = (o: Record<string, string>) => new Headers(o);
    expect(resetFrom(h({ 'retry-after': '7' }), {}, 1000)).toBe(8000);
    expect(resetFrom(h({ 'retry-after': 'Wed, 21 Oct 2026 07:28:00 GMT' }), {}, Date.UTC(2026, 9, 21, 7, 0))).toBe(
      Date.UTC(2026, 9, 21, 7, 28),
    );
    expect(resetFrom(h({}), { reset_at: 1_764_000_000 }, 1_763_999_000_000)).toBe(1_764_000_000_000);
    expect(resetFrom(h({ 'x-ratelimit-reset': '30' }), {}, 5)).toBe(30_005);
    expect(resetFrom(h({}), {}, 0)).toBeUndefined();
    expect(cookiePairs('ttwid=a; Path=/; HttpOnly, odin_tt=b; Domain=.tiktok.com; ttwid=dup')).toBe('ttwid=a; odin_tt=b');
    expect(cookiePairs('')).toBe('');
  });
});
