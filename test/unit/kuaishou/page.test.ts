/**
 * The room page's playList state: JavaScript with literal `undefined`, braces and the word
 * "undefined" inside strings, the anchor first and a live recommended room after it, refusals
 * in errorType; and principalId extraction from config values.
 */
import { describe, expect, it } from 'vitest';
import { principalIdFrom } from '../../../adapters/kuaishou/config.js';
import { extractPlayLists, readRoomPage } from '../../../adapters/kuaishou/page.js';
import { roomPageHtml } from '../../helpers/kuaishou/fake-kuaishou.js';

const ID = '3xk2mq8d9g5abcd';

describe('readRoomPage', () => {
  it('reads the anchor live stream id and caption from a playList full of undefined', () => {
    const html = roomPageHtml({ principalId: ID }, { liveStreamId: 'ls-AbC_123', title: '好物 "特价" {今晚}' });
    expect(readRoomPage(html, ID)).toEqual({ kind: 'live', liveStreamId: 'ls-AbC_123', title: '好物 "特价" {今晚}' });
  });

  it('keeps strings intact: an "undefined" or a brace inside a string is text, not syntax', () => {
    const html = roomPageHtml({ principalId: ID }, { liveStreamId: 'ls-1', title: 't' });
    const [list] = extractPlayLists(html);
    const author = (list![0] as { author: { description: string; avatar: unknown } }).author;
    expect(author.description).toBe('a } in text and an undefined in a string');
    expect(author.avatar).toBeNull();
  });

  it('reports the anchor offline even when a recommended room after it is live', () => {
    const html = roomPageHtml({ principalId: ID }, null);
    expect(readRoomPage(html, ID)).toEqual({ kind: 'offline', reason: 'the streamer is not live (room page)' });
    expect(extractPlayLists(html)[0]).toHaveLength(2);
  });

  it('reads a refusal from the anchor entry errorType', () => {
    const html = roomPageHtml({ principalId: ID, pageRefusal: { title: '请求过快，请稍后再试', content: '操作太频繁' } }, null);
    expect(readRoomPage(html, ID)).toEqual({ kind: 'refused', title: '请求过快，请稍后再试', detail: '操作太频繁' });
  });

  it('prefers the entry whose author is the principalId when it is not first', () => {
    const html = `<script>x={"playList":[{"liveStream":{"id":"other"},"author":{"id":"x"}},{"liveStream":{"id":"mine"},"author":{"id":"${ID}"},"isLiving":true}],"loading":false}</script>`;
    expect(readRoomPage(html, ID)).toEqual({ kind: 'live', liveStreamId: 'mine', title: '' });
  });

  it('answers undefined for pages without a usable playList (the caller falls back to livedetail)', () => {
    expect(readRoomPage('<html>captcha</html>', ID)).toBeUndefined();
    expect(readRoomPage('"playList":[{"a":1', ID)).toBeUndefined();
    expect(readRoomPage('"playList":[}', ID)).toBeUndefined();
    expect(readRoomPage('"playList": "text" "playList":[]', ID)).toBeUndefined();
    expect(readRoomPage('"playList":[{"a":notjson}]', ID)).toBeUndefined();
  });

  it('skips a broken occurrence and reads the next one', () => {
    const html = `"playList":[oops] ... "playList":[{"liveStream":{"id":"ls-2"},"isLiving":true}]`;
    expect(readRoomPage(html, ID)).toEqual({ kind: 'live', liveStreamId: 'ls-2', title: '' });
  });
});

describe('principalIdFrom', () => {
  it('takes an id or a live.kuaishou.com/u/ URL', () => {
    expect(principalIdFrom(ID)).toBe(ID);
    expect(principalIdFrom(` https://live.kuaishou.com/u/${ID}?from=share `)).toBe(ID);
    expect(principalIdFrom(`live.kuaishou.com/u/${ID}/`)).toBe(ID);
    expect(principalIdFrom('https://live.kuaishou.com/')).toBeUndefined();
    expect(principalIdFrom('https://evil.example/u/abc')).toBeUndefined();
    expect(principalIdFrom('a b')).toBeUndefined();
  });
});
