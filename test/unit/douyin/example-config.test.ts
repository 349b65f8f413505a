/**
 * config/example.douyin.yaml loads through the real loader and means what it says.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';

describe('config/example.douyin.yaml', () => {
  it('is a valid stream config with a douyin source', async () => {
    const env = {
      DOUYIN_COOKIE: 'sessionid=abc123',
      HW_PROJECT_ID: 'p1',
      HW_AK: 'AKEXAMPLE0000',
      HW_SK: 'sk-example-secret',
      METASTUDIO_ROOM_ID: 'room-1',
    };
    const { config, secrets } = await loadConfig('config/example.douyin.yaml', env);
    const source = config.sources[0]!;
    expect(source.platform).toBe('douyin');
    if (source.platform !== 'douyin') return;
    expect(source).toMatchObject({
      room: '646454278948',
      cookie: 'sessionid=abc123',
      signer: { type: 'native' },
      status_poll_ms: 60000,
      gift_names: { '463': '玫瑰' },
    });
    expect(secrets).toContain('sessionid=abc123');
  });
});
