/**
 * The system Chromium for browser tests, and its processes read from /proc (Linux): which pids
 * belong to a profile, how much memory and CPU they use.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { findExecutable } from '../../../adapters/douyin-browser/launch.js';

/**
 * The Chromium binary, or undefined when there is none. Under CI=true a missing browser is an
 * error (the suite must fail, not skip).
 */
export function testChromium(): string | undefined {
  try {
    return findExecutable(process.env.CHROMIUM_PATH);
  } catch (err) {
    if (process.env.CI === 'true') throw new Error(`browser tests need Chromium under CI: ${(err as Error).message}`, { cause: err });
    return undefined;
  }
}

function cmdline(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/** Every live process started with `--user-data-dir=<profileDir>` (the browser and its children). */
export function profilePids(profileDir: string): number[] {
  const flag = `--user-data-dir=${profileDir}`;
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (cmdline(pid).includes(flag)) pids.push(pid);
  }
  return pids;
}

/** The browser process of a profile (the one without `--type=`: renderers, GPU and zygotes have one). */
export function browserPid(profileDir: string): number | undefined {
  return profilePids(profileDir).find((pid) => !cmdline(pid).some((a) => a.startsWith('--type=')));
}

/** Every descendant of `root`, `root` included. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // the process exited while we looked
    }
  }
  const out: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

/**
 * Memory and CPU time (clock ticks, user + system) of `pids`. RSS summed over processes counts
 * shared pages (libraries, shared memory) once per process; PSS splits them fairly, so the PSS
 * sum is what the tree really costs.
 */
export function usage(pids: readonly number[]): { rssKb: number; pssKb: number; cpuTicks: number } {
  let rssKb = 0;
  let pssKb = 0;
  let cpuTicks = 0;
  for (const pid of pids) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      rssKb += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      pssKb += Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      cpuTicks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // exited
    }
  }
  return { rssKb, pssKb, cpuTicks };
}
