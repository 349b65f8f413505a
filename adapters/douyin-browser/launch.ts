/**
 * Starting Chromium: find a system binary (a browser is never downloaded), build the switches,
 * and open a persistent context through playwright-core, which is imported here and only here,
 * lazily, when a browser is actually started.
 */
import { accessSync, constants } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import type { BrowserContext, BrowserType } from 'playwright-core';
import { BridgeError } from '../../src/core/errors.js';

/** Where Chromium-family browsers live on Linux and macOS, in order of preference. */
export const CHROMIUM_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/opt/google/chrome/chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
] as const;

/** The switches every launch gets: quiet, cheap, no background chatter, no automation flag. */
export const BASE_ARGS = [
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-blink-features=AutomationControlled',
  '--autoplay-policy=user-gesture-required',
  '--mute-audio',
  '--disable-dev-shm-usage',
  // A hidden or headless tab must keep its timers: the page's own heartbeats depend on them.
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
  // Cookies encrypted with a fixed key instead of the desktop keyring: a profile made on a
  // desktop then works on a server.
  '--password-store=basic',
  '--use-mock-keychain',
] as const;

/** No usable browser binary. */
export class BrowserNotFoundError extends BridgeError {
  declare readonly code: 'browser_not_found';

  constructor(message: string) {
    super('browser_not_found', message);
  }
}

/** The browser would not start (bad binary, profile locked by another Chromium, timeout). */
export class BrowserLaunchError extends BridgeError {
  declare readonly code: 'browser_launch';

  constructor(message: string, cause?: unknown) {
    super('browser_launch', message, { cause });
  }
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The browser binary: `configured` when given (it must be executable), else the first
 * candidate that exists. Throws BrowserNotFoundError with what to do.
 */
export function findExecutable(
  configured?: string,
  candidates: readonly string[] = CHROMIUM_CANDIDATES,
  isExecutable: (p: string) => boolean = executable,
): string {
  if (configured) {
    if (isExecutable(configured)) return configured;
    throw new BrowserNotFoundError(`executable_path ${configured} is not an executable file`);
  }
  const found = candidates.find(isExecutable);
  if (found) return found;
  throw new BrowserNotFoundError(
    `no Chromium found (looked in ${candidates.join(', ')}): install one (Debian: apt-get install chromium) or set executable_path`,
  );
}

/** True when this process runs as root (Chromium's sandbox refuses to start there). */
export function runningAsRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** What a launch needs. */
export interface LaunchOptions {
  executablePath: string;
  profileDir: string;
  headless: boolean;
  sandbox: boolean;
  userAgent?: string;
  extraArgs?: readonly string[];
  timeoutMs: number;
  viewport: { width: number; height: number };
}

/**
 * The switch list for a launch. `--no-sandbox` is not here: Playwright adds it exactly when
 * `chromiumSandbox` is false (root, or `sandbox: false`).
 */
export function launchArgs(o: Pick<LaunchOptions, 'extraArgs'>): string[] {
  return [...BASE_ARGS, ...(o.extraArgs ?? [])];
}

/** The part of playwright-core we use, loaded on demand. */
export interface PlaywrightModule {
  chromium: BrowserType;
}

/** Imports playwright-core; the only place that does. */
export const loadPlaywright = (): Promise<PlaywrightModule> => import('playwright-core');

/** Opens a persistent context (one Chromium process tree) on `profileDir`. */
export async function launchContext(o: LaunchOptions, load: () => Promise<PlaywrightModule> = loadPlaywright): Promise<BrowserContext> {
  const { chromium } = await load();
  // The profile holds login cookies: only this user may read it.
  await mkdir(o.profileDir, { recursive: true, mode: 0o700 });
  try {
    return await chromium.launchPersistentContext(o.profileDir, {
      executablePath: o.executablePath,
      headless: o.headless,
      chromiumSandbox: o.sandbox,
      args: launchArgs(o),
      // Drops the "controlled by automated software" switch that also sets navigator.webdriver.
      ignoreDefaultArgs: ['--enable-automation'],
      userAgent: o.userAgent,
      viewport: o.viewport,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      timeout: o.timeoutMs,
      // The bridge owns shutdown: it closes the browser itself after flushing.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    const locked = /ProcessSingleton|SingletonLock|profile.*in use/i.test(String(err instanceof Error ? err.message : err));
    throw new BrowserLaunchError(
      locked ? `profile ${o.profileDir} is in use by another Chromium (a running bridge or login?)` : `Chromium did not start: ${message}`,
      err,
    );
  }
}
