import { expect, test } from 'vitest';
import { cli } from '../../helpers/cli.js';

test('without a display, login explains the three ways to log in on a server and exits 1', async () => {
  const r = await cli(['login', 'douyin', '--profile', '/tmp/some-profile'], { env: {} });
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('no display');
  for (const hint of [
    'ssh -X',
    'Xvfb :99',
    'x11vnc -display :99',
    'DISPLAY=:99 live-bridge login douyin --profile /tmp/some-profile',
    'rsync -a',
    '--password-store=basic',
  ])
    expect(r.stderr).toContain(hint);
});

test('login checks its arguments before opening anything', async () => {
  const env = { DISPLAY: ':0' };
  expect(await cli(['login', 'bilibili', '--profile', '/tmp/p'], { env })).toMatchObject({
    code: 64,
    stderr: expect.stringContaining('only douyin has a browser login'),
  });
  expect(await cli(['login', 'douyin'], { env })).toMatchObject({
    code: 64,
    stderr: expect.stringContaining('--profile <dir> is required'),
  });
  expect(await cli(['login', 'douyin', '--profile', '/tmp/p', '--timeout-s', '0'], { env })).toMatchObject({ code: 64 });
  expect(await cli(['login', 'douyin', '--profile', '/tmp/p', '--url', 'not a url'], { env })).toMatchObject({ code: 64 });
});

test('login --help names the profile, the cookies looked for and the marker', async () => {
  const r = await cli(['login', '--help']);
  expect(r.code).toBe(0);
  for (const s of ['login douyin --profile <dir>', 'sessionid', 'live-bridge-login.json', '--executable-path'])
    expect(r.stdout).toContain(s);
});
