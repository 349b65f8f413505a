/**
 * A command handler that throws is a counted discard, never an exception out of the socket's
 * 'message' listener (which would end the process); the session goes on.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { expect, test } from 'vitest';
import { WebSocketServer } from 'ws';
import { DiscardReporter } from '../../../adapters/common/discard.js';
import type { Obj } from '../../../adapters/bilibili/json.js';
import { defaultSocketFactory, runSession } from '../../../adapters/bilibili/session.js';
import type { SourceDiscard } from '../../../src/core/source.js';
import { authReply, cmdPacket } from '../../helpers/bilibili/frames.js';
import { ManualClock } from '../../helpers/clock.js';
import { silentLogger } from '../../helpers/logger.js';

test('a throwing onCommand is counted as mapping-error and later commands still arrive', async () => {
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
  const clock = new ManualClock();
  const session = runSession(
    {
      url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/sub`,
      headers: {},
      authBody: '{}',
      socketFactory: defaultSocketFactory,
      clock,
      heartbeatMs: 30_000,
      stallMs: 35_000,
      discards: new DiscardReporter({ platform: 'bilibili', emit: (d) => discards.push(d), logger: silentLogger(), clock }),
      onAuthed: () => undefined,
      onCommand: (cmd: Obj) => {
        seen.push(String(cmd.cmd));
        if (cmd.cmd === 'BOOM') throw new TypeError('mapping bug');
        if (cmd.cmd === 'AFTER') controller.abort();
      },
    },
    controller.signal,
  );
  const { end, authed } = await session;
  server.close();
  expect(end).toEqual({ kind: 'aborted' });
  expect(authed).toBe(true);
  expect(seen).toEqual(['BOOM', 'AFTER']);
  expect(discards).toEqual([{ reason: 'mapping_error', count: 1 }]);
});
