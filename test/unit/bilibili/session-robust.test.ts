/**
 * A command handler that throws is a counted discard, never an exception out of the socket's
 * 'message' listener (which would end the process); the frame's later commands still arrive.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { expect, test } from 'vitest';
import { WebSocketServer } from 'ws';
import { danmakuProtocol } from '../../../adapters/bilibili/danmaku.js';
import type { Obj } from '../../../adapters/bilibili/json.js';
import { SourceShell } from '../../../adapters/kit/shell.js';
import { runSocketSession } from '../../../adapters/kit/socket-session.js';
import type { SourceDiscard } from '../../../src/core/source.js';
import { authReply, cmdPacket } from '../../helpers/bilibili/frames.js';
import { ManualClock } from '../../helpers/clock.js';
import { silentLogger } from '../../helpers/logger.js';

test('a throwing onCommand is counted as handler_error and later commands still arrive', async () => {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(server, 'listening');
  server.on('connection', (ws) => {
    ws.once('message', () => {
      ws.send(authReply(0));
      ws.send(Buffer.concat([cmdPacket('{"cmd":"BOOM"}'), cmdPacket('{"cmd":"AFTER"}')]));
    });
  });
  const discards: SourceDiscard[] = [];
  const seen: string[] = [];
  const controller = new AbortController();
  const shell = new SourceShell({
    identity: { platform: 'bilibili', room: '1', name: 'bilibili:1' },
    deps: { logger: silentLogger(), clock: new ManualClock(), stateDir: '/nonexistent' },
  });
  shell.on('discard', (d) => discards.push(d));
  let authed = false;
  const protocol = danmakuProtocol(shell, {
    authBody: '{}',
    heartbeatMs: 30_000,
    onAuthed: () => (authed = true),
    onCommand: (cmd: Obj) => {
      seen.push(String(cmd.cmd));
      if (cmd.cmd === 'BOOM') throw new TypeError('mapping bug');
      if (cmd.cmd === 'AFTER') controller.abort();
    },
  });
  const { end, healthy } = await runSocketSession(
    shell,
    { url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/sub`, stallMs: 35_000, protocol },
    controller.signal,
  );
  server.close();
  expect(end).toEqual({ kind: 'aborted' });
  expect([authed, healthy]).toEqual([true, true]);
  expect(seen).toEqual(['BOOM', 'AFTER']);
  expect(discards).toEqual([{ reason: 'handler_error', count: 1 }]);
});
