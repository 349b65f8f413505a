import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, demoEmulatorConfig, startEmulator, type Emulator } from '../../../src/metastudio/emulator/index.js';
import { sampleWire } from '../../helpers/metastudio/fixtures.js';

const TOKEN = 'validation-test-token';
let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ config: { ...demoEmulatorConfig(), tokens: [TOKEN] } });
});
afterAll(() => emu.close());

const path = `/v1/${DEMO.projectId}/smart-live-rooms/${DEMO.roomId}/smart-live-jobs/${DEMO.jobId}/live-event-report`;

async function post(
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: { error_code?: string; error_msg?: string } }> {
  const res = await fetch(`${emu.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Auth-Token': TOKEN, ...headers },
    body,
  });
  return { status: res.status, body: (await res.json()) as { error_code?: string; error_msg?: string } };
}

const [comment, , , gift, , viewers] = sampleWire();
const ev = (o: Record<string, unknown>) => JSON.stringify({ total: 1, events: [{ ...comment, ...o }] });
const content = (type: number, c: unknown) => ev({ type, content: JSON.stringify(c) });
const user = { userId: '1', name: 'a', level: 1, badge: '', badgeLevel: 0 };

const CASES: [string, string, string][] = [
  ['not JSON', '{"total": 1, "events": [', 'request body is not valid JSON'],
  ['not an object', '[1,2]', 'request body must be a JSON object'],
  ['total missing', JSON.stringify({ events: [comment] }), 'total is required and must be an integer, got nothing'],
  ['total zero', JSON.stringify({ total: 0, events: [] }), 'total must be 1..1000, got 0'],
  ['total over 1000', JSON.stringify({ total: 1001, events: [] }), 'total must be 1..1000, got 1001'],
  ['total mismatch', JSON.stringify({ total: 2, events: [comment] }), 'total (2) does not equal the number of events (1)'],
  ['events not an array', JSON.stringify({ total: 1, events: {} }), 'events must be an array, got an object'],
  [
    'timestamp in seconds',
    ev({ timestamp: 1694481224 }),
    'events[0].timestamp must be milliseconds since the epoch (1000000000000..4102415999000), got 1694481224',
  ],
  ['timestamp as string', ev({ timestamp: '1694481224245' }), 'events[0].timestamp must be an integer, got "1694481224245"'],
  ['type 7', ev({ type: 7 }), 'events[0].type must be an integer 1..6, got 7'],
  ['content an object', ev({ content: { user } }), 'events[0].content must be a string holding JSON, got an object'],
  ['content not JSON', ev({ content: '{user' }), 'events[0].content is not valid JSON'],
  ['numeric userId', content(2, { user: { ...user, userId: 1 } }), 'events[0].content.user.userId must be a string, got 1'],
  ['level as string', content(3, { user: { ...user, level: '1' } }), 'events[0].content.user.level must be an integer, got "1"'],
  ['comment without text', content(1, { user }), 'events[0].content.content must be a string, got nothing'],
  [
    'gift without giftNum',
    content(4, { user, gift: { giftName: 'x', totalValue: 1, giftValue: 1 } }),
    'events[0].content.gift.giftNum must be an integer, got nothing',
  ],
  ['viewers as float', content(6, { numberOfViewers: 1.5 }), 'events[0].content.numberOfViewers must be an integer, got 1.5'],
  [
    'review flag as string',
    JSON.stringify({ total: 1, events: [comment], review_config: { no_need_review: 'yes' } }),
    'review_config.no_need_review must be a boolean, got "yes"',
  ],
];

describe('emulator: 400 MSS.00000003 with the reason', () => {
  for (const [name, body, reason] of CASES) {
    it(name, async () => {
      expect(await post(body)).toEqual({ status: 400, body: { error_code: 'MSS.00000003', error_msg: `Invalid parameter: ${reason}` } });
    });
  }

  it('a wrong Content-Type is MSS.10000002', async () => {
    expect(await post(JSON.stringify({ total: 1, events: [comment] }), { 'Content-Type': 'text/plain' })).toEqual({
      status: 400,
      body: { error_code: 'MSS.10000002', error_msg: 'Request body is not JSON: Content-Type must be application/json, got "text/plain"' },
    });
  });

  it('accepts the documented shapes, nothing recorded for refused bodies', async () => {
    const before = emu.accepted().length;
    expect(before).toBe(0);
    const res = await post(JSON.stringify({ total: 3, events: [comment, gift, viewers], review_config: { no_need_review: true } }));
    expect(res.status).toBe(200);
    expect(emu.accepted().map((a) => a.event)).toEqual([comment, gift, viewers]);
    expect(emu.accepted()[1]?.content).toEqual({
      user: { userId: '4', name: 'Cy', level: 3, badge: 'fans', badgeLevel: 2 },
      gift: { giftName: 'Star', giftNum: 10, totalValue: 30, giftValue: 3 },
    });
  });

  it('unknown routes, projects and jobs', async () => {
    const r1 = await fetch(`${emu.url}/v1/other-project/smart-live-rooms/${DEMO.roomId}/smart-live-jobs/${DEMO.jobId}`, {
      headers: { 'X-Auth-Token': TOKEN },
    });
    expect(r1.status).toBe(400);
    expect(((await r1.json()) as { error_code: string }).error_code).toBe('MSS.00010009');
    const r2 = await fetch(`${emu.url}/v1/${DEMO.projectId}/smart-live-rooms/${DEMO.roomId}/smart-live-jobs/nope`, {
      headers: { 'X-Auth-Token': TOKEN },
    });
    expect(r2.status).toBe(404);
    const r3 = await fetch(`${emu.url}/v2/whatever`);
    expect(await r3.json()).toEqual({ error_code: 'MSS.00010003', error_msg: 'API not found: GET /v2/whatever' });
    const r4 = await fetch(`${emu.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(r4.status).toBe(401);
    expect(await r4.json()).toEqual({ error_code: 'MSS.00000001', error_msg: 'Unauthorized' });
  });
});
