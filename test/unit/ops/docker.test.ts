import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Registry } from 'prom-client';
import { describe, expect, test } from 'vitest';
import { startOpsServer } from '../../../src/ops/http.js';
import { silentLogger } from '../../helpers/logger.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

interface Instruction {
  op: string;
  args: string;
}

/** Dockerfile instructions with line continuations joined and comments dropped; split into stages. */
function parseDockerfile(text: string): Instruction[][] {
  const logical: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.startsWith('#')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    logical.push(`${pending}${line}`.trim());
    pending = '';
  }
  const stages: Instruction[][] = [[]];
  for (const l of logical) {
    const [op = '', ...rest] = l.split(/\s+/);
    const ins = { op: op.toUpperCase(), args: rest.join(' ') };
    if (ins.op === 'FROM') stages.push([]);
    (stages[stages.length - 1] as Instruction[]).push(ins);
  }
  return stages;
}

describe('Dockerfile', () => {
  const stages = parseDockerfile(readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'));
  const [global = [], build = [], runtime = []] = stages;
  const find = (stage: Instruction[], op: string) => stage.filter((i) => i.op === op).map((i) => i.args);

  test('two stages on node:20-slim: a build stage and a runtime stage', () => {
    expect(stages).toHaveLength(3);
    expect(find(global, 'ARG')).toEqual(['NODE_VERSION=20']);
    expect(find(build, 'FROM')).toEqual(['node:${NODE_VERSION}-slim AS build']);
    expect(find(runtime, 'FROM')).toEqual(['node:${NODE_VERSION}-slim AS runtime']);
    expect(find(build, 'RUN')).toContain('npm ci --no-audit --no-fund');
    expect(find(build, 'RUN').join('\n')).toContain('npm prune --omit=dev');
  });

  test('the runtime stage takes only build output and runs as a numeric non-root user', () => {
    const copies = find(runtime, 'COPY');
    expect(copies.filter((c) => c.startsWith('--from=build')).map((c) => c.split(' ')[1])).toEqual([
      '/app/package.json',
      '/app/node_modules',
      '/app/dist',
      '/app/proto',
    ]);
    expect(find(runtime, 'USER')).toEqual(['1000:1000']);
    expect(find(runtime, 'ENTRYPOINT')).toEqual(['["node", "/opt/live-bridge/dist/src/cli/main.js"]']);
    expect(find(runtime, 'CMD')).toEqual(['["run", "/etc/live-bridge/stream.yaml"]']);
  });

  test('chromium is optional through WITH_CHROMIUM=1, from Debian', () => {
    expect(find(runtime, 'ARG')).toEqual(['WITH_CHROMIUM=0']);
    const install = find(runtime, 'RUN').find((r) => r.includes('chromium'));
    expect(install).toMatch(
      /^if \[ "\$WITH_CHROMIUM" = "1" \]; then apt-get update && apt-get install -y --no-install-recommends chromium && rm -rf \/var\/lib\/apt\/lists\/\*; fi$/,
    );
  });

  test('state volume matches LIVE_BRIDGE_STATE_DIR and belongs to the runtime user; HEALTHCHECK probes /healthz', () => {
    const env = find(runtime, 'ENV').join(' ');
    expect(env).toContain('LIVE_BRIDGE_STATE_DIR=/var/lib/live-bridge');
    expect(env).toContain('LIVE_BRIDGE_HEALTH_URL=http://127.0.0.1:9464/healthz');
    expect(find(runtime, 'VOLUME')).toEqual(['["/var/lib/live-bridge"]']);
    expect(find(runtime, 'RUN').join('\n')).toContain('chown 1000:1000 /var/lib/live-bridge');
    const health = find(runtime, 'HEALTHCHECK');
    expect(health).toHaveLength(1);
    expect(health[0]).toMatch(/^--interval=\d+s --timeout=\d+s --start-period=\d+s --retries=\d+ CMD \[/);
  });

  test('exec forms are valid JSON (Docker silently falls back to a shell otherwise); the health command works', async () => {
    for (const op of ['ENTRYPOINT', 'CMD', 'VOLUME']) expect(() => JSON.parse(find(runtime, op)[0] ?? '')).not.toThrow();
    const command = JSON.parse((find(runtime, 'HEALTHCHECK')[0] ?? '').replace(/^.*? CMD /, '')) as string[];
    expect(command.slice(0, 2)).toEqual(['node', '-e']);
    const server = await startOpsServer({
      listen: '127.0.0.1:0',
      allowRemote: false,
      logger: silentLogger(),
      readiness: () => ({ ready: true, reasons: [], detail: {} }),
      metrics: new Registry(),
    });
    const probe = (url: string) =>
      promisify(execFile)(process.execPath, command.slice(1), { env: { LIVE_BRIDGE_HEALTH_URL: url } }).then(
        () => 0,
        (err: { code?: number }) => err.code,
      );
    try {
      expect(await probe(`${server.url}/healthz`)).toBe(0);
      expect(await probe(`${server.url}/nothing-here`)).toBe(1);
    } finally {
      await server.close();
    }
    expect(await probe(`${server.url}/healthz`)).toBe(1);
  });

  test('every path copied from the build context exists and is not excluded by .dockerignore', () => {
    const ignored = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    const contextCopies = [...build, ...runtime]
      .filter((i) => i.op === 'COPY' && !i.args.startsWith('--from='))
      .flatMap((i) => i.args.split(' ').slice(0, -1));
    expect(contextCopies).toEqual([
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'tsconfig.build.json',
      'src',
      'adapters',
      'proto',
      'config',
    ]);
    for (const p of contextCopies) {
      expect(existsSync(path.join(ROOT, p)), p).toBe(true);
      expect(ignored, p).not.toContain(p);
    }
    // Never secrets, local builds or state in the build context.
    expect(ignored).toEqual(expect.arrayContaining(['.git', 'node_modules', 'dist', 'state', '*.env', '**/*.env']));
  });
});
