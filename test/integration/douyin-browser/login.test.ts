/**
 * The login flow in real headless Chromium against a fake douyin.com on 127.0.0.1 whose page
 * sets passport cookies after a moment, as a QR-code login does.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchContext } from '../../../adapters/douyin-browser/launch.js';
import { runLogin } from '../../../adapters/douyin-browser/login.js';
import { describeProfile } from '../../../adapters/douyin-browser/profile.js';
import { waitFor } from '../../helpers/wait.js';
import { browserPid, profilePids, testChromium } from '../../helpers/douyin-browser/chromium.js';

const chromium = testChromium();

const PAGE = (loginAfterMs: number | null) => `<!doctype html><html><body><div id="qr">QR</div><script>
document.cookie = 'passport_csrf_token=anon; max-age=86400; path=/';
${
  loginAfterMs === null
    ? ''
    : `setTimeout(() => {
  document.cookie = 'sessionid=s3cr3t-session; max-age=5184000; path=/';
  document.cookie = 'sid_tt=s3cr3t-sid; max-age=5184000; path=/';
}, ${loginAfterMs});`
}
</script></body></html>`;

describe.skipIf(!chromium)('live-bridge login in real Chromium', () => {
  let server: Server;
  let base: string;
  const served: string[] = [];
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'dyb-login-'));
    server = createServer((req, res) => {
      served.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE(req.url === '/never' ? null : 300));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  test('waits for the login cookie, saves the profile, records names only, and the next launch is still logged in', async () => {
    const profileDir = path.join(dir, 'profile');
    const lines: string[] = [];
    const result = await runLogin(
      { profileDir, executablePath: chromium, url: `${base}/`, headless: true, pollMs: 100, settleMs: 200, timeoutMs: 20_000 },
      { say: (l) => lines.push(l) },
    );
    expect(result).toMatchObject({ loggedIn: true, ended: 'cookie' });
    expect(result.cookies.map((c) => c.name).sort()).toEqual(['sessionid', 'sid_tt']);
    expect(JSON.stringify(result)).not.toContain('s3cr3t');
    expect(lines.join('\n')).toContain('scan the QR code');
    expect(profilePids(profileDir)).toEqual([]);
    expect(statSync(profileDir).mode & 0o777).toBe(0o700);
    expect(await describeProfile(profileDir)).toMatchObject({
      exists: true,
      loggedIn: true,
      detail: expect.stringContaining('is logged in (sessionid, sid_tt; checked'),
    });

    const again = await launchContext({
      executablePath: chromium as string,
      profileDir,
      headless: true,
      sandbox: false,
      timeoutMs: 30_000,
      viewport: { width: 800, height: 600 },
    });
    try {
      const saved = await again.cookies(base);
      expect(saved.find((c) => c.name === 'sessionid')?.value).toBe('s3cr3t-session');
    } finally {
      await again.close();
    }
  });

  test('a browser closed before any login ends the wait: not logged in, and recorded so', async () => {
    const profileDir = path.join(dir, 'closed');
    const pending = runLogin(
      { profileDir, executablePath: chromium, url: `${base}/never`, headless: true, pollMs: 100, timeoutMs: 30_000 },
      { say: () => undefined },
    );
    await waitFor(() => served.includes('/never'), 'the login page', 20_000);
    process.kill(browserPid(profileDir) as number, 'SIGTERM');
    const result = await pending;
    expect(result).toEqual({ loggedIn: false, ended: 'closed', cookies: [] });
    expect(await describeProfile(profileDir)).toMatchObject({
      exists: true,
      loggedIn: false,
      detail: expect.stringContaining('no login cookie'),
    });
  });
});
