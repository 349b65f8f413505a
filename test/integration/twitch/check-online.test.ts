/**
 * `live-bridge check --online` for both Twitch sources against the fakes. Chat: the probe logs
 * in (anonymously or with the token) and joins as the source would, then leaves with 1000.
 * EventSub: /oauth2/validate (valid, a user token, this client id, the scopes the events need),
 * the source's own /users lookups and /streams; no socket is opened and no subscription made.
 * Each fault is one line; no secret appears in the output.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli } from '../../helpers/cli.js';
import { refusedPort } from '../../helpers/ports.js';
import { FakeTwitchApi } from '../../helpers/twitch/fake-eventsub.js';
import { FakeIrc } from '../../helpers/twitch/fake-irc.js';
import { CHANNEL } from '../../helpers/twitch/scenario.js';

const undo: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of undo.splice(0).reverse()) await step();
});

const CLIENT_ID = 'probe-client-id-secret';
const QUIET = { id: '88', login: 'quietchan', displayName: 'QuietChan' };
const MOD = { id: '500', login: 'modbot', displayName: 'ModBot' };
const ENV = {
  TW_CLIENT: CLIENT_ID,
  TOK_GOOD: 'tok-good-secret-1',
  TOK_NOSCOPE: 'tok-noscope-secret-2',
  TOK_OTHER: 'tok-other-secret-3',
  TOK_APP: 'tok-app-secret-4',
  TOK_MOD: 'tok-mod-secret-5',
  TOK_DEAD: 'tok-dead-secret-6',
  CHAT_TOKEN: 'chat-tok-secret-7',
  CHAT_BAD: 'chat-bad-secret-8',
};

async function fakes() {
  const irc = new FakeIrc({ channels: [{ login: CHANNEL.login, roomId: CHANNEL.roomId }], tokens: { [ENV.CHAT_TOKEN]: 'mybot' } });
  await irc.listen();
  undo.push(() => irc.close());
  const followers = 'moderator:read:followers';
  const api = new FakeTwitchApi({
    clientId: CLIENT_ID,
    tokens: {
      [ENV.TOK_GOOD]: { userId: CHANNEL.roomId, scopes: [followers, 'bits:read'] },
      [ENV.TOK_NOSCOPE]: { userId: CHANNEL.roomId, scopes: ['bits:read'] },
      [ENV.TOK_OTHER]: { userId: CHANNEL.roomId, scopes: [followers], clientId: 'another-application' },
      [ENV.TOK_APP]: { userId: '', scopes: [], app: true },
      [ENV.TOK_MOD]: { userId: MOD.id, scopes: [followers], expiresIn: 0 },
    },
    users: [{ id: CHANNEL.roomId, login: CHANNEL.login, displayName: CHANNEL.displayName }, QUIET, MOD],
    moderators: { [CHANNEL.roomId]: [MOD.id] },
    streams: { [CHANNEL.roomId]: { id: 'st-1', viewerCount: 321, title: '深夜 coding' } },
  });
  await api.listen();
  undo.push(() => api.close());
  return { irc, api };
}

function chatSection(name: string, channel: string, irc: string, extra: string[] = []): string[] {
  return [`- platform: twitch`, `  name: ${name}`, `  channel: ${channel}`, ...extra.map((l) => `  ${l}`), '  urls:', `    irc: ${irc}`];
}

function esSection(name: string, channel: string, token: string, urls: Record<string, string>, extra: string[] = []): string[] {
  return [
    '- platform: twitch-eventsub',
    `  name: ${name}`,
    `  channel: ${channel}`,
    '  client_id: ${TW_CLIENT}',
    `  token: \${${token}}`,
    ...extra.map((l) => `  ${l}`),
    '  urls:',
    ...Object.entries(urls).map(([k, v]) => `    ${k}: ${v}`),
  ];
}

async function writeConfig(sources: string[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'twitch-online-'));
  undo.push(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'twitch.yaml');
  const text = [
    'stream: twitch-online',
    'sources:',
    ...sources.map((l) => `  ${l}`),
    'metastudio:',
    '  project_id: p',
    '  room_id: r',
    '  job_id: j',
    '  dry_run: true',
    '',
  ].join('\n');
  await writeFile(file, text);
  return file;
}

/** The output's lines about sources, without the file name. */
function sourceLines(stdout: string, file: string): string[] {
  return stdout
    .trimEnd()
    .split('\n')
    .map((l) => l.slice(file.length + 2))
    .filter((l) => / source /.test(l));
}

