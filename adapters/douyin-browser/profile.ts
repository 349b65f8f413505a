/**
 * Whether a browser profile holds a Douyin login, answered cheaply without reading Chromium's
 * encrypted SQLite cookie store: `live-bridge login` and every browser-source launch write a
 * marker file (cookie names and expiry times, never values) into the profile directory.
 */
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

/**
 * Cookies Douyin's passport sets on login (and not for anonymous visitors). `passport_csrf_token`
 * is deliberately absent: anonymous visitors get it too.
 */
export const LOGIN_COOKIE_NAMES = ['sessionid', 'sessionid_ss', 'sid_tt', 'sid_guard', 'uid_tt'] as const;

/** The marker's file name inside the profile directory. */
export const LOGIN_MARKER_FILE = 'live-bridge-login.json';

const CookieNoteSchema = z.strictObject({
  name: z.string(),
  domain: z.string(),
  /** Seconds since the epoch; -1 for a session cookie (gone when the browser closes). */
  expires: z.number(),
});
/** A login cookie's name, domain and expiry, never its value. */
export type CookieNote = z.infer<typeof CookieNoteSchema>;

const MarkerSchema = z.strictObject({
  version: z.literal(1),
  /** When the cookies were last looked at (ISO time). */
  checked_at: z.string(),
  /** Who looked: `login` (the operator's login) or `source` (a browser source's launch). */
  by: z.enum(['login', 'source']),
  /** The login cookies seen, names and expiry only. */
  cookies: z.array(CookieNoteSchema),
});
/** The marker file's content: who last looked at the profile's login cookies, and when. */
export type LoginMarker = z.infer<typeof MarkerSchema>;

/** The shape of a cookie as Playwright returns it (the fields we read). */
export interface CookieLike {
  name: string;
  domain: string;
  expires: number;
}

/** The login cookies among `cookies`, values dropped. */
export function loginCookies(cookies: readonly CookieLike[]): CookieNote[] {
  const names: readonly string[] = LOGIN_COOKIE_NAMES;
  return cookies.filter((c) => names.includes(c.name)).map((c) => ({ name: c.name, domain: c.domain, expires: c.expires }));
}

/** True when a login cookie survives a browser restart (persistent and not expired) at `nowMs`. */
export function hasLogin(cookies: readonly CookieNote[], nowMs: number): boolean {
  return cookies.some((c) => (c.name === 'sessionid' || c.name === 'sessionid_ss' || c.name === 'sid_tt') && c.expires > nowMs / 1000);
}

/** Writes the marker atomically (temp file + rename) so a reader never sees half a file. */
export async function writeLoginMarker(
  profileDir: string,
  by: LoginMarker['by'],
  cookies: readonly CookieNote[],
  nowMs: number,
): Promise<void> {
  const marker: LoginMarker = { version: 1, checked_at: new Date(nowMs).toISOString(), by, cookies: [...cookies] };
  await mkdir(profileDir, { recursive: true });
  const file = path.join(profileDir, LOGIN_MARKER_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(marker, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, file);
}

/**
 * The profile directory of a browser source: `profile_dir` when configured, else
 * `<stateDir>/browser-profile/<source name>` (characters unsafe in a file name become `_`).
 * `check` uses it to find the profile it describes.
 */
export function profileDirFor(config: { profile_dir?: string | undefined }, stateDir: string, name: string): string {
  if (config.profile_dir) return path.resolve(config.profile_dir);
  return path.resolve(stateDir, 'browser-profile', name.replace(/[^A-Za-z0-9_.-]/g, '_'));
}

/** What {@link describeProfile} says about a profile directory. */
export interface ProfileDescription {
  /** The directory exists. */
  exists: boolean;
  /** A persistent, unexpired Douyin login cookie was seen the last time anyone looked. */
  loggedIn: boolean;
  /** One line for the operator: what was found and what to do. */
  detail: string;
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

async function readMarker(profileDir: string): Promise<LoginMarker | 'missing' | 'corrupt'> {
  let text: string;
  try {
    text = await readFile(path.join(profileDir, LOGIN_MARKER_FILE), 'utf8');
  } catch {
    return 'missing';
  }
  try {
    const parsed = MarkerSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : 'corrupt';
  } catch {
    return 'corrupt';
  }
}

function day(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 10);
}

/**
 * Describes a browser profile for `check`: does it exist, does it hold a Douyin login. Reads
 * only the marker file; never throws (an unreadable profile is described as such).
 */
export async function describeProfile(dir: string, options: { now?: () => number } = {}): Promise<ProfileDescription> {
  const nowMs = (options.now ?? Date.now)();
  const howTo = `run: live-bridge login douyin --profile ${dir}`;
  if (!(await isDirectory(dir)))
    return {
      exists: false,
      loggedIn: false,
      detail: `profile ${dir} does not exist yet (anonymous: gifts withheld, nicknames masked); ${howTo}`,
    };
  const marker = await readMarker(dir);
  if (marker === 'missing')
    return { exists: true, loggedIn: false, detail: `profile ${dir} has no login record (never logged in through live-bridge); ${howTo}` };
  if (marker === 'corrupt')
    return { exists: true, loggedIn: false, detail: `profile ${dir}: ${LOGIN_MARKER_FILE} is unreadable; ${howTo}` };
  const names = [...new Set(marker.cookies.map((c) => c.name))].join(', ');
  if (hasLogin(marker.cookies, nowMs)) {
    const expiry = Math.max(...marker.cookies.filter((c) => c.expires > 0).map((c) => c.expires));
    return {
      exists: true,
      loggedIn: true,
      detail: `profile ${dir} is logged in (${names}; checked ${marker.checked_at} by ${marker.by}; expires ${day(expiry)})`,
    };
  }
  const why = marker.cookies.length === 0 ? 'no login cookie' : `login cookies ${names} expired or session-only`;
  return {
    exists: true,
    loggedIn: false,
    detail: `profile ${dir} is not logged in (${why}; checked ${marker.checked_at} by ${marker.by}); ${howTo}`,
  };
}
