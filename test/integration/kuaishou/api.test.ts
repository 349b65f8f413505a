/**
 * The Kuaishou API client against the fake over real HTTP: the headers every call carries
 * (Cookie, Referer, Kww = kwfv1), result codes as answers (1, 2, 400002, 671, 677), both
 * livedetail URL keys, allgifts and gift-list, the signer hook, and the pacing on a manual clock.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { KuaishouApi, KuaishouApiError } from '../../../adapters/kuaishou/api.js';
import { KuaishouSourceSchema } from '../../../adapters/kuaishou/config.js';
import { Pacer } from '../../../adapters/kuaishou/pacer.js';
import { createWsInfoSigner, KuaishouSignerError } from '../../../adapters/kuaishou/signer.js';
import { ManualClock } from '../../helpers/clock.js';
import { FakeKuaishou, type FakeKuaishouOptions } from '../../helpers/kuaishou/fake-kuaishou.js';

const ID = '3xk2mq8d9g5abcd';
const LOGIN = { userId: '2233', 'kuaishou.live.web_st': 'secret-web-st', kwfv1: 'kwfv1-value-xyz' };
const open: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  for (const s of open.splice(0).reverse()) await s.close();
});

async function world(options: Partial<FakeKuaishouOptions> = {}, config: Record<string, unknown> = {}) {
  const clock = new ManualClock();
  const fake = new FakeKuaishou({
    principalId: ID,
    login: LOGIN,
    live: { liveStreamId: 'ls-1', title: '今晚好物' },
    now: () => clock.now(),
    ...options,
  });
  await fake.listen();
  open.push(fake);
  const parsed = KuaishouSourceSchema.parse({
    platform: 'kuaishou',
    room: ID,
    cookie: fake.cookie(),
    urls: fake.urls(),
    api_min_interval_ms: 0,
    ...config,
  });
  const api = new KuaishouApi({
    config: parsed,
    principalId: ID,
    pacer: new Pacer(clock, parsed.api_min_interval_ms),
    signer: createWsInfoSigner(parsed.signer),
  });
  return { fake, api, clock, signal: new AbortController().signal };
}

describe('KuaishouApi', () => {
  it('reads the page, then websocketinfo with Cookie, Referer, Kww and caver=2', async () => {
    const { fake, api, signal } = await world();
    expect(await api.roomPage(signal)).toEqual({ kind: 'live', liveStreamId: 'ls-1', title: '今晚好物' });
    expect(await api.websocketInfo('ls-1', '今晚好物', signal)).toEqual({
      kind: 'live',
      liveStreamId: 'ls-1',
      title: '今晚好物',
      token: fake.tokens[0]!.token,
      urls: [fake.socketUrl],
    });
    const [page, info] = fake.requests;
    expect(page!.path).toBe(`/u/${ID}`);
    expect(info!.query.get('caver')).toBe('2');
    expect(info!.query.get('liveStreamId')).toBe('ls-1');
    expect(info!.query.has('__NS_hxfalcon')).toBe(false);
    expect(info!.headers.referer).toBe(`${fake.base}/u/${ID}`);
    expect(info!.headers.kww).toBe('kwfv1-value-xyz');
    // The configured cookie and the one the page set both go out.
    expect(info!.headers.cookie).toBe(`${fake.cookie()}; clientid=3`);
  });

  it('turns result 2 and 400002 into refusals that say what to do, 671 and 677 into offline', async () => {
    const { api, signal } = await world({ websocketInfo: [2, 400002, 671, 677] });
    const too = await api.websocketInfo('ls-1', '', signal);
    expect(too).toMatchObject({ kind: 'blocked', result: 2 });
    expect(too.kind === 'blocked' && too.reason).toContain('"请求过快，请稍后重试"');
    expect(too.kind === 'blocked' && too.reason).toContain('api_min_interval_ms');
    const captcha = await api.websocketInfo('ls-1', '', signal);
    expect(captcha).toMatchObject({ kind: 'blocked', result: 400002 });
    expect(captcha.kind === 'blocked' && captcha.reason).toContain(`/u/${ID} in a browser`);
    expect(captcha.kind === 'blocked' && captcha.reason).toContain('pass the slider');
    expect(await api.websocketInfo('ls-1', '', signal)).toEqual({ kind: 'offline', reason: 'the streamer is not live (result 671)' });
    expect(await api.websocketInfo('ls-1', '', signal)).toEqual({ kind: 'offline', reason: 'the streamer is not live (result 677)' });
  });

  it('is answered a captcha without the logged-in cookie or without Kww', async () => {
    const anonymous = await world({}, { cookie: '' });
    expect(await anonymous.api.websocketInfo('ls-1', '', anonymous.signal)).toMatchObject({ kind: 'blocked', result: 400002 });
    const noKww = await world({}, { cookie: 'userId=2233; kuaishou.live.web_st=secret-web-st' });
    expect(noKww.api.kww).toBeUndefined();
    expect(await noKww.api.websocketInfo('ls-1', '', noKww.signal)).toMatchObject({ kind: 'blocked', result: 400002 });
  });

  it('reads livedetail under either URL key, and its not-live and refusal skeletons', async () => {
    for (const key of ['webSocketAddresses', 'websocketUrls'] as const) {
      const { fake, api, signal } = await world({ detailUrlsKey: key });
      expect(await api.liveDetail(signal)).toEqual({
        kind: 'live',
        liveStreamId: 'ls-1',
        title: '今晚好物',
        token: fake.tokens[0]!.token,
        urls: [fake.socketUrl],
      });
      fake.live = null;
      expect(await api.liveDetail(signal)).toEqual({ kind: 'offline', reason: 'the streamer is not live (result 671)' });
    }
    const refused = await world({ liveDetail: [400002] });
    expect(await refused.api.liveDetail(refused.signal)).toMatchObject({ kind: 'blocked', result: 400002 });
  });

  it('reads allgifts names and the room gift-list prices', async () => {
    const { fake, api, signal } = await world({ giftNames: { '1': '荧光棒', '9': '啤酒' }, giftPrices: { '1': 1, '9': 10 } });
    expect([...(await api.allGifts(signal))]).toEqual([
      ['1', '荧光棒'],
      ['9', '啤酒'],
    ]);
    expect([...(await api.giftPrices('ls-1', signal))]).toEqual([
      ['1', 1],
      ['9', 10],
    ]);
    expect(fake.requests.at(-1)!.query.get('liveStreamId')).toBe('ls-1');
  });

  it('throws KuaishouApiError for HTTP errors, non-JSON and unknown results, with no cookie in the message', async () => {
    const bad = await world({ websocketInfo: [5] });
    const err = await bad.api.websocketInfo('ls-1', '', bad.signal).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KuaishouApiError);
    expect(String(err)).toBe('KuaishouApiError: kuaishou: websocketinfo answered result 5');
    const missing = await world({}, { urls: { ...bad.fake.urls(), gift_list: `${bad.fake.base}/nope` } });
    await expect(missing.api.giftPrices('ls-1', missing.signal)).rejects.toThrow('gift-list answered HTTP 404');
  });

  it('spaces calls by api_min_interval_ms on the clock, in call order', async () => {
    const { fake, api, clock, signal } = await world({}, { api_min_interval_ms: 5_000 });
    const t0 = clock.now();
    const calls = [api.roomPage(signal), api.websocketInfo('ls-1', '', signal), api.liveDetail(signal)];
    await new Promise((r) => setTimeout(r, 100));
    expect(fake.requests.map((r) => r.at - t0)).toEqual([0]);
    await clock.advanceAsync(4_999);
    expect(fake.requests).toHaveLength(1);
    await clock.advanceAsync(1);
    await new Promise((r) => setTimeout(r, 100));
    await clock.advanceAsync(5_000);
    await Promise.all(calls);
    expect(fake.requests.map((r) => [r.path, r.at - t0])).toEqual([
      [`/u/${ID}`, 0],
      ['/live_api/liveroom/websocketinfo', 5_000],
      ['/live_api/liveroom/livedetail', 10_000],
    ]);
  });
});

describe('the websocketinfo signer hook', () => {
  async function signingService(answer: (body: Record<string, unknown>) => { status: number; body: string }) {
    const seen: { body: Record<string, unknown>; headers: IncomingMessage['headers'] }[] = [];
    const server = createServer((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => {
        const body = JSON.parse(text) as Record<string, unknown>;
        seen.push({ body, headers: req.headers });
        const a = answer(body);
        res.writeHead(a.status, { 'content-type': 'application/json' }).end(a.body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    open.push({ close: () => new Promise((r) => server.close(r)) });
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sign`, seen };
  }

  it('adds __NS_hxfalcon (and the service caver) and tells the service no cookie', async () => {
    const service = await signingService(() => ({ status: 200, body: '{"__NS_hxfalcon":"HUDR_sig==","caver":"2"}' }));
    const { fake, api, signal } = await world({}, { signer: { type: 'service', url: service.url, token: 'sign-token' } });
    await api.websocketInfo('ls-1', '', signal);
    expect(fake.requests[0]!.query.get('__NS_hxfalcon')).toBe('HUDR_sig==');
    expect(service.seen).toHaveLength(1);
    expect(service.seen[0]!.headers.authorization).toBe('Bearer sign-token');
    expect(service.seen[0]!.body).toEqual({
      url: `${fake.base}/live_api/liveroom/websocketinfo?caver=2&liveStreamId=ls-1`,
      path: '/rest/k/live/websocket/info',
      principal_id: ID,
      live_stream_id: 'ls-1',
    });
    expect(JSON.stringify(service.seen)).not.toContain('secret-web-st');
  });

  it('fails with KuaishouSignerError when the service refuses or answers nothing usable', async () => {
    const down = createWsInfoSigner({ type: 'service', url: 'http://127.0.0.1:9/sign', timeout_ms: 500 });
    await expect(down.sign({ url: 'u', principalId: ID, liveStreamId: 'x' })).rejects.toThrow(KuaishouSignerError);
    const refusing = await signingService(() => ({ status: 403, body: '{}' }));
    await expect(
      createWsInfoSigner({ type: 'service', url: refusing.url, timeout_ms: 500 }).sign({ url: 'u', principalId: ID, liveStreamId: 'x' }),
    ).rejects.toThrow('signing service answered HTTP 403');
    const empty = await signingService(() => ({ status: 200, body: '{"ok":true}' }));
    await expect(
      createWsInfoSigner({ type: 'service', url: empty.url, timeout_ms: 500 }).sign({ url: 'u', principalId: ID, liveStreamId: 'x' }),
    ).rejects.toThrow('without __NS_hxfalcon');
  });
});