describe('check --online (twitch)', () => {
  it('a healthy chat and EventSub source: joined, token valid with its scopes, stream live; nothing subscribed, exit 0', async () => {
    const { irc, api } = await fakes();
    const file = await writeConfig([
      ...chatSection('chat-anon', CHANNEL.login, irc.url),
      ...chatSection('chat-bot', `https://www.twitch.tv/${CHANNEL.login}`, irc.url, ['nick: mybot', 'token: ${CHAT_TOKEN}']),
      ...esSection('es-good', CHANNEL.login, 'TOK_GOOD', api.urls()),
      ...esSection('es-mod', CHANNEL.login, 'TOK_MOD', api.urls()),
      ...esSection('es-quiet', QUIET.login, 'TOK_GOOD', api.urls(), ['events: [stream]']),
    ]);
    const r = await cli(['check', '--online', file], { env: ENV });
    expect(r.stderr).toBe('warning: metastudio.dry_run is true: requests are printed, not sent\n');
    expect(sourceLines(r.stdout, file)).toEqual([
      `ok source chat-anon: live: chat of #somechan joined anonymously (room id ${CHANNEL.roomId})`,
      `ok source chat-bot: live: chat of #somechan joined as mybot (room id ${CHANNEL.roomId})`,
      `ok source es-good: live: channel somechan (user id ${CHANNEL.roomId}) "深夜 coding", 321 viewers; ` +
        'token of somechan valid for follow, stream (scopes moderator:read:followers), expires in 4 h',
      `ok source es-mod: live: channel somechan (user id ${CHANNEL.roomId}) "深夜 coding", 321 viewers; ` +
        'token of modbot valid for follow, stream (scopes moderator:read:followers), does not expire; follows need modbot to moderate somechan',
      `warn source es-quiet: room offline: channel quietchan (user id ${QUIET.id}) is not live; ` +
        'token of somechan valid for stream (no scope needed), expires in 4 h (the bridge waits for the broadcast)',
    ]);
    expect(r.code).toBe(0);

    // Chat: each probe logged in, joined once and closed cleanly; nothing else was sent.
    expect(irc.connections.map((c) => ({ joined: c.joined, code: c.closeCode, by: c.closedBy }))).toEqual([
      { joined: ['somechan'], code: 1000, by: 'client' },
      { joined: ['somechan'], code: 1000, by: 'client' },
    ]);
    expect(irc.connections[0]!.lines).toEqual([
      'CAP REQ :twitch.tv/tags twitch.tv/commands',
      'PASS SCHMOOPIIE',
      expect.stringMatching(/^NICK justinfan\d{5}$/),
      'JOIN #somechan',
    ]);
    expect(irc.connections[1]!.lines.slice(1, 3)).toEqual([`PASS oauth:${ENV.CHAT_TOKEN}`, 'NICK mybot']);

    // EventSub: no socket, no subscription; exactly these HTTP calls, the token on each.
    expect(api.connections).toEqual([]);
    expect(api.subscriptions).toEqual([]);
    const round = (token: string, channelId: string, login: string) => [
      `GET /oauth2/validate 200 OAuth ${token}`,
      `GET /users?login=${login} 200 Bearer ${token}`,
      `GET /users 200 Bearer ${token}`,
      `GET /streams?user_id=${channelId} 200 Bearer ${token}`,
    ];
    expect(
      api.requests.map(
        (q) => `${q.method} ${q.path}${q.query.size > 0 ? `?${q.query.toString()}` : ''} ${q.status} ${q.headers.authorization}`,
      ),
    ).toEqual([
      ...round(ENV.TOK_GOOD, CHANNEL.roomId, CHANNEL.login),
      ...round(ENV.TOK_MOD, CHANNEL.roomId, CHANNEL.login),
      ...round(ENV.TOK_GOOD, QUIET.id, QUIET.login),
    ]);
    expect(api.requests.filter((q) => q.path !== '/oauth2/validate').every((q) => q.headers['client-id'] === CLIENT_ID)).toBe(true);
    for (const secret of Object.values(ENV)) expect(r.stdout).not.toContain(secret);
  });

  it('every fault is one line: unknown channel, refused chat token, unreachable chat, bad token, missing scope, other client id, app token; exit 1', async () => {
    const { irc, api } = await fakes();
    const closed = `ws://127.0.0.1:${await refusedPort()}`;
    const file = await writeConfig([
      ...chatSection('chat-unknown', 'nosuchchan', irc.url),
      ...chatSection('chat-refused', CHANNEL.login, irc.url, ['nick: mybot', 'token: ${CHAT_BAD}']),
      ...chatSection('chat-down', CHANNEL.login, closed),
      ...esSection('es-dead', CHANNEL.login, 'TOK_DEAD', api.urls()),
      ...esSection('es-noscope', CHANNEL.login, 'TOK_NOSCOPE', api.urls()),
      ...esSection('es-other', CHANNEL.login, 'TOK_OTHER', api.urls()),
      ...esSection('es-app', CHANNEL.login, 'TOK_APP', api.urls()),
      ...esSection('es-unknown', 'nosuchchan', 'TOK_GOOD', api.urls()),
    ]);
    const r = await cli(['check', '--online', file], { env: ENV });
    expect(sourceLines(r.stdout, file)).toEqual([
      'FAIL source chat-unknown: room not found: #nosuchchan: the channel is suspended or does not exist (msg_channel_suspended)',
      'FAIL source chat-refused: blocked: #somechan: twitch refused the chat token (Login authentication failed)',
      expect.stringMatching(/^FAIL source chat-down: .*twitch chat: cannot reach ws:\/\/127\.0\.0\.1:\d+: .*refused/i),
      'FAIL source es-dead: blocked: the token is invalid or expired: twitch helix: oauth2 validate answered HTTP 401: invalid access token',
      'FAIL source es-noscope: blocked: the token of somechan lacks moderator:read:followers (needed for events: follow); ' +
        'authorize the application again with these scopes (docs/platforms/twitch.md)',
      'FAIL source es-other: blocked: the token was issued to another application than client_id (Helix would answer 401)',
      'FAIL source es-app: blocked: the token is an app access token; EventSub over WebSocket needs a user access token (docs/platforms/twitch.md)',
      'FAIL source es-unknown: room not found: no twitch user has the login nosuchchan',
    ]);
    expect(r.code).toBe(1);
    // A token that failed validation is never used against Helix; an unknown login ends the lookup.
    expect(api.requests.filter((q) => q.path !== '/oauth2/validate').map((q) => `${q.path} ${q.headers.authorization}`)).toEqual([
      `/users Bearer ${ENV.TOK_GOOD}`,
    ]);
    expect(api.connections).toEqual([]);
    for (const secret of Object.values(ENV)) expect(r.stdout + r.stderr).not.toContain(secret);
  });
});
