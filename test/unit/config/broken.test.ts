import { describe, expect, test } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import { parseConfig } from '../../../src/config/load.js';

/** A minimal valid config; each broken case changes one thing. */
const GOOD = `stream: shop-main
sources:
  - platform: simulate
    room: demo
metastudio:
  project_id: p1
  room_id: r1
  auth:
    type: token
    token: \${HW_TOKEN}
`;
const ENV = { HW_TOKEN: 'tok-123456' };

function problems(text: string, env: NodeJS.ProcessEnv = ENV): string[] {
  try {
    parseConfig(text, 'cfg.yaml', env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return [...(err as ConfigError).problems];
  }
  throw new Error('expected the config to be rejected');
}

test('the base config is valid and fills defaults', () => {
  const { config, secrets } = parseConfig(GOOD, 'cfg.yaml', ENV);
  expect(config.metastudio.job_id).toBe('auto');
  expect(config.metastudio.endpoint).toBe('https://metastudio.cn-north-4.myhuaweicloud.com');
  expect(config.reporter.max_age_ms).toEqual({
    viewers: 5000,
    like: 10000,
    join: 10000,
    comment: 30000,
    follow: 300000,
    subscribe: 300000,
    gift: 300000,
  });
  expect(config.http.listen).toBe('127.0.0.1:9464');
  expect(secrets).toEqual(['tok-123456']);
});

describe('broken configs: each names file:line:col, the key path and what was expected', () => {
  const cases: [string, string, NodeJS.ProcessEnv, string[]][] = [
    [
      'YAML syntax error',
      GOOD.replace('room: demo', 'room: [demo'),
      ENV,
      ['cfg.yaml:5:1: YAML syntax: Flow sequence in block collection must be sufficiently indented and end with a ]'],
    ],
    [
      'tab indentation',
      GOOD.replace('  project_id: p1', '\tproject_id: p1'),
      ENV,
      ['cfg.yaml:6:1: YAML syntax: Tabs are not allowed as indentation (4 more errors follow from it)'],
    ],
    ['not a mapping', '- a\n- b\n', ENV, ['cfg.yaml:1:1: expected a mapping of keys (stream, sources, metastudio, ...) at the top level']],
    [
      'unknown top-level key',
      `${GOOD}reportr:\n  flush_interval_ms: 100\n`,
      ENV,
      [
        'cfg.yaml:11:1: reportr: unknown key (did you mean "reporter"?); allowed here: stream, sources, metastudio, reporter, pipeline, filters, http, log, pacing, state_dir',
      ],
    ],
    [
      'unknown nested key',
      GOOD.replace('    room: demo', '    room: demo\n    rate: 5'),
      ENV,
      [
        'cfg.yaml:5:5: sources[0].rate: unknown key (did you mean "rate_per_second"?); allowed here: name, platform, room, rate_per_second, seed, duration_ms, duplicate_ratio',
      ],
    ],
    [
      'missing required key',
      GOOD.replace('  room_id: r1\n', ''),
      ENV,
      ['cfg.yaml:6:3: metastudio.room_id: invalid input: expected string, received undefined'],
    ],
    [
      'wrong type',
      GOOD.replace('room: demo', 'room: demo\n    rate_per_second: fast'),
      ENV,
      ['cfg.yaml:5:22: sources[0].rate_per_second: invalid input: expected number, received string'],
    ],
    [
      'unknown platform',
      GOOD.replace('platform: simulate', 'platform: vimeo'),
      ENV,
      [
        'cfg.yaml:3:15: sources[0].platform: invalid input: expected one of "simulate", "douyin", "replay", "douyin-browser", "bilibili", "bilibili-open", "youtube", "twitch", "twitch-eventsub" or "tiktok"',
      ],
    ],
    [
      'no sources',
      GOOD.replace(/sources:\n {2}- platform: simulate\n {4}room: demo\n/, 'sources: []\n'),
      ENV,
      ['cfg.yaml:2:10: sources: expected at least one source'],
    ],
    [
      'bad stream name',
      GOOD.replace('shop-main', 'Shop Main'),
      ENV,
      ['cfg.yaml:1:9: stream: lower-case letters, digits, _ and - (at most 63), starting with a letter or digit'],
    ],
    [
      'value out of range',
      `${GOOD}reporter:\n  max_batch_events: 5000\n`,
      ENV,
      ['cfg.yaml:12:21: reporter.max_batch_events: too big: expected number to be <=1000'],
    ],
    [
      'unset environment variable',
      GOOD,
      {},
      [
        "cfg.yaml:10:12: environment variable HW_TOKEN is not set: export it, or put HW_TOKEN=... in the stream's env file (pm2: $LIVE_BRIDGE_ENV_DIR/<stream>.env; systemd: /etc/live-bridge/<stream>.env; Kubernetes: the stream's Secret)",
      ],
    ],
    [
      'required variable with message',
      GOOD.replace('${HW_TOKEN}', '${HW_TOKEN:?create a token with IAM first}'),
      {},
      ['cfg.yaml:10:12: environment variable HW_TOKEN is required: create a token with IAM first'],
    ],
    [
      'malformed variable reference',
      GOOD.replace('${HW_TOKEN}', '${HW-TOKEN}'),
      ENV,
      [
        'cfg.yaml:10:12: malformed variable reference "${HW-TOKEN}" (expected ${NAME}, ${NAME:-default} or ${NAME:?message}; write $$ for a literal $)',
      ],
    ],
    [
      'unknown auth type',
      GOOD.replace('type: token', 'type: oauth'),
      ENV,
      ['cfg.yaml:9:11: metastudio.auth.type: invalid input: expected one of "aksk", "token", "password" or "report_url"'],
    ],
    [
      'duplicate key',
      GOOD.replace('  room_id: r1', '  room_id: r1\n  room_id: r2'),
      ENV,
      ['cfg.yaml:8:3: YAML syntax: Map keys must be unique'],
    ],
    [
      'ops port out of range',
      `${GOOD}http:\n  listen: 127.0.0.1:99999\n`,
      ENV,
      ['cfg.yaml:12:11: http.listen: expected a port up to 65535'],
    ],
    [
      'ops server on a public address without allow_remote',
      `${GOOD}http:\n  listen: 0.0.0.0:9464\n`,
      ENV,
      ['cfg.yaml:12:11: http.listen: 0.0.0.0:9464 is reachable from other hosts; use 127.0.0.1:<port> or set http.allow_remote: true'],
    ],
    [
      'several problems at once, all reported',
      GOOD.replace('room: demo', 'room: ""').replace('project_id: p1', 'project_id: 12'),
      ENV,
      [
        'cfg.yaml:4:11: sources[0].room: too small: expected string to have >=1 characters',
        'cfg.yaml:6:15: metastudio.project_id: invalid input: expected string, received number',
      ],
    ],
  ];
  test.each(cases)('%s', (_label, text, env, expected) => {
    expect(problems(text, env)).toEqual(expected);
  });
});

describe('environment substitution', () => {
  test('defaults, literal $$, and type of a whole-value variable', () => {
    const text = `${GOOD}reporter:\n  max_requests_per_second: \${RPS:-3}\nstate_dir: "/var/lib/$$HOME/\${SUB:-x}"\n`;
    const { config } = parseConfig(text, 'cfg.yaml', ENV);
    expect(config.reporter.max_requests_per_second).toBe(3);
    expect(config.state_dir).toBe('/var/lib/$HOME/x');
  });

  test('substitution happens on parsed scalars: a value full of YAML cannot inject keys', () => {
    const { config } = parseConfig(GOOD, 'cfg.yaml', { HW_TOKEN: 'abc\ttoken: injected}, extra: 1' });
    expect(config.metastudio.auth).toEqual({ type: 'token', token: 'abc\ttoken: injected}, extra: 1' });
  });

  test('a numeric variable stays text where the schema wants a string (ids), and a number where it wants one', () => {
    const text = GOOD.replace('project_id: p1', 'project_id: ${PROJECT}').replace('room: demo', 'room: demo\n    rate_per_second: ${RATE}');
    const { config } = parseConfig(text, 'cfg.yaml', { ...ENV, PROJECT: '007123456789', RATE: '5' });
    expect(config.metastudio.project_id).toBe('007123456789');
    expect(config.sources[0]).toMatchObject({ rate_per_second: 5 });
  });

  test('numeric ids from the environment stay strings inside unions too (a Bilibili room and uid)', () => {
    const text = GOOD.replace('platform: simulate\n    room: demo', 'platform: bilibili\n    room: ${ROOM}\n    uid: ${UID}');
    const { config } = parseConfig(text, 'cfg.yaml', { ...ENV, ROOM: '21452505', UID: '12345678' });
    expect(config.sources[0]).toMatchObject({ platform: 'bilibili', room: '21452505', uid: '12345678' });
  });

  test('a public ops address is valid with allow_remote', () => {
    const { config } = parseConfig(`${GOOD}http:\n  listen: 0.0.0.0:9464\n  allow_remote: true\n`, 'cfg.yaml', ENV);
    expect(config.http).toEqual({ listen: '0.0.0.0:9464', allow_remote: true });
  });

  test('a substituted value with a newline is refused', () => {
    expect(problems(GOOD, { HW_TOKEN: 'a\nb' })).toEqual(['cfg.yaml:10:12: a substituted value contains a newline, which is not allowed']);
  });
});

test('secrets: each value inside a cookie is registered on its own, short ones are not', () => {
  const text = `${GOOD.replace('    room: demo', '    room: demo')}`.replace(
    'sources:\n  - platform: simulate\n    room: demo',
    'sources:\n  - platform: bilibili\n    room: "21452505"\n    cookie: ${BILI_COOKIE}',
  );
  const { secrets } = parseConfig(text, 'cfg.yaml', {
    ...ENV,
    BILI_COOKIE: 'buvid3=ab; SESSDATA=0f1e2d3c%2C1790000000%2Cabcd; bili_jct=9a8b7c6d5e4f3a2b',
  });
  expect(secrets).toEqual([
    'buvid3=ab; SESSDATA=0f1e2d3c%2C1790000000%2Cabcd; bili_jct=9a8b7c6d5e4f3a2b',
    '0f1e2d3c%2C1790000000%2Cabcd',
    '9a8b7c6d5e4f3a2b',
    'tok-123456',
  ]);
});
