import http from 'node:http';
import { Gauge, Registry } from 'prom-client';
import { afterEach, describe, expect, test } from 'vitest';
import { BridgeError, ConfigError } from '../../../src/core/errors.js';
import { EventStats } from '../../../src/core/stats.js';
import { startOpsServer, type OpsServer, type ReadinessAnswer } from '../../../src/ops/http.js';
import { createMetrics } from '../../../src/ops/metrics.js';
import { captureLogger, silentLogger } from '../../helpers/logger.js';

/** One raw HTTP exchange (node:http, so HEAD and odd methods behave exactly as on the wire). */
function request(url: string, method = 'GET'): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

const servers: OpsServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(
  over: {
    readiness?: () => ReadinessAnswer;
    registry?: Registry;
    health?: () => Record<string, unknown>;
    logger?: ReturnType<typeof silentLogger>;
  } = {},
) {
  const stats = new EventStats();
  stats.countSent('gift', 3);
  const metrics = createMetrics({
    stream: 'shop-main',
    stats,
    reporter: () => null,
    sources: () => [],
    sink: () => ({ state: 'ready' }),
    defaultMetrics: false,
  });
  const server = await startOpsServer({
    listen: '127.0.0.1:0',
    allowRemote: false,
    logger: over.logger ?? silentLogger(),
    readiness: over.readiness ?? (() => ({ ready: true, reasons: [], detail: { queueEvents: 0 } })),
    metrics: over.registry ?? metrics.registry,
    ...(over.health ? { health: over.health } : {}),
  });
  servers.push(server);
  return server;
}

describe('startOpsServer', () => {
  test('/healthz answers 200 JSON with uptime and event-loop lag, plus the health extras', async () => {
    const server = await start({ health: () => ({ version: '0.1.0' }) });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await request(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    const body = JSON.parse(res.body) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['status', 'uptimeSeconds', 'eventLoopLagSeconds', 'version']);
    expect(body.status).toBe('ok');
    expect(body.version).toBe('0.1.0');
    expect(body.uptimeSeconds).toBeGreaterThan(0);
    const lag = body.eventLoopLagSeconds as { mean: number; max: number };
    expect(lag.mean).toBeGreaterThanOrEqual(0);
    expect(lag.max).toBeGreaterThanOrEqual(lag.mean);
  });

  test('/readyz is 200 when ready and 503 with the reasons when not', async () => {
    let answer: ReadinessAnswer = { ready: true, reasons: [], detail: { circuit: 'closed', spoolBytes: 0 } };
    const server = await start({ readiness: () => answer });
    const ok = await request(`${server.url}/readyz`);
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ ready: true, reasons: [], circuit: 'closed', spoolBytes: 0 });

    answer = { ready: false, reasons: ['sink stopped: job job-1 ended'], detail: { circuit: 'open', spoolBytes: 4096 } };
    const notReady = await request(`${server.url}/readyz`);
    expect(notReady.status).toBe(503);
    expect(JSON.parse(notReady.body)).toEqual({
      ready: false,
      reasons: ['sink stopped: job job-1 ended'],
      circuit: 'open',
      spoolBytes: 4096,
    });
  });

  test('a readiness callback that throws makes /readyz 503 and is logged, not a crash', async () => {
    const { logger, entries } = captureLogger();
    const server = await start({
      logger,
      readiness: () => {
        throw new Error('boom');
      },
    });
    const res = await request(`${server.url}/readyz`);
    expect(res.status).toBe(503);
    expect(JSON.parse(res.body)).toEqual({ ready: false, reasons: ['readiness check failed (see the log)'] });
    expect(entries.map((e) => [e.level, e.message])).toEqual([['error', 'readiness check failed']]);
  });

  test('/metrics serves the registry as Prometheus text', async () => {
    const server = await start();
    const res = await request(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.body).toContain('# TYPE live_bridge_events_sent_total counter\n');
    expect(res.body).toContain('live_bridge_events_sent_total{type="gift",stream="shop-main"} 3\n');
  });

  test('a failing collector makes /metrics 500 and is logged', async () => {
    const registry = new Registry();
    new Gauge({
      name: 'broken',
      help: 'throws at scrape',
      registers: [registry],
      collect() {
        throw new Error('collector bug');
      },
    });
    const { logger, entries } = captureLogger();
    const server = await start({ registry, logger });
    const res = await request(`${server.url}/metrics`);
    expect(res.status).toBe(500);
    expect(res.body).toBe('metrics collection failed (see the log)\n');
    expect(entries.map((e) => e.message)).toEqual(['metrics collection failed']);
  });

  test('unknown paths are 404, other methods 405, HEAD has headers and no body; query strings are ignored', async () => {
    const server = await start();
    const missing = await request(`${server.url}/`);
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body)).toEqual({ error: 'not found', paths: ['/healthz', '/readyz', '/metrics'] });
    const post = await request(`${server.url}/readyz`, 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    const head = await request(`${server.url}/healthz`, 'HEAD');
    expect(head.status).toBe(200);
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
    expect(head.body).toBe('');
    expect((await request(`${server.url}/healthz?verbose=1`)).status).toBe(200);
  });

  test('a remote address without allowRemote is refused before binding; a taken port is http_listen_failed', async () => {
    const base = {
      allowRemote: false,
      logger: silentLogger(),
      readiness: () => ({ ready: true, reasons: [], detail: {} }),
      metrics: new Registry(),
    };
    await expect(startOpsServer({ ...base, listen: '0.0.0.0:0' })).rejects.toBeInstanceOf(ConfigError);
    const first = await start();
    const port = new URL(first.url).port;
    const second = startOpsServer({ ...base, listen: `127.0.0.1:${port}` });
    await expect(second).rejects.toBeInstanceOf(BridgeError);
    await expect(second).rejects.toMatchObject({
      code: 'http_listen_failed',
      message: `ops server cannot listen on 127.0.0.1:${port}: EADDRINUSE`,
    });
  });

  test('close() stops listening, drops kept-alive connections and is idempotent', async () => {
    const server = await start();
    const agent = new http.Agent({ keepAlive: true });
    await new Promise<void>((resolve, reject) => {
      http
        .get(`${server.url}/healthz`, { agent }, (res) => {
          res.resume();
          res.on('end', resolve);
        })
        .on('error', reject);
    });
    await Promise.all([server.close(), server.close()]);
    await expect(request(`${server.url}/healthz`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    agent.destroy();
  });
});
