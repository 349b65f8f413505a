/**
 * config/example.bilibili.yaml loads through the real loader, and its commented open-platform
 * block is a valid source too once uncommented.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';

const env = {
  BILIBILI_COOKIE: 'SESSDATA=abc%2C123; bili_jct=csrf',
  BILIBILI_UID: '3546571234567890',
  HW_PROJECT_ID: 'p1',
  HW_AK: 'AKEXAMPLE0000',
  HW_SK: 'sk-example-secret',
  METASTUDIO_ROOM_ID: 'room-1',
  BILIBILI_OPEN_CODE: 'BKVXG3VBGMF7M',
  BILIBILI_OPEN_APP_ID: '1700000000001',
  BILIBILI_OPEN_AK: 'open-ak',
  BILIBILI_OPEN_SK: 'open-sk-secret',
};
const text = readFileSync('config/example.bilibili.yaml', 'utf8');

describe('config/example.bilibili.yaml', () => {
  it('is a valid stream config with a bilibili web source, and the cookie is a secret', () => {
    const { config, secrets } = parseConfig(text, 'config/example.bilibili.yaml', env);
    const source = config.sources[0]!;
    expect(source.platform).toBe('bilibili');
    if (source.platform !== 'bilibili') return;
    expect(source).toMatchObject({
      room: '21452505',
      cookie: 'SESSDATA=abc%2C123; bili_jct=csrf',
      uid: '3546571234567890',
      value_multiplier: 1,
      stall_ms: 35000,
      urls: { websocket: '' },
    });
    expect(secrets).toContain('SESSDATA=abc%2C123; bili_jct=csrf');
  });

  it('has a valid open-platform alternative in its comments', () => {
    const uncommented = text.replace(
      /^ {2}# (- platform: bilibili-open[\s\S]*?)(?=\n\nmetastudio:)/m,
      (_m, block: string) => '  ' + block.replace(/\n {2}# /g, '\n  '),
    );
    const { config, secrets } = parseConfig(uncommented, 'example', env);
    expect(config.sources.map((s) => s.platform)).toEqual(['bilibili', 'bilibili-open']);
    expect(config.sources[1]).toMatchObject({
      code: 'BKVXG3VBGMF7M',
      app_id: '1700000000001',
      access_key_id: 'open-ak',
      app_heartbeat_ms: 20000,
    });
    expect(secrets).toContain('open-sk-secret');
  });
});

describe('bilibili source schemas', () => {
  it('accepts room ids and URLs, an unset uid, and rejects unknown keys', async () => {
    const { BilibiliSourceSchema, roomIdFrom } = await import('../../../adapters/bilibili/config.js');
    expect(roomIdFrom('https://live.bilibili.com/21452505?spm_id_from=333')).toBe('21452505');
    expect(roomIdFrom('live.bilibili.com/h5/6')).toBe('6');
    expect(roomIdFrom('https://live.bilibili.com/blanc/6')).toBe('6');
    expect(roomIdFrom('https://www.bilibili.com/video/BV1xx')).toBeUndefined();
    expect(BilibiliSourceSchema.parse({ platform: 'bilibili', room: '6', uid: '' })).toMatchObject({
      uid: '',
      cookie: '',
      value_multiplier: 1,
      heartbeat_ms: 30000,
      stall_ms: 35000,
    });
    expect(BilibiliSourceSchema.safeParse({ platform: 'bilibili', room: '6', sessdata: 'x' }).success).toBe(false);
    expect(BilibiliSourceSchema.safeParse({ platform: 'bilibili', room: 'abc' }).success).toBe(false);
  });
});
