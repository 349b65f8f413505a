/**
 * A platform is added by registering its plugin, and nothing under src/ changes: a test-only
 * platform (`echo`, IRC-like text frames over a WebSocket, built from the kit alone) is
 * registered here, in the test, and goes through `check` (schema, its secret masked, its own
 * warning) and `run` (the kit's lifecycle and socket session, the pipeline, the reporter, AK/SK
 * into the MetaStudio emulator). The built-in registry never sees it.
 */
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { WebSocketServer } from 'ws';
import { z } from 'zod';
import { follow } from '../../../adapters/kit/lifecycle.js';
import { definePlugin, sourceIdentity, type KitDeps } from '../../../adapters/kit/plugin.js';
import { routeFor } from '../../../adapters/kit/routes.js';
import { SourceShell } from '../../../adapters/kit/shell.js';
import { runSocketSession } from '../../../adapters/kit/socket-session.js';
import { registry } from '../../../adapters/registry.js';
import { SourceBaseShape } from '../../../src/config/sections/source-base.js';
import type { BridgeEvent } from '../../../src/core/events.js';
import type { Source } from '../../../src/core/source.js';
import { DEMO, demoEmulatorConfig, startEmulator } from '../../../src/metastudio/emulator/index.js';
import { cli } from '../../helpers/cli.js';
import { waitFor } from '../../helpers/wait.js';

const EchoSchema = z.strictObject({
  ...SourceBaseShape,
  platform: z.literal('echo'),
  channel: z.string().min(1),
  /** A channel key: secret only because the plugin says so (the key name does not). */
  channel_key: z.string().min(1),
  url: z.url({ protocol: /^wss?$/ }),
});
type EchoConfig = z.infer<typeof EchoSchema>;

/** `{"type":"chat",...}` lines → events, as a route table. */
const ROUTES = {
  chat: (m: Record<string, string>, source: string): BridgeEvent => ({
    id: `echo:${m.id}`,
    platform: 'echo',
    source,
    ts: Date.now(),
    kind: 'comment',
    user: { id: m.user ?? '0', name: m.name ?? '', level: 0, badge: '', badgeLevel: 0 },
    text: m.text ?? '',
  }),
  bye: () => 'ended' as const,
};

function createEcho(config: EchoConfig, deps: KitDeps): Source {
  const shell = new SourceShell({ identity: sourceIdentity(echoPlugin, config), deps });
  const connector = {
    resolve: async () => ({ kind: 'live' as const, target: config.url }),
    connect: (url: string, signal: AbortSignal) =>
      runSocketSession(
        shell,
        {
          url,
          stallMs: 30_000,
          protocol: {
            onOpen: (io) => {
              io.send(`JOIN ${config.channel} ${config.channel_key}`);
              shell.setState({ state: 'live', roomId: config.channel });
            },
            onFrame: (frame, io) => {
              if (frame.type !== 'text') return shell.discard('binary_frame', frame.bytes);
              io.healthy();
              const message = JSON.parse(frame.text) as Record<string, string>;
              const route = routeFor(ROUTES, message.type ?? '');
              const out = route?.(message, shell.name);
              if (out === 'ended') io.end({ kind: 'ended', reason: 'the channel said bye' });
              else if (out) shell.event(out);
            },
          },
        },
        signal,
      ),
  };
  const policy = { backoff: { baseMs: 100, maxMs: 1_000 }, slowRetryMs: 1_000, pollMs: 1_000, recheckAfterFailures: 3 };
  return shell.runs((signal) => follow(shell, connector, policy, signal));
}

const echoPlugin = definePlugin({
  platform: 'echo',
  schema: EchoSchema,
  room: (config) => config.channel,
  secretKeys: ['channel_key'],
  check: (config) => (config.channel.startsWith('#') ? [] : [`channel "${config.channel}" has no leading #; echo channels usually do`]),
  load: async () => ({ create: createEcho }),
});

const undo: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of undo.splice(0).reverse()) await step();
});

test('a plugin registered in the test runs through check and run without touching src/', async () => {
  // The echo server: expects JOIN with the key, then sends a welcome, one chat line and later bye.
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(wss, 'listening');
  undo.push(() => new Promise((r) => wss.close(r)));
  const joins: string[] = [];
  const closes: number[] = [];
  wss.on('connection', (ws) => {
    ws.on('close', (code) => closes.push(code));
    ws.once('message', (data) => {
      joins.push(String(data));
      ws.send(JSON.stringify({ type: 'welcome' }));
      ws.send(JSON.stringify({ type: 'chat', id: 'm1', user: '42', name: 'Ann', text: 'hello from echo' }));
    });
  });
  const emulator = await startEmulator({ config: demoEmulatorConfig() });
  undo.push(() => emulator.close());
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lb-plugin-'));
  undo.push(() => rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'echo.yaml');
  await writeFile(
    file,
    [
      'stream: echo-test',
      'sources:',
      '  - platform: echo',
      '    channel: lobby',
      '    channel_key: ${ECHO_KEY}',
      `    url: ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`,
      'metastudio:',
      `  endpoint: ${emulator.url}`,
      `  project_id: ${DEMO.projectId}`,
      `  room_id: ${DEMO.roomId}`,
      `  job_id: ${DEMO.jobId}`,
      '  auth: { type: aksk, ak: "${HW_AK}", sk: "${HW_SK}" }',
      'reporter:',
      '  flush_interval_ms: 50',
      'http:',
      '  listen: false',
      `state_dir: ${dir}/state`,
      'log:',
      '  level: info',
      '  format: json',
      '',
    ].join('\n'),
  );
  const env = { ECHO_KEY: 'echo-channel-key-5f2c', HW_AK: DEMO.ak, HW_SK: DEMO.sk };

  const withEcho = registry.with(echoPlugin);
  const unknown = await cli(['check', file], { env });
  expect(unknown.code).toBe(78);
  expect(unknown.stderr).toContain('sources[0].platform');

  const checked = await cli(['check', file], { env, registry: withEcho });
  expect(checked.code).toBe(0);
  expect(checked.stdout).toContain('platform: echo');
  expect(checked.stdout).toContain('channel_key: "***"');
  expect(checked.stdout).not.toContain('echo-channel-key-5f2c');
  expect(checked.stderr).toContain('warning: source "echo:lobby": channel "lobby" has no leading #; echo channels usually do\n');

  const stop = new AbortController();
  const running = cli(['run', file], { env, signal: stop.signal, registry: withEcho });
  await waitFor(() => emulator.accepted().length === 1, 'the comment at the emulator', 10_000);
  expect(emulator.accepted().map((a) => a.event)).toEqual([
    expect.objectContaining({ type: 1, content: expect.stringContaining('hello from echo') }),
  ]);
  expect(joins).toEqual(['JOIN lobby echo-channel-key-5f2c']);
  stop.abort();
  const ran = await running;
  expect(ran.code).toBe(0);
  expect(closes).toEqual([1000]);
  // The channel key reached the server, never the log.
  expect(ran.stdout).toContain('"source":"echo:lobby"');
  expect(ran.stdout).not.toContain('echo-channel-key-5f2c');
});
