import { expect, test } from 'vitest';
import { DouyinBrowserSourceSchema } from '../../../adapters/douyin-browser/config.js';
import { BASE_ARGS, findExecutable, launchArgs } from '../../../adapters/douyin-browser/launch.js';
import { SourceSchema } from '../../../src/config/sources.js';

test('a minimal douyin-browser source gets every default', () => {
  const c = DouyinBrowserSourceSchema.parse({ platform: 'douyin-browser', room: '646454278948' });
  expect(c).toEqual({
    platform: 'douyin-browser',
    room: '646454278948',
    headless: true,
    urls: {
      room_page: 'https://live.douyin.com/{web_rid}',
      push_pattern: 'webcast/im/push',
      fetch_pattern: 'webcast/im/fetch',
      gift_list_pattern: 'webcast/gift/list',
    },
    block_resource_types: ['image', 'media', 'font'],
    block_url_patterns: ['.flv', '.m3u8'],
    stall_ms: 60_000,
    blocked_retry_ms: 300_000,
    keepalive_ms: 60_000,
    relaunch_base_ms: 2_000,
    relaunch_max_ms: 120_000,
    launch_timeout_ms: 60_000,
    navigation_timeout_ms: 45_000,
    dedupe_size: 4_096,
    extra_args: [],
    gift_names: {},
  });
});

test('the sources union accepts douyin-browser and rejects unknown keys and bad values', () => {
  expect(SourceSchema.parse({ platform: 'douyin-browser', room: '1', headless: false }).platform).toBe('douyin-browser');
  const bad = SourceSchema.safeParse({ platform: 'douyin-browser', room: '1', headles: false });
  expect(bad.success).toBe(false);
  const issues = (r: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) => r.error?.issues.map((i) => i.path.join('.'));
  expect(
    issues(DouyinBrowserSourceSchema.safeParse({ platform: 'douyin-browser', room: '1', urls: { room_page: 'https://live.douyin.com/' } })),
  ).toEqual(['urls.room_page']);
  expect(issues(DouyinBrowserSourceSchema.safeParse({ platform: 'douyin-browser', room: '1', extra_args: ['rm -rf /'] }))).toEqual([
    'extra_args.0',
  ]);
  expect(issues(DouyinBrowserSourceSchema.safeParse({ platform: 'douyin-browser', room: '1', stall_ms: 0 }))).toEqual(['stall_ms']);
});

test('findExecutable takes the configured binary, else the first candidate present, else explains', () => {
  const present = new Set(['/usr/bin/google-chrome', '/opt/chromium']);
  const has = (p: string) => present.has(p);
  expect(findExecutable(undefined, ['/usr/bin/chromium', '/usr/bin/google-chrome'], has)).toBe('/usr/bin/google-chrome');
  expect(findExecutable('/opt/chromium', ['/usr/bin/google-chrome'], has)).toBe('/opt/chromium');
  expect(() => findExecutable('/nope/chrome', ['/usr/bin/google-chrome'], has)).toThrow(
    expect.objectContaining({ code: 'browser_not_found', message: 'executable_path /nope/chrome is not an executable file' }),
  );
  expect(() => findExecutable(undefined, ['/a', '/b'], has)).toThrow(
    expect.objectContaining({ code: 'browser_not_found', message: expect.stringContaining('looked in /a, /b') }),
  );
});

test('launch switches: the fixed set, extra args last (--no-sandbox is chromiumSandbox: false)', () => {
  expect(BASE_ARGS).toEqual(
    expect.arrayContaining([
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-blink-features=AutomationControlled',
      '--autoplay-policy=user-gesture-required',
    ]),
  );
  expect(BASE_ARGS).not.toContain('--no-sandbox');
  expect(launchArgs({})).toEqual([...BASE_ARGS]);
  expect(launchArgs({ extraArgs: ['--proxy-server=http://127.0.0.1:3128'] })).toEqual([
    ...BASE_ARGS,
    '--proxy-server=http://127.0.0.1:3128',
  ]);
});
