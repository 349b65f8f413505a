/**
 * Runs the built daemon (`node dist/src/cli/main.js run <config>`) as a real child process with
 * an IPC channel, as pm2 does, and exposes what a supervisor sees: IPC messages, stdout JSON log
 * lines, stderr and the exit.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../dist/src/cli/main.js');

export interface DaemonProcess {
  child: ChildProcess;
  /** Resolves with the first IPC message (pm2's wait_ready waits for `ready`). */
  firstMessage: Promise<unknown>;
  /** Resolves with the code and signal once the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Every stdout line so far. */
  stdout(): string[];
  stderr(): string;
  /** Resolves with the first JSON log line whose message is `message`. */
  logLine(message: string): Promise<Record<string, unknown>>;
}

/** True once `npm run build` has produced the daemon. */
export const built = () => existsSync(MAIN);

/** Starts `live-bridge run <config>` with only the given environment (plus PATH). */
export function startDaemon(config: string, env: Record<string, string> = {}): DaemonProcess {
  const child = fork(MAIN, ['run', config], { silent: true, env: { PATH: process.env.PATH ?? '', ...env } });
  const lines: string[] = [];
  let err = '';
  let partial = '';
  const waiters: { message: string; resolve: (line: Record<string, unknown>) => void }[] = [];
  child.stdout?.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString('utf8')).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      let parsed: Record<string, unknown> | undefined;
      try {
        parsed = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue;
      }
      for (const w of waiters.filter((x) => x.message === parsed?.message)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(parsed);
      }
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const firstMessage = new Promise<unknown>((resolve) => child.once('message', resolve));
  return {
    child,
    firstMessage,
    exited,
    stdout: () => lines,
    stderr: () => err,
    logLine: (message) =>
      new Promise((resolve) => {
        const seen = lines
          .map((l) => {
            try {
              return JSON.parse(l) as Record<string, unknown>;
            } catch {
              return undefined;
            }
          })
          .find((l) => l?.message === message);
        if (seen) resolve(seen);
        else waiters.push({ message, resolve });
      }),
  };
}

/** Polls `check` every 100 ms until it returns a value other than undefined, or fails after `ms`. */
export async function waitFor<T>(what: string, ms: number, check: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
