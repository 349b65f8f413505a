/**
 * `live-bridge top --once` against a real ops server of a running bridge (in process) and a port
 * nothing listens on: the stream's block, the refusal with its cause, exit 1.
 */
import { PassThrough } from 'node:stream';
import { afterEach, expect, test } from 'vitest';
import { runCli } from '../../../src/cli/run-cli.js';
import { cli } from '../../helpers/cli.js';
import { waitFor } from '../../helpers/ops/daemon.js';
import { dryRunConfig } from '../../helpers/ops/stream-config.js';
import { refusedPort } from '../../helpers/ports.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

test('top --once: a running stream block and an unreachable one with its cause; exit 1', async () => {
  const { file, cleanup } = dryRunConfig({ stream: 'top-it', ratePerSecond: 40, logLines: ['level: info'] });
  cleanups.push(cleanup);
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  const stop = new AbortController();
  const daemon = runCli(['run', file], { stdout, stderr: new PassThrough(), env: {}, signal: stop.signal });
  cleanups.push(async () => {
    stop.abort(new Error('test over'));
    await daemon;
  });
  const url = await waitFor('the ops server', 15_000, () => /"message":"ops server listening"[^\n]*"url":"([^"]+)"/.exec(out)?.[1]);
  // The dry run prints what it would send: wait for some.
  await waitFor('a few events sent', 15_000, () => ((out.match(/live-event-report/g) ?? []).length > 2 ? true : undefined));

  const dead = `http://127.0.0.1:${await refusedPort()}`;
  const r = await cli(['top', '--once', '--url', url, '--url', dead]);
  expect(r.code).toBe(1);
  const lines = r.stdout.split('\n');
  expect(lines[0]).toMatch(/^live-bridge top · 2 streams · every 1 s · Ctrl-C quits {2}\S/);
  expect(lines[2]).toBe('STREAM                 SINK    IN/S  SENT/S  QUEUED   LOST  DROPPED     P50     P99  LAST OK       UP');
  expect(lines[3]).toMatch(/^top-it +ready +- +- +\d+ +0 +\d+ +- +- +\S+ +\S+$/);
  expect(lines[4]).toMatch(/^ {2}in\/sent gifts \d+\/\d+ {2}subs \d+\/\d+ {2}follows \d+\/\d+ {2}comments \d+\/\d+/);
  expect(lines[5]).toBe('  sim  live');
  expect(lines).toContain(`${dead}: connection refused (ECONNREFUSED ${dead.slice('http://'.length)})`);
});

test('top rejects a URL that is not http(s)', async () => {
  const r = await cli(['top', '--url', 'ftp://x']);
  expect(r.code).toBe(64);
  expect(r.stderr.split('\n')[0]).toBe('live-bridge top: --url ftp://x is not an http(s) URL');
});
