import http from 'node:http';
import net from 'node:net';
import { describe, expect, test } from 'vitest';
import { describeNetworkError, NetworkError, networkError } from '../../../src/core/net-error.js';

/** What undici's fetch throws: "fetch failed", the system error as its cause. */
const fetchFailed = (cause: unknown) => new TypeError('fetch failed', { cause });
const sysError = (code: string, message: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), { code, ...extra });

describe('describeNetworkError', () => {
  test('a refused connection, for real: the cause, its code and the address, not "fetch failed"', async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as net.AddressInfo;
    await new Promise<void>((r) => server.close(() => r()));
    const err = await fetch(`http://127.0.0.1:${port}/`).catch((e: unknown) => e);
    expect((err as Error).message).toBe('fetch failed');
    expect(describeNetworkError(err)).toEqual({
      failure: 'refused',
      code: 'ECONNREFUSED',
      text: `connection refused (ECONNREFUSED 127.0.0.1:${port})`,
    });
  });

  test('TLS spoken to a plain HTTP server, for real: the readable reason, not the OpenSSL dump', async () => {
    const server = http.createServer((_q, r) => r.end('plain'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as net.AddressInfo;
    const err = await fetch(`https://127.0.0.1:${port}/`).catch((e: unknown) => e);
    await new Promise<void>((r) => server.close(() => r()));
    expect(describeNetworkError(err)).toEqual({
      failure: 'tls',
      code: 'ERR_SSL_WRONG_VERSION_NUMBER',
      text: 'TLS failed: wrong version number (ERR_SSL_WRONG_VERSION_NUMBER)',
    });
  });

  test.each([
    [
      fetchFailed(sysError('ENOTFOUND', 'getaddrinfo ENOTFOUND api.example.invalid', { hostname: 'api.example.invalid' })),
      'dns',
      'DNS lookup failed: no such host (ENOTFOUND api.example.invalid)',
    ],
    [
      fetchFailed(sysError('EAI_AGAIN', 'getaddrinfo EAI_AGAIN x', { hostname: 'x' })),
      'dns',
      'DNS lookup failed (temporary) (EAI_AGAIN x)',
    ],
    [fetchFailed(sysError('ECONNRESET', 'read ECONNRESET')), 'reset', 'connection reset (ECONNRESET)'],
    [fetchFailed(sysError('CERT_HAS_EXPIRED', 'certificate has expired')), 'tls', 'TLS failed: certificate has expired (CERT_HAS_EXPIRED)'],
    [
      fetchFailed(sysError('UND_ERR_CONNECT_TIMEOUT', 'Connect Timeout Error')),
      'timeout',
      'connection timed out (UND_ERR_CONNECT_TIMEOUT)',
    ],
    [new DOMException('The operation was aborted due to timeout', 'TimeoutError'), 'timeout', 'timed out'],
    [fetchFailed(new Error('something odd')), 'other', 'something odd'],
  ])('%#: %s', (err, failure, text) => {
    expect(describeNetworkError(err)).toMatchObject({ failure, text });
  });
});

describe('NetworkError', () => {
  test('its message is the cause in words; the original stays as cause; wrapping twice changes nothing', () => {
    const original = fetchFailed(sysError('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.5:443', { address: '10.0.0.5', port: 443 }));
    const err = networkError(original);
    expect(err).toBeInstanceOf(NetworkError);
    expect(err).toMatchObject({ message: 'connection refused (ECONNREFUSED 10.0.0.5:443)', failure: 'refused', code: 'ECONNREFUSED' });
    expect(err.cause).toBe(original);
    expect(networkError(err)).toBe(err);
    expect(describeNetworkError(err).text).toBe('connection refused (ECONNREFUSED 10.0.0.5:443)');
  });
});
