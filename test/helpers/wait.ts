/**
 * Polling on real time, for tests that wait on real sockets, processes or files.
 */

/**
 * Polls `check` until it returns a truthy value and resolves to that value; fails after
 * `timeoutMs` with a message naming `what` (a function is called only then).
 */
export async function waitFor<T>(check: () => T | Promise<T>, what: string | (() => string) = 'condition', timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'function' ? what() : what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
