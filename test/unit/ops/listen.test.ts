import { describe, expect, test } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import { checkListen, isLoopback, listenUrl, parseListen } from '../../../src/ops/listen.js';

describe('parseListen', () => {
  test.each([
    ['127.0.0.1:9464', { host: '127.0.0.1', port: 9464 }],
    ['localhost:0', { host: 'localhost', port: 0 }],
    ['[::1]:9464', { host: '::1', port: 9464 }],
    ['0.0.0.0:65535', { host: '0.0.0.0', port: 65535 }],
    ['metrics.internal:80', { host: 'metrics.internal', port: 80 }],
  ])('%s', (text, expected) => {
    expect(parseListen(text)).toEqual(expected);
  });

  test.each(['9464', '127.0.0.1', '127.0.0.1:99999', '::1:9464', '[::1]', 'host:port', ' 127.0.0.1:9464'])(
    'rejects %j as a config error',
    (text) => {
      expect(() => parseListen(text)).toThrow(ConfigError);
    },
  );
});

describe('isLoopback', () => {
  test.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['localhost', true],
    ['LOCALHOST', true],
    ['::1', true],
    ['0:0:0:0:0:0:0:1', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['10.0.0.5', false],
    ['192.168.1.2', false],
    ['128.0.0.1', false],
    ['::ffff:10.0.0.1', false],
    ['fe80::1', false],
    ['example.com', false],
  ])('%s → %s', (host, expected) => {
    expect(isLoopback(host)).toBe(expected);
  });
});

describe('checkListen', () => {
  test('loopback is always allowed', () => {
    expect(checkListen('127.0.0.1:9464', false)).toEqual({ host: '127.0.0.1', port: 9464, remote: false });
  });

  test('a remote address needs allowRemote; the refusal is a config error naming the key', () => {
    let caught: unknown;
    try {
      checkListen('0.0.0.0:9464', false);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).code).toBe('config_invalid');
    expect((caught as ConfigError).problems).toHaveLength(1);
    expect((caught as ConfigError).problems[0]).toMatch(
      /^http\.listen: 0\.0\.0\.0:9464 is reachable from other hosts; .*http\.allow_remote: true/,
    );
    expect(checkListen('0.0.0.0:9464', true)).toEqual({ host: '0.0.0.0', port: 9464, remote: true });
  });

  test('urls bracket IPv6 hosts', () => {
    expect(listenUrl('::1', 80)).toBe('http://[::1]:80');
    expect(listenUrl('127.0.0.1', 80)).toBe('http://127.0.0.1:80');
  });
});
