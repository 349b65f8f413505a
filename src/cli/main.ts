#!/usr/bin/env node
/**
 * The `live-bridge` executable: parses the command line, installs signal handling and the
 * last-resort error handlers, runs one command and exits with its code.
 *
 * Signals: the first SIGINT/SIGTERM aborts `io.signal` (the command stops cleanly); a second
 * one exits at once (130 for SIGINT, 143 for SIGTERM). SIGHUP is ignored: the bridge logs to
 * stdout only, so there is nothing to reopen.
 *
 * stderr: under a supervisor (`run` with stdout not a terminal) every line is JSON, like stdout.
 */
import { EXIT } from '../core/errors.js';
import { createNotices } from './notices.js';
import { runCli } from './run-cli.js';
import { signalHandler } from './signals.js';

const argv = process.argv.slice(2);
const notices = createNotices(process.stderr, argv[0] === 'run' && process.stdout.isTTY !== true);
const controller = new AbortController();
const onSignal = signalHandler(controller, notices, (code) => process.exit(code));
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
process.on('SIGHUP', () => notices.write('info', 'SIGHUP ignored (logs go to stdout; nothing to reopen)', { signal: 'SIGHUP' }));

// A bug must not leave a half-working daemon: log it with its stack and let the supervisor restart us.
const crash = (kind: string) => (err: unknown) => {
  const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
  if (notices.json) notices.write('error', kind, { error: { message: err instanceof Error ? err.message : String(err), stack: text } });
  else notices.write('error', `${kind}: ${text}`);
  process.exit(EXIT.crash);
};
process.on('uncaughtException', crash('uncaught exception'));
process.on('unhandledRejection', crash('unhandled rejection'));

const code = await runCli(argv, {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: controller.signal,
  notices,
});
process.exitCode = code;
// Sockets or timers a command forgot must not keep a finished process alive under a supervisor.
setTimeout(() => process.exit(code), 2000).unref();
