#!/usr/bin/env node
/**
 * The `live-bridge` executable: parses the command line, installs signal handling and the
 * last-resort error handlers, runs one command and exits with its code.
 *
 * Signals: the first SIGINT/SIGTERM aborts `io.signal` (the command stops cleanly); a second
 * one exits at once (130 for SIGINT, 143 for SIGTERM). SIGHUP asks `run` to reload its stream
 * configs; any other command ignores it (the bridge logs to stdout only: nothing to reopen).
 *
 * An uncaught error thrown inside one stream of a multi-stream process restarts that stream
 * alone (src/fleet/containment.ts); any other ends the process with its stack, exit 1.
 *
 * stderr: under a supervisor (`run` with stdout not a terminal) every line is JSON, like stdout.
 */
import { EXIT } from '../core/errors.js';
import { claimCrash } from '../fleet/containment.js';
import { createNotices } from './notices.js';
import { runCli } from './run-cli.js';
import { signalHandler } from './signals.js';

const argv = process.argv.slice(2);
const notices = createNotices(process.stderr, argv[0] === 'run' && process.stdout.isTTY !== true);
const controller = new AbortController();
const onSignal = signalHandler(controller, notices, (code) => process.exit(code));
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
const reloadListeners = new Set<() => void>();
process.on('SIGHUP', () => {
  if (reloadListeners.size === 0) {
    notices.write('info', 'SIGHUP ignored (logs go to stdout; nothing to reopen)', { signal: 'SIGHUP' });
    return;
  }
  notices.write('info', 'SIGHUP received, reloading the stream configs', { signal: 'SIGHUP' });
  for (const listener of reloadListeners) listener();
});
const reloads = {
  on(listener: () => void) {
    reloadListeners.add(listener);
    return () => void reloadListeners.delete(listener);
  },
};

// A bug must not leave a half-working daemon: log it with its stack and let the supervisor restart us.
const crash = (kind: string) => (err: unknown) => {
  if (claimCrash(err, kind === 'uncaught exception' ? 'exception' : 'rejection')) return;
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
  reloads,
});
process.exitCode = code;
// Sockets or timers a command forgot must not keep a finished process alive under a supervisor.
setTimeout(() => process.exit(code), 2000).unref();
