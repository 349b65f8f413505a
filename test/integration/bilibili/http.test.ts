/**
 * The HTTP client's injection points (fetch, dispatcher) against the fake, plus the cookie jar
 * and the errors that must not leak the cookie.
 */
import { Agent, fetch as undiciFetch } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { BilibiliHttp, BilibiliHttpError } from '../../../adapters/bilibili/http.js';
import { FakeBilibili } from '../../helpers/bilibili/fake-bilibili.js';

const ROOM = { shortId: '6', roomId: '7734200', uid: '50329118', liveStatus: 1, title: 't' };
let fake: FakeBilibili | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('BilibiliHttp', () => {
  it('uses an injected fetch and dispatcher, sends the UA and cookie, and keeps Set-Cookie-free jars intact', async () => {
    fake = new FakeBilibili({ room: ROOM, login: { sessdata: 's1', mid: '18446744073709551615' } });
    await fake.listen();
    const seen: string[] = [];
    const agent = new Agent({ connections: 1 });
    const http = new BilibiliHttp(
      { userAgent: 'UA/1', cookie: 'SESSDATA=s1', timeoutMs: 5_000 },
      {
        dispatcher: agent,
        fetch: (async (url: string, init: Parameters<typeof undiciFetch>[1]) => {
          seen.push(String(url));
          expect(init?.dispatcher).toBe(agent);
          return undiciFetch(url, init);
        }) as typeof undiciFetch,
      },
    );
    const nav = await http.json('nav', `${fake.base}/x/web-interface/nav`);
    expect(nav.code).toBe(0);
    // The largest u64 uid survives the lossless parse.
    expect(nav.data.mid).toBe('18446744073709551615');
    expect(seen).toEqual([`${fake.base}/x/web-interface/nav`]);
    expect(fake.requests[0]!.headers).toMatchObject({ 'user-agent': 'UA/1', cookie: 'SESSDATA=s1' });
    await agent.close();
  });

  it('turns a refused connection and a non-JSON answer into BilibiliHttpError without the cookie', async () => {
    fake = new FakeBilibili({ room: ROOM });
    await fake.listen();
    const http = new BilibiliHttp({ userAgent: 'UA/1', cookie: 'SESSDATA=never-in-errors', timeoutMs: 2_000 });
    const notJson = await http.json('x', `${fake.base}/nowhere`).catch((e: unknown) => e);
    expect(notJson).toBeInstanceOf(BilibiliHttpError);
    expect((notJson as Error).message).toBe('bilibili: x failed: HTTP 404, not JSON (0 bytes)');
    const port = fake.port;
    await fake.close();
    fake = undefined;
    const refused = await http.json('nav', `http://127.0.0.1:${port}/x`).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BilibiliHttpError);
    expect((refused as BilibiliHttpError).code).toBe('bilibili_http');
    // The cause in words, not undici's "fetch failed".
    expect((refused as Error).message).toBe(`bilibili: nav failed: connection refused (ECONNREFUSED 127.0.0.1:${port})`);
    expect((refused as Error).message).not.toContain('never-in-errors');
  });
});
