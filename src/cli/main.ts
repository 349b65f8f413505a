#!/usr/bin/env node
/**
 * The `live-bridge` executable: parses the command line, installs signal handling and the
 * last-resort error handlers, runs one command and exits with its code.
 *
 * Signals: the first SIGINT/SIGTERM aborts `io.signal` (the command stops cleanly); a second
 * one exits at once (130 for SIGINT, 143 for SIGTERM). SIGHUP is ignored: the bridge logs to
 * stdout only, so there is nothing to reopen.
 */
import { EXIT } from '../core/errors.js';
import { runCli } from './run-cli.js';

const controller = new AbortController();
let signals = 0;
const onSignal = (sig: NodeJS.Signals) => {
  signals += 1;
  if (signals === 1) {
    process.stderr.write(`live-bridge: ${sig} received, stopping (send it again to exit at once)\n`);
    controller.abort(new Error(`${sig} received`));
  } else {
    process.exit(sig === 'SIGINT' ? 130 : 143);
  }
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
process.on('SIGHUP', () => process.stderr.write('live-bridge: SIGHUP ignored (logs go to stdout; nothing to reopen)\n'));

// A bug must not leave a half-working daemon: log it with its stack and let the supervisor restart us.
const crash = (kind: string) => (err: unknown) => {
  const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`live-bridge: ${kind}: ${text}\n`);
  process.exit(EXIT.crash);
};
process.on('uncaughtException', crash('uncaught exception'));
process.on('unhandledRejection', crash('unhandled rejection'));

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: controller.signal,
});
process.exitCode = code;
// Sockets or timers a command forgot must not keep a finished process alive under a supervisor.
setTimeout(() => process.exit(code), 2000).unref();
