/**
 * The operator's login into a persistent browser profile: a visible Chromium on douyin.com,
 * watched until a Douyin login cookie appears (then the cookies are saved by closing the
 * browser cleanly) or the window is closed. The result is recorded in the profile's marker.
 */
import { sleep, systemClock, type Clock } from '../../src/core/clock.js';
import { DOUYIN_BROWSER_DEFAULTS } from './config.js';
import { findExecutable, launchContext, loadPlaywright, runningAsRoot, type PlaywrightModule } from './launch.js';
import { hasLogin, loginCookies, writeLoginMarker, type CookieNote } from './profile.js';

/** Defaults for runLogin: long enough for the operator to scan the QR code. */
export const LOGIN_DEFAULTS = {
  url: 'https://www.douyin.com/',
  timeoutMs: 15 * 60_000,
  pollMs: 1_000,
  /** After the first login cookie, wait this long for the rest of the passport cookies. */
  settleMs: 3_000,
} as const;

/** Where and how runLogin opens the browser; unset fields take LOGIN_DEFAULTS. */
export interface LoginOptions {
  profileDir: string;
  executablePath?: string;
  url?: string;
  /** Only for automation and tests: the operator needs a visible window to scan the QR code. */
  headless?: boolean;
  timeoutMs?: number;
  pollMs?: number;
  settleMs?: number;
}

/** runLogin's injected output, clock, Playwright loader and abort signal. */
export interface LoginDeps {
  /** Progress lines for the operator. */
  say(line: string): void;
  clock?: Clock;
  loadPlaywright?: () => Promise<PlaywrightModule>;
  signal?: AbortSignal;
}

/** How the login ended. */
export interface LoginResult {
  loggedIn: boolean;
  /** `cookie` (a login cookie appeared), `closed` (the window was closed), `timeout`, `aborted`. */
  ended: 'cookie' | 'closed' | 'timeout' | 'aborted';
  cookies: CookieNote[];
}

/** Opens the browser on the profile, waits for the login, records it; never leaves Chromium running. */
export async function runLogin(o: LoginOptions, deps: LoginDeps): Promise<LoginResult> {
  const clock = deps.clock ?? systemClock;
  const timeoutMs = o.timeoutMs ?? LOGIN_DEFAULTS.timeoutMs;
  const pollMs = o.pollMs ?? LOGIN_DEFAULTS.pollMs;
  const context = await launchContext(
    {
      executablePath: findExecutable(o.executablePath),
      profileDir: o.profileDir,
      headless: o.headless ?? false,
      sandbox: !runningAsRoot(),
      timeoutMs: DOUYIN_BROWSER_DEFAULTS.launchTimeoutMs,
      viewport: { width: 1280, height: 800 },
    },
    deps.loadPlaywright ?? loadPlaywright,
  );
  let closed = false;
  context.once('close', () => (closed = true));
  let seen: CookieNote[] = [];
  const look = async () => {
    if (!closed) seen = loginCookies(await context.cookies().catch(() => []));
    return hasLogin(seen, clock.now());
  };
  let ended: LoginResult['ended'] = 'timeout';
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    // The operator closing the last window ends the wait just like a closed browser.
    page.once('close', () => (closed = context.pages().length === 0 || closed));
    await page
      .goto(o.url ?? LOGIN_DEFAULTS.url, { waitUntil: 'domcontentloaded' })
      .catch((err: unknown) =>
        deps.say(`could not open the page (${err instanceof Error ? err.message.split('\n')[0] : String(err)}); navigate by hand`),
      );
    deps.say(
      'waiting for the login: scan the QR code with the Douyin app (or log in by phone), then leave the window open until this says "saved"',
    );
    const deadline = clock.now() + timeoutMs;
    for (;;) {
      if (deps.signal?.aborted) {
        ended = 'aborted';
        break;
      }
      if (await look()) {
        await sleep(clock, o.settleMs ?? LOGIN_DEFAULTS.settleMs, deps.signal).catch(() => undefined);
        await look();
        ended = 'cookie';
        break;
      }
      if (closed) {
        ended = 'closed';
        break;
      }
      if (clock.now() >= deadline) break;
      await sleep(clock, pollMs, deps.signal).catch(() => undefined);
    }
  } finally {
    // A clean close is what writes the cookie store to disk.
    await context.close().catch(() => undefined);
  }
  await writeLoginMarker(o.profileDir, 'login', seen, clock.now());
  return { loggedIn: hasLogin(seen, clock.now()), ended, cookies: seen };
}
