/**
 * DouyinHttp: the configured cookie and Set-Cookie answers form one jar sent everywhere; an
 * injected fetch (or dispatcher) is used for every request; transport failures are typed.
 */
import { describe, expect, it } from 'vitest';
import { MockAgent, type fetch as undiciFetch } from 'undici';
import { parseCookieHeader } from '../../../adapters/common/http.js';
import { DouyinHttp } from '../../../adapters/douyin/http.js';
import { refusedPort } from '../../helpers/ports.js';

describe('DouyinHttp', () => {
  it('uses the injected fetch, sends UA, referer and the jar, and keeps Set-Cookie values', async () => {
    const calls: { url: string; headers: Record<string, string> }[] = [];
    const fakeFetch = (async (url: string, init: { headers: Record<string, string> }) => {
      calls.push({ url, headers: init.headers });
      return new Response('ok', {
        status: 200,
        headers: [
          ['set-cookie', 'ttwid=abc; Path=/'],
          ['set-cookie', 'sessionid=rotated; HttpOnly'],
        ],
      });
    }) as unknown as typeof undiciFetch;
    const http = new DouyinHttp({ userAgent: 'UA/1', cookie: 'sessionid=old; msToken=tok', timeoutMs: 1000 }, { fetch: fakeFetch });
    const first = await http.get('https://live.douyin.com/', 'ttwid', { referer: 'https://live.douyin.com/1' });
    expect(first.status).toBe(200);
    expect(first.text()).toBe('ok');
    await http.get('https://live.douyin.com/1', 'live page');
    expect(calls.map((c) => [c.url, c.headers['user-agent'], c.headers.cookie, c.headers.referer])).toEqual([
      ['https://live.douyin.com/', 'UA/1', 'sessionid=old; msToken=tok', 'https://live.douyin.com/1'],
      ['https://live.douyin.com/1', 'UA/1', 'sessionid=rotated; msToken=tok; ttwid=abc', undefined],
    ]);
    expect(http.cookie('ttwid')).toBe('abc');
  });

  it('uses an injected undici dispatcher', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent.get('https://live.douyin.com').intercept({ path: '/webcast/gift/list/?aid=6383', method: 'GET' }).reply(200, '{"status_code":0}');
    const http = new DouyinHttp({ userAgent: 'UA', cookie: '', timeoutMs: 1000 }, { dispatcher: agent });
    const answer = await http.get('https://live.douyin.com/webcast/gift/list/?aid=6383', 'gift list');
    expect(answer.text()).toBe('{"status_code":0}');
    await agent.close();
  });

  it('turns transport failures into douyin_http errors that do not carry the cookie', async () => {
    const http = new DouyinHttp({ userAgent: 'UA', cookie: 'sessionid=very-secret', timeoutMs: 1000 }, {});
    const port = await refusedPort();
    const err = await http.get(`http://127.0.0.1:${port}/`, 'live page').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'douyin_http' });
    expect(String((err as Error).message)).toBe(`douyin: live page failed: connection refused (ECONNREFUSED 127.0.0.1:${port})`);
    expect(String((err as Error).message)).not.toContain('very-secret');
  });

  it('parses cookie headers leniently', () => {
    expect([...parseCookieHeader(' a=1; b = x=y ;bad; =v; c=')]).toEqual([
      ['a', '1'],
      ['b', 'x=y'],
      ['c', ''],
    ]);
  });
});
