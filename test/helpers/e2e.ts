/**
 * End-to-end plumbing: the built bridge (`node dist/src/cli/main.js run <config>`) as a child
 * process, reporting with AK/SK to the local MetaStudio emulator. Needs `npm run build`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { fileURLToPath } from 'node:url';
import { DEMO, demoEmulatorConfig, startEmulator, type Emulator } from '../../src/metastudio/emulator/index.js';
import { waitFor } from './wait.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const MAIN = join(ROOT, 'dist/src/cli/main.js');

/**
 * Writes a config: `stream`, the one source given as its YAML lines (starting `- platform:`,
 * unindented), the emulator's demo job with AK/SK from ${HW_AK}/${HW_SK}, a 100 ms flush,
 * ops on 127.0.0.1 port 0, `stateDir` and JSON logs.
 */
export async function writeBridgeConfig(
  path: string,
  options: { stream: string; source: string[]; emulatorUrl: string; stateDir: string },
): Promise<void> {
  await writeFile(
    path,
    [
      `stream: ${options.stream}`,
      'sources:',
      ...options.source.map((line) => `  ${line}`),
      'metastudio:',
      `  endpoint: ${options.emulatorUrl}`,
      `  project_id: ${DEMO.projectId}`,
      `  room_id: ${DEMO.roomId}`,
      `  job_id: ${DEMO.jobId}`,
      '  auth:',
      '    type: aksk',
      '    ak: ${HW_AK}',
      '    sk: ${HW_SK}',
      'reporter:',
      '  flush_interval_ms: 100',
      'http:',
      '  listen: 127.0.0.1:0',
      `state_dir: ${options.stateDir}`,
      'log:',
      '  level: info',
      '  format: json',
      '',
    ].join('\n'),
  );
}

/** A running bridge and everything it has written (stdout and stderr, then its exit). */
export interface BridgeProcess {
  child: ChildProcess;
  output(): string;
}

/** Starts `live-bridge run <config>` with only PATH, the demo AK/SK and `env`. */
export function spawnBridge(config: string, env: Record<string, string>): BridgeProcess {
  let output = '';
  const child = spawn(process.execPath, [MAIN, 'run', config], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HW_AK: DEMO.ak, HW_SK: DEMO.sk, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.on('exit', (c, sig) => (output += `[exit ${String(c)} ${String(sig)}]`));
  child.on('error', (e) => (output += `[spawn error ${e.message}]`));
  return { child, output: () => output };
}

/** Sends SIGTERM and resolves with the exit code (at once if it has already exited). */
export async function stopBridge(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  child.kill('SIGTERM');
  return exited;
}

/** What one end-to-end test runs against; all of it is undone after the test. */
export interface E2eWorld {
  emulator: Emulator;
  /** A fresh temporary directory (config, state). */
  dir: string;
  /** Closes `server` after the test (newest first). */
  adopt<T extends { close(): Promise<unknown> }>(server: T): T;
  /** spawnBridge, with the child killed after the test if it is still running. */
  spawn(config: string, env: Record<string, string>): BridgeProcess;
}

/**
 * Registers the after-test cleanup for a file of end-to-end tests; `start` then gives each test
 * a demo emulator and a temp dir, and tracks the fakes and bridge children it adds.
 */
export function e2eWorlds(): { start(prefix: string): Promise<E2eWorld> } {
  const undo: (() => unknown)[] = [];
  afterEach(async () => {
    for (const step of undo.splice(0).reverse()) await step();
  });
  return {
    async start(prefix) {
      const emulator = await startEmulator({ config: demoEmulatorConfig() });
      undo.push(() => emulator.close());
      const dir = await mkdtemp(join(tmpdir(), prefix));
      undo.push(() => rm(dir, { recursive: true, force: true }));
      return {
        emulator,
        dir,
        adopt(server) {
          undo.push(() => server.close());
          return server;
        },
        spawn(config, env) {
          const bridge = spawnBridge(config, env);
          undo.push(() => {
            if (bridge.child.exitCode === null && bridge.child.signalCode === null) bridge.child.kill('SIGKILL');
          });
          return bridge;
        },
      };
    },
  };
}

/**
 * Waits until the emulator has accepted at least `n` events (failing with what it got and the end
 * of the bridge's log), then for `quietMs` more, so that an extra event (a duplicate, a resend)
 * would be there for the test's exact assertions to catch.
 */
export async function awaitAccepted(emulator: Emulator, bridge: BridgeProcess, n: number, quietMs = 1_500): Promise<void> {
  await waitFor(
    () => emulator.accepted().length >= n,
    () => `${n} accepted events (got ${JSON.stringify(emulator.accepted().map((a) => a.event))}); log: ${bridge.output().slice(-2000)}`,
    20_000,
  );
  await new Promise((r) => setTimeout(r, quietMs));
}
