import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BridgeEventSchema, type BridgeEvent } from '../../../src/core/events.js';
import { toWireEvent } from '../../../src/metastudio/wire.js';
import { reportUrlKey, verifyCredentials, type AuthState } from '../../../src/metastudio/emulator/auth.js';
import { demoEmulatorConfig, DEMO } from '../../../src/metastudio/emulator/index.js';
import { validateReport } from '../../../src/metastudio/emulator/validate.js';
import { createSink, MetaStudioSetupError } from '../../../src/metastudio/index.js';
import { silentLogger } from '../../helpers/logger.js';
import { ManualClock } from '../../helpers/clock.js';
import { sinkConfig } from '../../helpers/metastudio/fixtures.js';

const id = fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(String), fc.string({ minLength: 1, maxLength: 20 }));
const nat = fc.integer({ min: 0, max: 2 ** 31 });
const user = fc.record({ id, name: fc.string(), level: nat, badge: fc.string(), badgeLevel: nat });
const base = {
  id,
  platform: fc.constant('douyin'),
  source: fc.constant('s'),
  ts: fc.integer({ min: 1_000_000_000_000, max: 4_102_415_999_000 }),
};
const event: fc.Arbitrary<BridgeEvent> = fc.oneof(
  fc.record({ ...base, kind: fc.constant('comment' as const), user, text: fc.string().filter((t) => t.trim() !== '') }),
  fc.record({ ...base, kind: fc.constant('join' as const), user }),
  fc.record({ ...base, kind: fc.constant('like' as const), user, count: fc.integer({ min: 1, max: 1000 }) }),
  fc.record({ ...base, kind: fc.constant('follow' as const), user }),
  fc.record({
    ...base,
    kind: fc.constant('subscribe' as const),
    user,
    subscription: fc.record({ tier: fc.string({ maxLength: 20 }), months: nat }),
  }),
  fc.record({ ...base, kind: fc.constant('viewers' as const), count: nat }),
  fc.record({
    ...base,
    kind: fc.constant('gift' as const),
    user,
    gift: fc.record({
      giftId: id,
      name: fc.string(),
      count: fc.integer({ min: 1, max: 10_000 }),
      unitValue: fc.integer({ min: 0, max: 100_000 }),
    }),
  }),
);

describe('emulator body rules agree with our wire mapping', () => {
  it('every mapped batch of 1..50 events is valid, contents round-trip', () => {
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 50 }), (events) => {
        for (const e of events) BridgeEventSchema.parse(e);
        const wire = events.map(toWireEvent);
        const r = validateReport(JSON.stringify({ total: wire.length, events: wire }));
        expect(r.ok).toBe(true);
        if (r.ok) expect(r.report.events.map((x) => x.event)).toEqual(wire);
      }),
      { numRuns: 200 },
    );
  });
});

describe('emulator credential rules', () => {
  const config = demoEmulatorConfig();
  const now = 1_800_000_000_000;
  const state: AuthState = {
    config,
    tokens: new Map([
      ['t1', now + 1000],
      ['old', now - 1],
    ]),
    now: () => now,
  };
  const path = `/v1/${DEMO.projectId}/smart-live-rooms/${DEMO.roomId}/smart-live-jobs/${DEMO.jobId}/live-event-report`;
  const target = { roomId: DEMO.roomId, jobId: DEMO.jobId };
  const req = (query: string, headers: Record<string, string>) => ({
    method: 'POST',
    url: new URL(`http://e${path}${query}`),
    headers,
    body: Buffer.from('{}'),
  });
  const key = reportUrlKey(config.report_url.key, DEMO.roomId, DEMO.jobId, now + 5000);

  it('accepts the report key in the query or in the x-mss-* headers', () => {
    expect(verifyCredentials(req(`?auth_key=${key}&expires_time=${now + 5000}`, {}), state, target)).toEqual({
      ok: true,
      kind: 'report_url',
    });
    expect(verifyCredentials(req('', { 'x-mss-auth-key': key, 'x-mss-expires-time': String(now + 5000) }), state, target)).toEqual({
      ok: true,
      kind: 'report_url',
    });
  });
  it('a report key for another job, or used on another operation, is refused', () => {
    expect(
      verifyCredentials(req(`?auth_key=${key}&expires_time=${now + 5000}`, {}), state, { roomId: DEMO.roomId, jobId: 'other' }),
    ).toMatchObject({ ok: false, errorMsg: 'Unauthorized: auth_key does not match' });
    expect(verifyCredentials(req(`?auth_key=${key}&expires_time=${now + 5000}`, {}), state)).toMatchObject({
      ok: false,
      errorCode: 'MSS.00000001',
    });
  });
  it('tokens: known, expired, unknown', () => {
    expect(verifyCredentials(req('', { 'x-auth-token': 't1' }), state)).toEqual({ ok: true, kind: 'token' });
    expect(verifyCredentials(req('', { 'x-auth-token': 'old' }), state)).toMatchObject({
      ok: false,
      errorCode: 'APIGW.0301',
      errorMsg: 'Incorrect IAM authentication information: The token must be updated',
    });
    expect(verifyCredentials(req('', { 'x-auth-token': 'zzz' }), state)).toMatchObject({ ok: false, errorCode: 'APIGW.0301' });
  });
  it('an Authorization header that is not SDK-HMAC-SHA256 is refused', () => {
    expect(verifyCredentials(req('', { authorization: 'Basic eA==' }), state)).toMatchObject({ ok: false, errorCode: 'APIGW.0301' });
  });
});

describe('setup errors', () => {
  it('password mode with a custom endpoint and no iam_endpoint is a config error (exit 78)', () => {
    const make = () =>
      createSink(
        sinkConfig({
          endpoint: 'http://127.0.0.1:1',
          project_id: 'p',
          room_id: 'r',
          auth: { type: 'password', user: 'u', password: 'secret-pw', domain: 'd' },
        }),
        { logger: silentLogger(), clock: new ManualClock(Date.now()) },
      );
    expect(make).toThrow(MetaStudioSetupError);
    try {
      make();
    } catch (err) {
      expect((err as MetaStudioSetupError).code).toBe('config_invalid');
    }
  });
});
