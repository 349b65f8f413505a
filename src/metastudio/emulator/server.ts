/**
 * The emulator's HTTP server: routing, scripted faults, the request log and answer writing.
 */
import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sleep } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import { apiError, type Answer } from './answer.js';
import { listJobs, report, showJob, type ApiRequest } from './api.js';
import type { Fault, Operation } from './config.js';
import { control } from './control.js';
import { issueToken } from './iam.js';
import { livePage } from './page.js';
import type { World } from './world.js';

/** AK/SK-signed bodies are limited to 12 MB by the gateway. */
const MAX_BODY_BYTES = 12 * 1024 * 1024;
const SECRET_HEADERS = new Set(['authorization', 'x-auth-token', 'x-security-token', 'x-mss-auth-key']);

type Route = { operation: Operation; run: (req: ApiRequest) => Answer } | { operation: 'unknown'; run: () => Answer };

function route(world: World, method: string, segments: string[]): Route {
  const [v1, projectId, rooms, roomId, jobs, jobId, tail] = segments;
  if (segments.length === 3 && segments.join('/') === 'v3/auth/tokens' && method === 'POST') {
    return { operation: 'iam_token', run: (req) => issueToken(world, req.body) };
  }
  if (v1 === 'v1' && projectId !== undefined && rooms === 'smart-live-rooms' && roomId !== undefined && jobs === 'smart-live-jobs') {
    if (segments.length === 5 && method === 'GET')
      return { operation: 'list_jobs', run: (req) => listJobs(world, req, { projectId, roomId }) };
    if (segments.length === 6 && jobId !== undefined && method === 'GET')
      return { operation: 'show_job', run: (req) => showJob(world, req, { projectId, roomId, jobId }) };
    if (segments.length === 7 && jobId !== undefined && tail === 'live-event-report' && method === 'POST') {
      return { operation: 'report', run: (req) => report(world, req, { projectId, roomId, jobId }) };
    }
  }
  return { operation: 'unknown', run: () => apiError(404, 'MSS.00010003', `API not found: ${method} /${segments.join('/')}`) };
}

function maskedHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    const value = Array.isArray(v) ? v.join(',') : v;
    out[k] = SECRET_HEADERS.has(k) ? (k === 'authorization' ? value.replace(/(Access=)[^,]*|(Signature=)\w+/g, '$1$2***') : '***') : value;
  }
  return out;
}

function maskedQuery(url: URL): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of url.searchParams) out[k] = k === 'auth_key' ? '***' : v;
  return out;
}

function faultAnswer(fault: Exclude<Fault, { kind: 'drop' } | { kind: 'delay' } | { kind: 'echo' }>): Answer {
  switch (fault.kind) {
    case 'status':
      return {
        ...apiError(fault.status, fault.error_code, fault.error_msg),
        ...(fault.retry_after ? { headers: { 'Retry-After': fault.retry_after } } : {}),
      };
    case 'throttle':
      return {
        ...apiError(429, 'APIGW.0308', 'The throttling threshold has been reached: policy user over ratelimit,limit:10,time:1 second'),
        ...(fault.retry_after ? { headers: { 'Retry-After': fault.retry_after } } : {}),
      };
    case 'raw':
      return { status: fault.status, body: fault.body, contentType: fault.content_type };
  }
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Creates the server (not yet listening). */
export function createEmulatorServer(world: World, logger: Logger | undefined, origin: () => string): http.Server {
  function write(res: ServerResponse, answer: Answer, requestId: string): void {
    const isText = typeof answer.body === 'string';
    const payload = isText ? (answer.body as string) : JSON.stringify(answer.body);
    res.writeHead(answer.status, {
      'Content-Type': isText ? (answer.contentType ?? 'text/plain; charset=utf-8') : 'application/json;charset=UTF-8',
      'X-Request-Id': requestId,
      // The gateway's clock, which clients use to detect their own skew.
      Date: new Date(world.now()).toUTCString(),
      'Cache-Control': 'no-store',
      ...answer.headers,
    });
    res.end(payload);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID().replace(/-/g, '');
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    const segments = url.pathname
      .split('/')
      .filter((s) => s !== '')
      .map((s) => {
        try {
          return decodeURIComponent(s);
        } catch {
          return s;
        }
      });
    const body = await readBody(req);
    if (body === undefined) return write(res, apiError(413, 'APIGW.0201', 'Request entity too large (over 12 MB)'), requestId);
    if (method === 'GET' && segments.length === 0) {
      return write(
        res,
        { status: 200, body: livePage(`MetaStudio emulator · ${world.config.project_id}`), contentType: 'text/html; charset=utf-8' },
        requestId,
      );
    }
    if (segments[0] === '_emulator') {
      return write(
        res,
        control(world, method, url, segments, body) ?? { status: 404, body: { error: 'no such control route' } },
        requestId,
      );
    }
    const r = route(world, method, segments);
    const entry = {
      operation: r.operation,
      method,
      path: url.pathname,
      query: maskedQuery(url),
      headers: maskedHeaders(req),
      requestId,
      receivedAt: world.now(),
    };
    const fault = r.operation === 'unknown' ? undefined : world.takeFault(r.operation);
    // On the emulator's clock, so a test on a manual clock decides when a late answer comes.
    if (fault && fault.latency_ms > 0) await sleep(world.clock, fault.latency_ms);
    if (fault?.kind === 'drop') {
      world.log({ ...entry, auth: 'none', status: 0, fault: true });
      req.socket.destroy();
      return;
    }
    const answer =
      fault?.kind === 'echo'
        ? apiError(fault.status, 'MSS.00000004', `echo: ${method} ${req.url ?? ''} ${JSON.stringify(req.headers)}`)
        : fault && fault.kind !== 'delay'
          ? faultAnswer(fault)
          : r.run({ method, url, headers: req.headers, body, requestId, origin: origin() });
    const errBody = answer.body as { error_code?: unknown; error_msg?: unknown } | undefined;
    world.log({
      ...entry,
      auth: answer.auth ?? 'none',
      status: answer.status,
      ...(typeof errBody?.error_code === 'string' ? { errorCode: errBody.error_code } : {}),
      ...(typeof errBody?.error_msg === 'string' ? { errorMsg: errBody.error_msg } : {}),
      fault: fault !== undefined && fault.kind !== 'delay',
    });
    logger?.debug('emulator answered', { operation: r.operation, status: answer.status, requestId });
    write(res, answer, requestId);
  }

  return http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      logger?.error('emulator request failed', { error: err });
      if (!res.headersSent) write(res, apiError(500, 'MSS.00000004', 'Internal Error'), 'emulator-error');
      else res.destroy();
    });
  });
}

/** Listens and resolves to the bound address. */
export function listen(server: http.Server, host: string, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}
