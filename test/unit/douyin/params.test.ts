/**
 * Query strings and push hosts: exact encodings, orders, normalisation, synthetic resume state.
 */
import { describe, expect, it } from 'vitest';
import {
  browserVersion,
  normalisePushServer,
  pushUrl,
  queryString,
  randomMsToken,
  syntheticResume,
  webEnterQuery,
} from '../../../adapters/douyin/params.js';

describe('params', () => {
  it('encodes spaces as %20 and keeps empty values', () => {
    expect(
      queryString([
        ['a', 'x y'],
        ['b', ''],
        ['c', 'a|b:c'],
      ]),
    ).toBe('a=x%20y&b=&c=a%7Cb%3Ac');
  });

  it('browser_version is the UA without Mozilla/', () => {
    expect(browserVersion('Mozilla/5.0 (X11) Chrome/131')).toBe('5.0 (X11) Chrome/131');
  });

  it('builds the push URL on a base that already has a query', () => {
    const url = pushUrl({
      base: 'wss://h/p/?x=1',
      roomId: '1',
      userUniqueId: '2',
      userAgent: 'Mozilla/5.0',
      sdkVersion: '1.0.15',
      cursor: 'c',
      internalExt: 'i',
      signature: 's',
    });
    expect(
      url.startsWith(
        'wss://h/p/?x=1&app_name=douyin_web&version_code=180800&webcast_sdk_version=1.0.15&update_version_code=1.0.15&compress=gzip&',
      ),
    ).toBe(true);
    expect(url.endsWith('&room_id=1&heartbeatDuration=0&signature=s')).toBe(true);
  });

  it('web/enter carries the web_rid, room id and msToken', () => {
    const q = new URLSearchParams(webEnterQuery({ webRid: '646454278948', roomId: '', userAgent: 'Mozilla/5.0 UA', msToken: 'tok' }));
    expect(q.get('aid')).toBe('6383');
    expect(q.get('web_rid')).toBe('646454278948');
    expect(q.get('room_id_str')).toBe('');
    expect(q.get('msToken')).toBe('tok');
    expect(q.get('browser_version')).toBe('5.0 UA');
  });

  it('normalises push hosts from im/fetch', () => {
    expect(normalisePushServer(['', 'webcast5-ws-web-hl.douyin.com'])).toBe('wss://webcast5-ws-web-hl.douyin.com/webcast/im/push/v2/');
    expect(normalisePushServer(['https://webcast100-ws-web-lq.douyin.com'])).toBe(
      'wss://webcast100-ws-web-lq.douyin.com/webcast/im/push/v2/',
    );
    expect(normalisePushServer(['ws://127.0.0.1:9/webcast/im/push/v2/?old=1'])).toBe('ws://127.0.0.1:9/webcast/im/push/v2/');
    expect(normalisePushServer(['ftp://x', '  '])).toBeUndefined();
  });

  it('random msTokens and synthetic resume state have the web client shapes', () => {
    expect(randomMsToken()).toMatch(/^[A-Za-z0-9_-]{182}$/);
    const r = syntheticResume('7653887015607454502', '7400000000000000077', 1764000000000);
    expect(r.cursor).toMatch(/^d-1_u-1_fh-\d{19}_t-1764000000000_r-1$/);
    expect(r.internalExt).toMatch(
      /^internal_src:dim\|wss_push_room_id:7653887015607454502\|wss_push_did:7400000000000000077\|first_req_ms:1764000000000\|fetch_time:1764000000000\|seq:1\|wss_info:0-1764000000000-0-0\|wrds_v:\d{19}$/,
    );
  });
});
