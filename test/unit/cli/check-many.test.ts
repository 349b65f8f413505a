/**
 * `live-bridge check` on several files and the warnings only it gives: shared ops ports and
 * state_dirs, `$VAR` without braces, a platform that withholds gifts or names without a cookie,
 * and where to set an unset secret.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { cli } from '../../helpers/cli.js';

const base = (stream: string, extra = '') => `stream: ${stream}
sources:
  - platform: simulate
    room: r
metastudio:
  project_id: p
  room_id: r
  job_id: j
  dry_run: true
${extra}`;

async function files(contents: Record<string, string>): Promise<Record<string, string>> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lb-check-many-'));
  const out: Record<string, string> = {};
  for (const [name, text] of Object.entries(contents)) {
    out[name] = path.join(dir, name);
    await writeFile(out[name] as string, text);
  }
  return out;
}

test('several files: one summary line each; an invalid one makes it 78; what two streams share is a warning', async () => {
  const f = await files({
    'a.yaml': base('a', 'state_dir: /var/lib/lb/shared\n'),
    'b.yaml': base('b', 'state_dir: /var/lib/lb/shared\n'),
    'c.yaml': base('c', 'http:\n  listen: 127.0.0.1:9470\n'),
    'd.yaml': base('d', 'http:\n  listen: 127.0.0.1:9470\nreporter:\n  max_batch_events: 5000\n'),
  });
  const r = await cli(['check', f['a.yaml'] as string, f['b.yaml'] as string, f['c.yaml'] as string, f['d.yaml'] as string]);
  expect(r.code).toBe(78);
  expect(r.stdout.split('\n')).toEqual([
    `${f['a.yaml']}: valid (stream a, 1 source, 1 warning)`,
    `${f['b.yaml']}: valid (stream b, 1 source, 3 warnings)`,
    `${f['c.yaml']}: valid (stream c, 1 source, 1 warning)`,
    `${f['d.yaml']}: invalid (1 problem)`,
    '',
  ]);
  const stderr = r.stderr.split('\n');
  expect(stderr).toContain(
    `warning: ${f['b.yaml']}: state_dir /var/lib/lb/shared is also ${f['a.yaml']}'s: two streams must not share a spool`,
  );
  // a and b both take the default ops port 9464.
  expect(stderr).toContain(
    `warning: ${f['b.yaml']}: ops port 9464 is also ${f['a.yaml']}'s (http.listen): two streams on one host need their own ports`,
  );
  expect(stderr).toContain(`${f['d.yaml']}:13:21: reporter.max_batch_events: too big: expected number to be <=1000`);
  expect(stderr).toContain(`warning: ${f['a.yaml']}: metastudio.dry_run is true: requests are printed, not sent`);
});

test('$VAR without braces is a warning naming the key (not the value under a secret key)', async () => {
  const f = await files({
    'v.yaml': `stream: v
sources:
  - platform: simulate
    room: $ROOM
metastudio:
  project_id: p
  room_id: r
  job_id: j
  auth:
    type: aksk
    ak: \${HW_AK}
    sk: $HW_SK
`,
  });
  const r = await cli(['check', '--quiet', f['v.yaml'] as string], { env: { HW_AK: 'ak-value-1234' } });
  expect(r.code).toBe(0);
  expect(r.stdout).toBe('');
  expect(r.stderr.split('\n')).toEqual([
    `warning: ${f['v.yaml']}:4:11: sources[0].room: $ROOM is taken literally; write \${NAME} for an environment variable, $$ for a literal $`,
    `warning: ${f['v.yaml']}:12:9: metastudio.auth.sk: a \`$\` followed by a name is taken literally; write \${NAME} for an environment variable, $$ for a literal $`,
    '',
  ]);
});

test('douyin and bilibili without a login cookie: the plugin says what the platform withholds', async () => {
  const f = await files({
    'dy.yaml': `stream: dy
sources:
  - platform: douyin
    room: "646454278948"
    cookie: "ttwid=1%7Cabc"
  - platform: bilibili
    room: "21452505"
metastudio:
  project_id: p
  room_id: r
  job_id: j
  dry_run: true
`,
  });
  const r = await cli(['check', '--quiet', f['dy.yaml'] as string]);
  expect(r.code).toBe(0);
  expect(r.stderr).toContain(
    'warning: source "douyin:646454278948": the cookie has no login session (sessionid, sessionid_ss or sid_tt): Douyin withholds gifts and masks nicknames for anonymous viewers; set `cookie` from a logged-in browser (docs/platforms/douyin.md)\n',
  );
  expect(r.stderr).toContain(
    'warning: source "bilibili:21452505": no cookie: Bilibili masks names and sends uid 0 to anonymous sockets within minutes; set `cookie` from a logged-in browser (docs/platforms/bilibili.md)\n',
  );
  const logged = await files({
    'ok.yaml': base('ok').replace(
      '    room: r\n',
      '    room: r\n  - platform: douyin\n    room: "1"\n    cookie: "sessionid=abcdef123456"\n',
    ),
  });
  expect((await cli(['check', '--quiet', logged['ok.yaml'] as string])).stderr).not.toContain('withholds');
});

test('an unset secret: the hint says where to set it', async () => {
  const f = await files({ 's.yaml': base('s').replace('  dry_run: true\n', '  auth:\n    type: token\n    token: ${HW_TOKEN}\n') });
  const r = await cli(['check', f['s.yaml'] as string]);
  expect(r.code).toBe(78);
  expect(r.stderr).toBe(
    `${f['s.yaml']}:11:12: environment variable HW_TOKEN is not set: export it, or put HW_TOKEN=... in the stream's env file (pm2: $LIVE_BRIDGE_ENV_DIR/<stream>.env; systemd: /etc/live-bridge/<stream>.env; Kubernetes: the stream's Secret)\n`,
  );
});
