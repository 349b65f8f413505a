/**
 * Live page parsing: the escaped RSC state, fallback markers when it moves, offline accounts,
 * risk pages; and web_rid extraction from config values.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseLivePage, webRidFrom } from '../../../adapters/douyin/page-state.js';
import { livePageHtml } from '../../helpers/douyin/fake-douyin.js';

const broadcast = {
  roomId: '7653887015607454502',
  status: 2,
  title: '周末 & "特价" <好物>',
  anchorName: '主播\\小王',
  userUniqueId: '7400000000000000077',
};

describe('parseLivePage', () => {
  it('reads room id, visitor id, status, title and anchor from the escaped RSC stream', () => {
    expect(parseLivePage(livePageHtml('646454278948', broadcast))).toEqual({
      roomId: '7653887015607454502',
      userUniqueId: '7400000000000000077',
      status: 2,
      title: '周末 & "特价" <好物>',
      anchorName: '主播\\小王',
    });
  });

  it('unescapes a state that is escaped twice over', () => {
    const state = JSON.stringify({
      roomStore: { roomInfo: { roomId: '7653887015607454503', room: { id_str: '7653887015607454503', status: 4, title: 't' } } },
    });
    const twice = JSON.stringify(JSON.stringify(`x:${state}`));
    expect(parseLivePage(`<script>self.__pace_f.push([1,${twice}])</script>`)).toEqual({
      roomId: '7653887015607454503',
      status: 4,
      title: 't',
    });
  });

  it('falls back to markers when the structure moved, accepting only ids of 10+ digits', () => {
    const html =
      '<script>self.__pace_f.push([1,"9:{\\"room_id\\":\\"12345\\",\\"other\\":{\\"room_id\\":\\"7653887015607454504\\",\\"status\\":2},\\"user_unique_id\\":\\"7400000000000000078\\"}"])</script>';
    expect(parseLivePage(html)).toEqual({ roomId: '7653887015607454504', userUniqueId: '7400000000000000078', status: 2 });
  });

  it('an anchor without a room means offline, not a missing room id', () => {
    const html = `<script>self.__pace_f.push([1,${JSON.stringify(`c:${JSON.stringify({ state: { roomStore: { roomInfo: { anchor: { nickname: '离线主播' } } } } })}`)}])</script>`;
    expect(parseLivePage(html)).toEqual({ anchorName: '离线主播', anchorWithoutRoom: true });
  });

  it('a captcha page yields nothing', () => {
    expect(parseLivePage('<html><body>请完成验证 byted_acrawler</body></html>')).toEqual({});
    expect(parseLivePage('')).toEqual({});
  });

  it('never keeps a number-typed id (it would have lost digits)', () => {
    const html = `<script>self.__pace_f.push([1,${JSON.stringify(`c:{"roomStore":{"roomInfo":{"roomId":7653887015607454505,"room":{"status":2}}}}`)}])</script>`;
    expect(parseLivePage(html).roomId).toBeUndefined();
  });
});

describe('parseLivePage on hostile input', () => {
  it('never throws and only ever returns digit-string ids (property)', () => {
    const piece = fc.constantFrom(
      '\\"',
      '"roomStore":',
      '"odin":',
      '{',
      '}',
      '"roomId":"7653887015607454502"',
      '"status":2',
      '\\u0026',
      'room_id=',
      '"user_unique_id":"1"',
      '[',
      ']',
      ',',
      ':',
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(piece, fc.string({ maxLength: 8 })), { maxLength: 60 }), (parts) => {
        const state = parseLivePage(parts.join(''));
        return (
          (state.roomId === undefined || /^\d{10,20}$/.test(state.roomId)) &&
          (state.userUniqueId === undefined || /^\d{10,20}$/.test(state.userUniqueId))
        );
      }),
      { numRuns: 3000 },
    );
  });
});

describe('webRidFrom', () => {
  it.each([
    ['646454278948', '646454278948'],
    [' 646454278948 ', '646454278948'],
    ['https://live.douyin.com/646454278948', '646454278948'],
    ['https://live.douyin.com/646454278948?enter_from=share&x=1', '646454278948'],
    ['live.douyin.com/646454278948/', '646454278948'],
  ])('%s → %s', (input, out) => expect(webRidFrom(input)).toBe(out));

  it.each(['https://www.douyin.com/user/abc', 'abc', 'https://live.douyin.com/', 'https://evil.example/live.douyin.com/1'])(
    'rejects %s',
    (input) => {
      expect(webRidFrom(input)).toBeUndefined();
    },
  );
});
