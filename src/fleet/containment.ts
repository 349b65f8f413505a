/**
 * Crash containment between the streams of one process. Each stream runs inside its own
 * AsyncLocalStorage scope, which Node carries into every callback the stream's code schedules
 * (timers, sockets, promises). An uncaught exception or rejection thrown from inside a scope
 * belongs to that stream: the process's last-resort handler (src/cli/main.ts) offers it here
 * first, and the fleet restarts that one stream instead of the process exiting under every other
 * stream. An error outside any scope (the fleet itself, the ops server) still ends the process.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** The scope a stream's code runs in. */
export interface StreamScope {
  stream: string;
  /** Called with an uncaught error of this stream; false when nobody took it (the process exits). */
  crashed(error: unknown, kind: 'exception' | 'rejection'): boolean;
}

const scope = new AsyncLocalStorage<StreamScope>();

/** Runs `fn` (and everything it schedules) inside `stream`'s scope. */
export function inStreamScope<T>(stream: StreamScope, fn: () => T): T {
  return scope.run(stream, fn);
}

/** Runs `fn` outside any stream's scope (the fleet's own timers must not be blamed on a stream). */
export function outsideStreams<T>(fn: () => T): T {
  return scope.exit(fn);
}

/**
 * Offers an uncaught error to the stream it was thrown in; true when that stream took it (the
 * process carries on), false when it belongs to no stream or its stream is gone.
 */
export function claimCrash(error: unknown, kind: 'exception' | 'rejection'): boolean {
  const owner = scope.getStore();
  if (!owner) return false;
  try {
    return owner.crashed(error, kind);
  } catch {
    return false;
  }
}
