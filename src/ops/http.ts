/**
 * The ops HTTP server of one stream process (node:http): /healthz (the process and its event
 * loop are alive), /readyz (the bridge works as configured; 503 with the reasons otherwise),
 * /metrics (Prometheus text) and /status (one JSON snapshot, for `live-bridge top`). It binds loopback unless `allowRemote` says otherwise.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Registry } from 'prom-client';
import { BridgeError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { checkListen, listenUrl } from './listen.js';

export { evaluateReadiness, type Readiness, type ReadinessInput } from './readiness.js';

/** Ops server defaults. */
export const DEFAULTS = {
  /** Sampling resolution of the event-loop delay monitor, ms. */
  loopResolutionMs: 20,
} as const;

/** What a readiness callback answers; `detail` is merged into the /readyz body. */
export interface ReadinessAnswer {
  ready: boolean;
  reasons: string[];
  detail: object;
}

/** Where the ops server listens and what its /healthz, /readyz and /metrics serve. */
export interface OpsServerOptions {
  /** `host:port` or `[v6]:port`; port 0 picks a free port (tests). */
  listen: string;
  /** Required to bind anything but loopback; a warning is logged when used. */
  allowRemote: boolean;
  logger: Logger;
  /** Extra fields for the /healthz body (e.g. version); /healthz itself never fails while the loop runs. */
  health?: () => Record<string, unknown>;
  readiness: () => ReadinessAnswer;
  /** A prom-client registry, or anything answering like one (the merged registries of many streams). */
  metrics: Pick<Registry, 'contentType' | 'metrics'>;
  /** The JSON status document for `GET /status` (what `live-bridge top` reads); 404 when absent. */
  status?: () => unknown;
}

/** A listening ops server. */
export interface OpsServer {
  /** e.g. `http://127.0.0.1:9464`. */
  readonly url: string;
  /** Stops listening and drops open connections (idempotent). */
  close(): Promise<void>;
}

type Reply = { status: number; type: string; body: string };

const json = (status: number, value: unknown): Reply => ({
  status,
  type: 'application/json; charset=utf-8',
  body: `${JSON.stringify(value)}\n`,
});

/** Starts the ops server; rejects with ConfigError (remote without allowRemote) or http_listen_failed. */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const { host, port, remote } = checkListen(options.listen, options.allowRemote);
  const logger = options.logger;
  const loop = monitorEventLoopDelay({ resolution: DEFAULTS.loopResolutionMs });
  loop.enable();

  // The histogram records whole timer intervals; the lag is what exceeds the resolution.
  const lagSeconds = (ns: number) => Math.max(0, ns / 1e6 - DEFAULTS.loopResolutionMs) / 1000;

  const healthz = (): Reply => {
    const body = {
      status: 'ok',
      uptimeSeconds: Math.round(process.uptime() * 10) / 10,
      eventLoopLagSeconds: { mean: lagSeconds(loop.count > 0 ? loop.mean : 0), max: lagSeconds(loop.count > 0 ? loop.max : 0) },
      ...options.health?.(),
    };
    // Each probe sees the lag since the previous one.
    loop.reset();
    return json(200, body);
  };

  const readyz = (): Reply => {
    try {
      const answer = options.readiness();
      return json(answer.ready ? 200 : 503, { ready: answer.ready, reasons: answer.reasons, ...answer.detail });
    } catch (err) {
      logger.error('readiness check failed', { error: err });
      return json(503, { ready: false, reasons: ['readiness check failed (see the log)'] });
    }
  };

  const metrics = async (): Promise<Reply> => {
    try {
      return { status: 200, type: options.metrics.contentType, body: await options.metrics.metrics() };
    } catch (err) {
      logger.error('metrics collection failed', { error: err });
      return { status: 500, type: 'text/plain; charset=utf-8', body: 'metrics collection failed (see the log)\n' };
    }
  };

  const status = (): Reply => {
    try {
      return json(200, options.status?.());
    } catch (err) {
      logger.error('status snapshot failed', { error: err });
      return json(500, { error: 'status snapshot failed (see the log)' });
    }
  };

  const paths = ['/healthz', '/readyz', '/metrics', ...(options.status ? ['/status'] : [])];
  const route = async (req: http.IncomingMessage): Promise<Reply> => {
    const path = (req.url ?? '/').split('?')[0] as string;
    if (!paths.includes(path)) return json(404, { error: 'not found', paths });
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(405, { error: 'method not allowed' });
    if (path === '/healthz') return healthz();
    if (path === '/readyz') return readyz();
    if (path === '/status') return status();
    return metrics();
  };

  const server = http.createServer((req, res) => {
    void route(req)
      .then((reply) => {
        res.writeHead(reply.status, {
          'content-type': reply.type,
          'content-length': Buffer.byteLength(reply.body),
          'cache-control': 'no-store',
          ...(reply.status === 405 ? { allow: 'GET, HEAD' } : {}),
        });
        res.end(req.method === 'HEAD' ? undefined : reply.body);
      })
      .catch((err: unknown) => {
        // A client gone mid-answer must never become an unhandled rejection (which exits the process).
        logger.debug('ops response failed', { error: err });
        res.destroy();
      });
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      loop.disable();
      reject(
        new BridgeError('http_listen_failed', `ops server cannot listen on ${options.listen}: ${err.code ?? err.message}`, { cause: err }),
      );
    };
    server.once('error', onError);
    server.listen({ host, port }, () => {
      server.off('error', onError);
      resolve();
    });
  });
  server.on('error', (err) => logger.error('ops server error', { error: err }));

  const url = listenUrl(host, (server.address() as AddressInfo).port);
  if (remote)
    logger.warn('ops server reachable from other hosts (http.allow_remote); firewall it or keep it inside the pod network', { url });

  let closing: Promise<void> | undefined;
  return {
    url,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        loop.disable();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
