/**
 * Signal handling of the process: the first SIGINT/SIGTERM aborts the command's signal (it stops
 * cleanly), a second one exits at once (130 for SIGINT, 143 for SIGTERM).
 */
import type { Notices } from './notices.js';

/**
 * The SIGINT/SIGTERM handler. The abort comes first and the notice after it: whatever the
 * command keeps on the terminal (the demo's status line) ends its line on abort, so the notice
 * starts on a line of its own.
 */
export function signalHandler(controller: AbortController, notices: Notices, exit: (code: number) => void): (sig: NodeJS.Signals) => void {
  let signals = 0;
  return (sig) => {
    signals += 1;
    if (signals === 1) {
      controller.abort(new Error(`${sig} received`));
      notices.write('info', `${sig} received, stopping (send it again to exit at once)`, { signal: sig });
    } else {
      exit(sig === 'SIGINT' ? 130 : 143);
    }
  };
}
