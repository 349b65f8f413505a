/**
 * The demo on an 80-column terminal: stdout and stderr on one screen, as a person sees them.
 * The status line rewrites itself in place and never wraps; Ctrl-C's notice starts on its own line.
 */
import { PassThrough } from 'node:stream';
import { expect, test } from 'vitest';
import { createNotices } from '../../../src/cli/notices.js';
import { runCli } from '../../../src/cli/run-cli.js';
import { signalHandler } from '../../../src/cli/signals.js';
import { waitFor } from '../../helpers/ops/daemon.js';

test('an 80-column terminal: every status update fits in 79 columns, and the SIGINT notice starts a new line', async () => {
  const screen = Object.assign(new PassThrough(), { isTTY: true, columns: 80 });
  let text = '';
  screen.on('data', (c: Buffer) => (text += c.toString('utf8')));
  const controller = new AbortController();
  const exits: number[] = [];
  const onSignal = signalHandler(controller, createNotices(screen, false), (code) => void exits.push(code));
  const running = runCli(['demo', '--port', '0', '--ops-port', '0'], {
    stdout: screen,
    stderr: screen,
    env: {},
    signal: controller.signal,
  });
  // Three updates of the line: enough for counts to grow past a few digits.
  await waitFor('three status updates', 15_000, () => (text.split('\r\x1b[2K').length > 3 ? true : undefined));
  onSignal('SIGINT');
  expect(await running).toBe(0);
  expect(exits).toEqual([]);

  const updates = text
    .split('\r\x1b[2K')
    .slice(1)
    .map((u) => u.split('\n')[0] as string);
  expect(updates.length).toBeGreaterThanOrEqual(3);
  for (const u of updates) {
    expect(u.length, u).toBeLessThanOrEqual(79);
    expect(u).toMatch(/^in \d+.* \| sent \d+ \| queued \d+ \| lost \d+/);
  }
  // The last update is finished with a newline before the notice; the stop summary follows.
  expect(text).toMatch(/\| lost \d+[^\n]*\nlive-bridge: SIGINT received, stopping \(send it again to exit at once\)\n/);
  expect(text.trimEnd().split('\n').at(-1)).toMatch(/^demo stopped; the emulator accepted \d+ events$/);
});
