import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { BridgeError } from '../../../src/core/errors.js';
import { createLogger } from '../../../src/ops/logger.js';
import { Redactor } from '../../../src/ops/redact.js';

const SK = 'Sk-9f8e7d6c5b4a39281706';
const COOKIE = 'sessionid=abc123def456; ttwid=1%7Cxyz';
const URL_WITH_KEY =
  'https://metastudio.cn-north-4.myhuaweicloud.com/v1/p/smart-live-rooms/r/smart-live-jobs/j/live-event-report?auth_key=deadbeefcafe&expires_time=1900000000000';

function jsonLogger() {
  const out = new PassThrough();
  const lines: string[] = [];
  out.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
  const redactor = new Redactor();
  redactor.addSecrets([SK, COOKIE]);
  const logger = createLogger({ stream: 'shop-main', level: 'debug', format: 'json', redactor, out });
  const flush = () => new Promise<void>((r) => setImmediate(r));
  return { logger, lines, flush };
}

describe('redaction in log lines', () => {
  test('secret keys are masked at any depth; secret values are masked inside any string', async () => {
    const { logger, lines, flush } = jsonLogger();
    logger.child({ component: 'metastudio', platform: 'douyin', room: '646454278948' }).info(`signing with ${SK}`, {
      auth: { type: 'aksk', ak: 'AKIDEXAMPLE0001', sk: SK, nested: [{ password: 'hunter2!', ok: 'visible' }] },
      headers: { Authorization: 'SDK-HMAC-SHA256 Access=AK, Signature=abc', 'X-Auth-Token': 'tok', Cookie: COOKIE },
      url: URL_WITH_KEY,
      note: `cookie was ${COOKIE}`,
    });
    await flush();
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0] as string) as Record<string, unknown>;
    expect(line).toMatchObject({
      level: 'info',
      message: 'signing with ***',
      stream: 'shop-main',
      component: 'metastudio',
      platform: 'douyin',
      room: '646454278948',
      auth: { type: 'aksk', ak: '***', sk: '***', nested: [{ password: '***', ok: 'visible' }] },
      headers: { Authorization: '***', 'X-Auth-Token': '***', Cookie: '***' },
      url: 'https://metastudio.cn-north-4.myhuaweicloud.com/v1/p/smart-live-rooms/r/smart-live-jobs/j/live-event-report?auth_key=***&expires_time=1900000000000',
      note: 'cookie was ***',
    });
    for (const secret of [SK, 'AKIDEXAMPLE0001', 'hunter2!', 'sessionid=abc123', 'deadbeefcafe', 'Signature=abc']) {
      expect(lines[0]).not.toContain(secret);
    }
  });

  test('errors: message, stack, own fields and causes are redacted', async () => {
    const { logger, lines, flush } = jsonLogger();
    const cause = new Error(`upstream said no to ${URL_WITH_KEY}`);
    const err = Object.assign(new BridgeError('sink_auth', `signature with ${SK} rejected`, { cause }), { cookie: COOKIE, status: 401 });
    logger.error('report failed', { error: err });
    logger.error(err);
    await flush();
    expect(lines).toHaveLength(2);
    for (const raw of lines) {
      expect(raw).not.toContain(SK);
      expect(raw).not.toContain('deadbeefcafe');
      expect(raw).not.toContain('abc123def456');
    }
    const first = JSON.parse(lines[0] as string) as { error: Record<string, unknown> };
    expect(first.error).toMatchObject({ name: 'BridgeError', message: 'signature with *** rejected', code: 'sink_auth' });
    expect(String(first.error.stack)).toContain('signature with *** rejected');
    expect(JSON.stringify(first.error.cause)).toContain('auth_key=***');
    const second = JSON.parse(lines[1] as string) as Record<string, unknown>;
    expect(second.message).toBe('signature with *** rejected');
    expect(second.cookie).toBe('***');
  });

  test('pretty format on a TTY is readable and still redacted', async () => {
    const out = Object.assign(new PassThrough(), { isTTY: true });
    let text = '';
    out.on('data', (c: Buffer) => (text += c.toString('utf8')));
    const redactor = new Redactor();
    redactor.addSecrets([SK]);
    const logger = createLogger({ stream: 's', level: 'info', format: 'auto', redactor, out });
    logger.child({ component: 'source', platform: 'douyin', room: '42' }).warn(`blocked while using ${SK}`);
    await new Promise<void>((r) => setImmediate(r));
    expect(text).toMatch(/^\S+Z \S*warn\S* \[source douyin 42\] blocked while using \*\*\*\n$/);
  });

  test('a cycle in metadata does not crash the logger', async () => {
    const { logger, lines, flush } = jsonLogger();
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    logger.info('cyclic', { a });
    await flush();
    expect(JSON.parse(lines[0] as string)).toMatchObject({ a: { name: 'a', self: '[circular]' } });
  });
});
