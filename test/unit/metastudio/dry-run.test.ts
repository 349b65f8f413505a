import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createSink } from '../../../src/metastudio/index.js';
import { captureLogger } from '../../helpers/logger.js';
import { ManualClock } from '../../helpers/clock.js';
import { sampleWire, sinkConfig } from '../../helpers/metastudio/fixtures.js';

function dryRun(input: Record<string, unknown>) {
  const out = new PassThrough();
  let text = '';
  out.on('data', (c: Buffer) => (text += c.toString('utf8')));
  const cap = captureLogger();
  const sink = createSink(sinkConfig({ project_id: 'p1', room_id: 'r1', dry_run: true, ...input }), {
    logger: cap.logger,
    clock: new ManualClock(Date.UTC(2026, 0, 2, 3, 4, 5)),
    out,
  });
  return { sink, text: () => text, entries: cap.entries };
}

describe('dry-run sink', () => {
  it('prints the AK/SK request exactly as it would be sent, secrets masked', async () => {
    const { sink, text } = dryRun({
      job_id: 'j1',
      no_need_review: false,
      app_user_id: 'u-1',
      auth: { type: 'aksk', ak: 'AKID1234', sk: 'SECRETKEY999', security_token: 'STS-TOKEN-XYZ' },
    });
    await sink.start(new AbortController().signal);
    const [viewers] = sampleWire().slice(5);
    expect(await sink.send([viewers!])).toEqual({ kind: 'sent' });
    expect(text()).toBe(
      [
        'POST /v1/p1/smart-live-rooms/r1/smart-live-jobs/j1/live-event-report',
        'Host: metastudio.cn-north-4.myhuaweicloud.com',
        'Content-Type: application/json',
        'X-App-UserId: u-1',
        'X-Sdk-Date: 20260102T030405Z',
        'X-Project-Id: p1',
        'X-Security-Token: ***',
        'Authorization: SDK-HMAC-SHA256 Access=***, SignedHeaders=content-type;host;x-app-userid;x-project-id;x-sdk-date;x-security-token, Signature=***',
        '',
        '{',
        '  "total": 1,',
        '  "events": [',
        '    {',
        `      "timestamp": ${viewers!.timestamp},`,
        '      "type": 6,',
        '      "content": "{\\"numberOfViewers\\":5466}"',
        '    }',
        '  ],',
        '  "review_config": {',
        '    "no_need_review": false',
        '  }',
        '}',
        '',
        '',
      ].join('\n'),
    );
    expect(sink.status()).toEqual({ state: 'ready' });
  });

  it('masks tokens, never logs in to IAM, shows auto as {job_id}, masks auth_key', async () => {
    const token = dryRun({ auth: { type: 'token', token: 'TOKEN-VALUE-1' } });
    await token.sink.send(sampleWire().slice(0, 1));
    expect(token.text()).toMatch(
      /^POST \/v1\/p1\/smart-live-rooms\/r1\/smart-live-jobs\/\{job_id\}\/live-event-report\n.*X-Auth-Token: \*\*\*\n/s,
    );
    expect(token.text()).not.toContain('TOKEN-VALUE-1');

    const pw = dryRun({ auth: { type: 'password', user: 'u', password: 'PASSWORD-1', domain: 'd' } });
    await pw.sink.send(sampleWire().slice(0, 1));
    expect(pw.text()).toContain('X-Auth-Token: ***\n');
    expect(pw.text()).not.toContain('PASSWORD-1');

    const url =
      'https://metastudio.cn-north-4.myhuaweicloud.com/v1/p1/smart-live-rooms/r1/smart-live-jobs/j7/live-event-report?auth_key=abcdef0123456789&expires_time=4102415999000';
    const ru = dryRun({ auth: { type: 'report_url', url } });
    await ru.sink.send(sampleWire().slice(0, 1));
    expect(ru.text().split('\n')[0]).toBe(
      'POST /v1/p1/smart-live-rooms/r1/smart-live-jobs/j7/live-event-report?auth_key=***&expires_time=4102415999000',
    );
    expect(ru.text()).not.toContain('abcdef0123456789');
  });

  it('refuses an empty or oversized batch without printing', async () => {
    const { sink, text } = dryRun({ job_id: 'j1' });
    expect(await sink.send([])).toMatchObject({ kind: 'rejected', code: 'metastudio_batch_size' });
    const many = Array.from({ length: 1001 }, () => sampleWire()[0]!);
    expect(await sink.send(many)).toMatchObject({ kind: 'rejected', code: 'metastudio_batch_size' });
    expect(text()).toBe('');
  });
});
