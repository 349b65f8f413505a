/**
 * /readyz quotes why a source is not ready, often in the platform's own words; a configured
 * secret echoed there (here the Bilibili open platform repeating the streamer's 身份码) is masked.
 */
import { once } from 'node:events';
import { mkdtemp, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { expect, test } from 'vitest';
import { runCli } from '../../../src/cli/run-cli.js';
import { waitFor } from '../../helpers/ops/daemon.js';

const CODE = 'IDCODE9F3K2L7Q';

test('a 身份码 echoed in an app/start refusal is masked in /readyz', async () => {
  const platform = http.createServer((req, res) => {
    req.resume();
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ code: 7007, message: `身份码 ${CODE} 无效`, data: {} }));
  });
  platform.listen(0, '127.0.0.1');
  await once(platform, 'listening');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lb-readyz-'));
  const file = path.join(dir, 'open.yaml');
  await writeFile(
    file,
    `stream: readyz
sources:
  - platform: bilibili-open
    code: \${BILI_CODE}
    app_id: 1234
    access_key_id: ak-12345678
    access_key_secret: sk-12345678
    urls:
      api_base: http://127.0.0.1:${(platform.address() as AddressInfo).port}
metastudio:
  project_id: p
  room_id: r
  job_id: j
  dry_run: true
http:
  listen: 127.0.0.1:0
log:
  format: json
state_dir: ${path.join(dir, 'state')}
`,
  );
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  const controller = new AbortController();
  const done = runCli(['run', file], { stdout, stderr: new PassThrough(), env: { BILI_CODE: CODE }, signal: controller.signal });
  try {
    const url = await waitFor('the ops server', 10_000, () => /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(out)?.[1]);
    const body = await waitFor('the refusal in /readyz', 10_000, async () => {
      const text = await (await fetch(`${url}/readyz`)).text();
      return text.includes('7007') ? text : undefined;
    });
    // Blocked for less than the grace period: still ready, but the source's reason is shown.
    const answer = JSON.parse(body) as { ready: boolean; sources: { name: string; state: string; reason: string }[] };
    expect(answer.ready).toBe(true);
    expect(answer.sources).toEqual([
      expect.objectContaining({
        name: 'bilibili-open:1234',
        state: 'blocked',
        reason: 'bilibili: app/start answered code 7007: 身份码 *** 无效',
      }),
    ]);
    expect(body).not.toContain(CODE);
  } finally {
    controller.abort();
    expect(await done).toBe(0);
    platform.close();
  }
});
