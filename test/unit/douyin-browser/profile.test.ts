import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import {
  describeProfile,
  LOGIN_MARKER_FILE,
  loginCookies,
  profileDirFor,
  writeLoginMarker,
} from '../../../adapters/douyin-browser/profile.js';

const NOW = Date.UTC(2026, 10, 24, 12);
const now = () => NOW;
const DAY_S = 86_400;
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'dyb-profile-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('a missing directory: not there, not logged in, says how to log in', async () => {
  const p = path.join(dir, 'none');
  expect(await describeProfile(p, { now })).toEqual({
    exists: false,
    loggedIn: false,
    detail: `profile ${p} does not exist yet (anonymous: gifts withheld, nicknames masked); run: live-bridge login douyin --profile ${p}`,
  });
});

test('a profile without a marker, or with a corrupt one, is not logged in', async () => {
  expect(await describeProfile(dir, { now })).toMatchObject({
    exists: true,
    loggedIn: false,
    detail: expect.stringContaining('no login record'),
  });
  writeFileSync(path.join(dir, LOGIN_MARKER_FILE), '{"version":1,');
  expect(await describeProfile(dir, { now })).toMatchObject({
    exists: true,
    loggedIn: false,
    detail: expect.stringContaining('unreadable'),
  });
});

test('login cookies are kept by name only (values never), and judged by expiry', async () => {
  const cookies = loginCookies([
    { name: 'sessionid', domain: '.douyin.com', expires: NOW / 1000 + 60 * DAY_S, value: 'SECRET-SESSION' } as never,
    { name: 'sid_guard', domain: '.douyin.com', expires: NOW / 1000 + 60 * DAY_S },
    { name: 'passport_csrf_token', domain: '.douyin.com', expires: NOW / 1000 + 60 * DAY_S },
    { name: 'ttwid', domain: '.douyin.com', expires: NOW / 1000 + 365 * DAY_S },
  ]);
  expect(cookies.map((c) => c.name)).toEqual(['sessionid', 'sid_guard']);
  await writeLoginMarker(dir, 'login', cookies, NOW);
  expect(readFileSync(path.join(dir, LOGIN_MARKER_FILE), 'utf8')).not.toContain('SECRET');
  expect(await describeProfile(dir, { now })).toEqual({
    exists: true,
    loggedIn: true,
    detail: `profile ${dir} is logged in (sessionid, sid_guard; checked 2026-11-24T12:00:00.000Z by login; expires 2027-01-23)`,
  });
  const later = () => NOW + 61 * DAY_S * 1000;
  expect(await describeProfile(dir, { now: later })).toMatchObject({
    loggedIn: false,
    detail: expect.stringContaining('login cookies sessionid, sid_guard expired or session-only'),
  });
});

test('session-only or missing login cookies are not a login', async () => {
  await writeLoginMarker(dir, 'source', [{ name: 'sessionid', domain: '.douyin.com', expires: -1 }], NOW);
  expect((await describeProfile(dir, { now })).loggedIn).toBe(false);
  await writeLoginMarker(dir, 'source', [], NOW);
  expect(await describeProfile(dir, { now })).toMatchObject({
    loggedIn: false,
    detail: expect.stringContaining('(no login cookie; checked 2026-11-24T12:00:00.000Z by source)'),
  });
});

test('profileDirFor: the configured directory, else <state_dir>/browser-profile/<safe source name>', () => {
  mkdirSync(path.join(dir, 'x'));
  expect(profileDirFor({ profile_dir: path.join(dir, 'x') }, '/state', 'douyin-browser:1')).toBe(path.join(dir, 'x'));
  expect(profileDirFor({}, '/state', 'douyin-browser:646454278948')).toBe('/state/browser-profile/douyin-browser_646454278948');
  expect(profileDirFor({}, '/state', 'shop.main-1')).toBe('/state/browser-profile/shop.main-1');
});
