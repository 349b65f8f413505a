/**
 * `live-bridge check --online` against the MetaStudio emulator and a fake Douyin, one config per
 * injected fault (bad AK, skewed clock, unknown job, offline room) plus a healthy one: each fault
 * is one clear line, nothing is reported, the exit code says whether anything failed.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import type { Clock } from '../../../src/core/clock.js';
import { systemClock } from '../../../src/core/clock.js';
import { DEMO, demoEmulatorConfig, startEmulator } from '../../../src/metastudio/emulator/index.js';
import { cli } from '../../helpers/cli.js';
import { FakeBilibili } from '../../helpers/bilibili/fake-bilibili.js';
import { FakeDouyin } from '../../helpers/douyin/fake-douyin.js';
import { refusedPort } from '../../helpers/ports.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const WEB_RID = '646454278948';

async function douyin(status: number): Promise<FakeDouyin> {
  const fake = await FakeDouyin.start({
    webRid: WEB_RID,
    broadcast: { roomId: '7380000000000000001', status, title: '晚间专场', anchorName: '主播小王', userUniqueId: '7380000000000000002' },
  });
  cleanups.push(() => fake.close());
  return fake;
}

async function emulator(clock?: Clock) {
  const emu = await startEmulator({ config: demoEmulatorConfig(), ...(clock ? { clock } : {}) });
  cleanups.push(() => emu.close());
  return emu;
}

function config(o: { stream: string; endpoint: string; ak?: string; jobId?: string; fake: FakeDouyin }): string {
  return `stream: ${o.stream}
sources:
  - platform: douyin
    name: shop
    room: "${WEB_RID}"
    cookie: "sessionid=check-online-session"
    urls:
${Object.entries(o.fake.urls())
  .map(([k, v]) => `      ${k}: ${String(v)}`)
  .join('\n')}
metastudio:
  endpoint: ${o.endpoint}
  project_id: ${DEMO.projectId}
  room_id: ${DEMO.roomId}
  job_id: ${o.jobId ?? DEMO.jobId}
  auth:
    type: aksk
    ak: ${o.ak ?? DEMO.ak}
    sk: \${HW_SK}
http:
  listen: false
`;
}

async function write(dir: string, name: string, text: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, text);
  return file;
}

test('a healthy stream: credentials, clock, job and room each say so; nothing is reported; exit 0', async () => {
  const emu = await emulator();
  const live = await douyin(2);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lb-online-'));
  const file = await write(dir, 'good.yaml', config({ stream: 'good', endpoint: emu.url, fake: live }));
  const r = await cli(['check', '--online', file], { env: { HW_SK: DEMO.sk } });
  expect(r.stderr).toBe('');
  expect(r.stdout.split('\n')).toEqual([
    `${file}: valid (stream good, 1 source)`,
    `${file}: ok metastudio: AK/SK signature accepted; project ${DEMO.projectId}, room ${DEMO.roomId} found (1 job(s) listed)`,
    `${file}: ok metastudio: clock: within 1.0 s of the gateway`,
    `${file}: ok metastudio: job ${DEMO.jobId} is PROCESSING`,
    `${file}: ok source shop: live: room 7380000000000000001 "晚间专场" by 主播小王`,
    '',
  ]);
  expect(r.code).toBe(0);
  expect(emu.accepted()).toEqual([]);
  expect(emu.requests().map((q) => `${q.operation}:${q.status}`)).toEqual(['list_jobs:200', 'show_job:200']);
  // The room was looked up, never connected to.
  expect(live.connections).toEqual([]);
  expect(r.stdout).not.toContain(DEMO.sk);
});

test('every injected fault is one clear line: bad AK, skewed clock, unknown job, offline room; exit 1', async () => {
  const emu = await emulator();
  // A gateway whose clock is 20 minutes ahead of this host.
  const skewed = await emulator({ ...systemClock, now: () => Date.now() + 20 * 60_000 });
  const live = await douyin(2);
  const offline = await douyin(4);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lb-online-'));
  const badAk = await write(dir, 'bad-ak.yaml', config({ stream: 'bad-ak', endpoint: emu.url, ak: 'WRONGACCESSKEY000000', fake: live }));
  const skew = await write(dir, 'skew.yaml', config({ stream: 'skew', endpoint: skewed.url, fake: live }));
  const job = await write(dir, 'job.yaml', config({ stream: 'job', endpoint: emu.url, jobId: 'no-such-job', fake: live }));
  const room = await write(dir, 'room.yaml', config({ stream: 'room', endpoint: emu.url, fake: offline }));
  const down = await write(dir, 'down.yaml', config({ stream: 'down', endpoint: `http://127.0.0.1:${await refusedPort()}`, fake: live }));
  const r = await cli(['check', '--online', '--quiet', badAk, skew, job, room, down], { env: { HW_SK: DEMO.sk } });
  const lines = r.stdout.trimEnd().split('\n');
  expect(lines.filter((l) => l.startsWith(`${badAk}:`))).toEqual([
    `${badAk}: FAIL metastudio: project ${DEMO.projectId}, room ${DEMO.roomId}: credentials refused (401 APIGW.0301: Incorrect IAM authentication information: unknown access key); check metastudio.auth and metastudio.project_id`,
  ]);
  const skewLines = lines.filter((l) => l.startsWith(`${skew}:`));
  expect(skewLines).toHaveLength(1);
  expect(skewLines[0]).toMatch(
    new RegExp(
      `: FAIL metastudio: clock skew: this host is (19 min 59|20 min [01]) s behind the gateway, beyond the 15 min signature window \\(401 APIGW\\.0303\\): fix NTP$`,
    ),
  );
  expect(lines.filter((l) => l.startsWith(`${job}:`))).toEqual([
    `${job}: FAIL metastudio: job no-such-job not found in room ${DEMO.roomId} (404 MSS.00000002): check metastudio.job_id, or use job_id: auto`,
  ]);
  expect(lines.filter((l) => l.startsWith(`${room}:`))).toEqual([
    `${room}: warn source shop: room offline: room status 4 (not live) (the bridge waits for the broadcast)`,
  ]);
  expect(lines.filter((l) => l.startsWith(`${down}:`))).toEqual([
    expect.stringMatching(
      /: FAIL metastudio: MetaStudio unreachable at http:\/\/127\.0\.0\.1:\d+: connection refused \(ECONNREFUSED 127\.0\.0\.1:\d+\)$/,
    ),
  ]);
  expect(r.code).toBe(1);
  expect(emu.accepted()).toEqual([]);

  // --strict: an offline room fails too.
  const strict = await cli(['check', '--online', '--quiet', '--strict', room], { env: { HW_SK: DEMO.sk } });
  expect(strict.code).toBe(1);
  const lenient = await cli(['check', '--online', '--quiet', room], { env: { HW_SK: DEMO.sk } });
  expect(lenient.code).toBe(0);
});

test('a Bilibili web room: live is ok, offline is a warning, through the same probe as the source', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lb-online-'));
  const results: string[] = [];
  for (const liveStatus of [1, 0]) {
    const fake = new FakeBilibili({
      room: { shortId: '6', roomId: '7734200', uid: '1001', liveStatus, title: '夜间档' },
      login: { sessdata: 'sess-abc', mid: '1001' },
    });
    await fake.listen();
    cleanups.push(() => fake.close());
    const file = await write(
      dir,
      `bili-${liveStatus}.yaml`,
      `stream: bili
sources:
  - platform: bilibili
    name: bili
    room: "6"
    cookie: "SESSDATA=sess-abc"
    urls:
${Object.entries(fake.urls())
  .map(([k, v]) => `      ${k}: ${v}`)
  .join('\n')}
metastudio:
  project_id: p
  room_id: r
  job_id: j
  dry_run: true
`,
    );
    const r = await cli(['check', '--online', file]);
    expect(r.code).toBe(0);
    results.push(
      ...r.stdout
        .trimEnd()
        .split('\n')
        .map((l) => l.slice(file.length + 2))
        .filter((l) => l.includes('source bili')),
    );
    expect(fake.connections).toEqual([]);
  }
  expect(results).toEqual([
    'ok source bili: live: room 7734200 "夜间档"',
    'warn source bili: room offline: room 7734200 is not live (live_status 0) (the bridge waits for the broadcast)',
  ]);
});

test('token credentials: a valid token is accepted, a revoked one is one FAIL line', async () => {
  const emu = await emulator();
  emu.addToken('check-online-token-0001');
  const live = await douyin(2);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lb-online-'));
  const withToken = (stream: string) =>
    config({ stream, endpoint: emu.url, fake: live }).replace(
      / {2}auth:\n {4}type: aksk\n {4}ak: .*\n {4}sk: .*\n/,
      '  auth:\n    type: token\n    token: ${HW_TOKEN}\n',
    );
  const file = await write(dir, 'token.yaml', withToken('token'));
  expect(await readFile(file, 'utf8')).toContain('type: token');
  const good = await cli(['check', '--online', file], { env: { HW_TOKEN: 'check-online-token-0001' } });
  expect(
    good.stdout
      .trimEnd()
      .split('\n')
      .filter((l) => l.includes('metastudio:')),
  ).toEqual([
    `${file}: ok metastudio: token credentials accepted; project ${DEMO.projectId}, room ${DEMO.roomId} found (1 job(s) listed)`,
    `${file}: ok metastudio: clock: within 1.0 s of the gateway`,
    `${file}: ok metastudio: job ${DEMO.jobId} is PROCESSING`,
  ]);
  expect(good.code).toBe(0);
  const bad = await cli(['check', '--online', '--quiet', file], { env: { HW_TOKEN: 'revoked-token-0002' } });
  expect(
    bad.stdout
      .trimEnd()
      .split('\n')
      .filter((l) => l.includes('metastudio:')),
  ).toEqual([
    expect.stringMatching(
      new RegExp(`^${file}: FAIL metastudio: project ${DEMO.projectId}, room ${DEMO.roomId}: credentials refused \\(401 `),
    ),
  ]);
  expect(bad.stdout).not.toContain('revoked-token-0002');
  expect(bad.code).toBe(1);
  expect(emu.accepted()).toEqual([]);
});
