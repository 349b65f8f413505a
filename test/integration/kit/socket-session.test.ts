/**
 * The kit's socket session against real sockets on 127.0.0.1: frames on open, a heartbeat set by
 * the server at runtime, text and binary frames (each one recorded), refused handshakes with
 * their status and headers, server close codes mapped by the protocol, a throwing handler
 * counted, the stall watchdog, and the clean close: 1000 and a reason, with the socket
 * terminated only when the close handshake times out.
 */
import { once } from 'node:events';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import type { RawFrame } from '../../../adapters/kit/capture.js';
import { SourceShell } from '../../../adapters/kit/shell.js';
import { openSocketSession, runSocketSession, type SocketProtocol } from '../../../adapters/kit/socket-session.js';
import type { SourceDiscard } from '../../../src/core/source.js';
import { ManualClock } from '../../helpers/clock.js';
import { captureLogger } from '../../helpers/logger.js';
import { waitFor } from '../../helpers/wait.js';

const undo: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const step of undo.splice(0).reverse()) await step();
});

interface Peer {
  ws: WebSocket;
  received: (string | Buffer)[];
  close?: { code: number; reason: string };
}

async function server(onConnection: (peer: Peer) => void = () => undefined): Promise<{ url: string; peers: Peer[] }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(wss, 'listening');
  undo.push(() => {
    for (const c of wss.clients) c.terminate();
    return new Promise((r) => wss.close(r));
  });
  const peers: Peer[] = [];
  wss.on('connection', (ws) => {
    const peer: Peer = { ws, received: [] };
    peers.push(peer);
    ws.on('message', (data, binary) => peer.received.push(binary ? (data as Buffer) : String(data)));
    ws.on('close', (code, reason) => (peer.close = { code, reason: String(reason) }));
    onConnection(peer);
  });
  return { url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`, peers };
}

function shell() {
  const clock = new ManualClock();
  const { logger, entries } = captureLogger();
  const recorded: RawFrame[] = [];
  const discards: SourceDiscard[] = [];
  const s = new SourceShell({
    identity: { platform: 'test', room: 'r', name: 'test:r' },
    deps: { logger, clock, stateDir: '/nonexistent', recorder: (_p, f) => recorded.push(f) },
  });
  s.on('discard', (d) => discards.push(d));
  return { shell: s, clock, recorded, discards, logs: entries };
}

describe('the socket session', () => {
  it('sends on open, beats at the interval the server sets at runtime, and hands over text and binary frames', async () => {
    const { url, peers } = await server((peer) => {
      peer.ws.send('hello');
      peer.ws.send(Buffer.from([1, 2, 3]));
    });
    const t = shell();
    const frames: RawFrame[] = [];
    const protocol: SocketProtocol = {
      heartbeat: { frame: () => 'hb', intervalMs: 10_000, onOpen: true },
      onOpen: (io) => io.send('AUTH'),
      onFrame: (frame, io) => {
        frames.push(frame);
        if (frame.type === 'binary') io.setHeartbeatInterval(3_000);
      },
    };
    const controller = new AbortController();
    const done = runSocketSession(t.shell, { url, stallMs: 60_000, protocol }, controller.signal);
    await waitFor(() => frames.length === 2, 'both frames');
    expect(frames).toEqual([
      { type: 'text', text: 'hello' },
      { type: 'binary', bytes: Buffer.from([1, 2, 3]) },
    ]);
    expect(t.recorded).toEqual(frames);
    await waitFor(() => peers[0]!.received.length === 2, 'AUTH and the first beat');
    expect(peers[0]!.received).toEqual(['AUTH', 'hb']);
    // The beat in flight was scheduled at 10 s; every one after it at the server's 3 s.
    t.clock.advance(10_000);
    t.clock.advance(3_000);
    t.clock.advance(3_000);
    await waitFor(() => peers[0]!.received.length === 5, 'three more beats');
    controller.abort();
    const result = await done;
    expect(result).toEqual({ end: { kind: 'aborted' }, healthy: false, frames: 2 });
    await waitFor(() => peers[0]!.close, 'the close');
    expect(peers[0]!.close).toEqual({ code: 1000, reason: 'source stopped' });
  });

  it('closes with 1000 and the reason when the protocol ends the session', async () => {
    const { url, peers } = await server((peer) => peer.ws.send('bye'));
    const t = shell();
    const result = await runSocketSession(
      t.shell,
      {
        url,
        stallMs: 60_000,
        protocol: {
          onFrame: (_f, io) => {
            io.healthy();
            io.end({ kind: 'ended', reason: 'the broadcast ended' });
          },
        },
      },
      new AbortController().signal,
    );
    expect(result).toEqual({ end: { kind: 'ended', reason: 'the broadcast ended' }, healthy: true, frames: 1 });
    await waitFor(() => peers[0]!.close, 'the close');
    expect(peers[0]!.close).toEqual({ code: 1000, reason: 'the broadcast ended' });
  });

  it('gives the refused handshake status and headers to the protocol', async () => {
    const http: Server = createServer();
    http.on('upgrade', (_req, socket: Socket) => {
      socket.end('HTTP/1.1 200 OK\r\nHandshake-Msg: illegal secret key\r\nHandshake-Status: 415\r\nContent-Length: 0\r\n\r\n');
    });
    http.listen(0, '127.0.0.1');
    await once(http, 'listening');
    undo.push(() => new Promise((r) => http.close(r)));
    const t = shell();
    const seen: unknown[] = [];
    const result = await runSocketSession(
      t.shell,
      {
        url: `ws://127.0.0.1:${(http.address() as AddressInfo).port}/`,
        stallMs: 60_000,
        protocol: {
          onFrame: () => undefined,
          onUnexpectedResponse: (answer) => {
            seen.push(answer.status, answer.headers['handshake-msg'], answer.headers['handshake-status']);
            return { kind: 'blocked', reason: String(answer.headers['handshake-msg']) };
          },
        },
      },
      new AbortController().signal,
    );
    expect(seen).toEqual([200, 'illegal secret key', '415']);
    expect(result.end).toEqual({ kind: 'blocked', reason: 'illegal secret key' });
  });

  it('maps a server close code through the protocol, and counts a throwing handler', async () => {
    const { url } = await server((peer) => {
      peer.ws.send('boom');
      peer.ws.send('fine');
      setTimeout(() => peer.ws.close(4003, 'connection unused'), 20);
    });
    const t = shell();
    const got: string[] = [];
    const result = await runSocketSession(
      t.shell,
      {
        url,
        stallMs: 60_000,
        protocol: {
          onFrame: (f) => {
            if (f.type === 'text' && f.text === 'boom') throw new TypeError('handler bug');
            if (f.type === 'text') got.push(f.text);
          },
          onClose: (code, reason) => (code === 4003 ? { kind: 'restart', reason, code } : undefined),
        },
      },
      new AbortController().signal,
    );
    expect(result.end).toEqual({ kind: 'restart', reason: 'connection unused', code: 4003 });
    expect(got).toEqual(['fine']);
    expect(t.discards).toEqual([{ reason: 'handler_error', count: 1 }]);
  });

  it('ends a silent session as a stall at the timeout the protocol set, terminating the socket', async () => {
    const { url, peers } = await server();
    const t = shell();
    const session = openSocketSession(
      t.shell,
      { url, stallMs: 60_000, protocol: { onOpen: (io) => io.setStallTimeout(10_000), onFrame: () => undefined } },
      new AbortController().signal,
    );
    await waitFor(() => peers.length === 1, 'the connection');
    await new Promise((r) => setTimeout(r, 20));
    t.clock.advance(9_999);
    await new Promise((r) => setTimeout(r, 20));
    t.clock.advance(1);
    expect((await session.done).end).toEqual({ kind: 'stall', reason: 'nothing received for 10 s' });
    await waitFor(() => peers[0]!.close, 'the drop');
    expect(peers[0]!.close!.code).toBe(1006);
  });

  it('terminates the socket when the close handshake times out', async () => {
    // A server that completes the upgrade, then never answers anything (not even a close).
    const http: Server = createServer();
    const sockets: Socket[] = [];
    let dropped = 0;
    http.on('upgrade', (req, socket: Socket) => {
      sockets.push(socket);
      socket.on('end', () => (dropped += 1));
      socket.resume(); // read and ignore everything, the close frame included
      const accept = createHash('sha1')
        .update(`${String(req.headers['sec-websocket-key'])}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
        .digest('base64');
      socket.write(
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
      );
    });
    http.listen(0, '127.0.0.1');
    await once(http, 'listening');
    undo.push(() => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => http.close(r));
    });
    const t = shell();
    let opened = false;
    const controller = new AbortController();
    const session = openSocketSession(
      t.shell,
      {
        url: `ws://127.0.0.1:${(http.address() as AddressInfo).port}/`,
        stallMs: 60_000,
        closeTimeoutMs: 2_000,
        protocol: { onOpen: () => (opened = true), onFrame: () => undefined },
      },
      controller.signal,
    );
    await waitFor(() => opened, 'the open');
    controller.abort();
    let settled = false;
    void session.done.then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(settled).toBe(false);
    t.clock.advance(2_000);
    expect((await session.done).end).toEqual({ kind: 'aborted' });
    await waitFor(() => dropped === 1, 'the socket to be gone');
  });
});
