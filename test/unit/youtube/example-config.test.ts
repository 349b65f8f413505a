/**
 * config/example.youtube.yaml loads through the real loader (the registry knows `youtube`), and
 * the API key is a secret: in the secrets the logger masks, and masked by `check`.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import { maskSecrets } from '../../../src/config/secrets.js';

const env = {
  YOUTUBE_API_KEY: 'AIzaSyEXAMPLE-example-key-000000000000',
  HW_PROJECT_ID: 'p1',
  HW_AK: 'AKEXAMPLE0000',
  HW_SK: 'sk-example-secret',
  METASTUDIO_ROOM_ID: 'room-1',
};

describe('config/example.youtube.yaml', () => {
  it('is a valid stream config with a youtube source, and the API key is a secret', () => {
    const { config, secrets } = parseConfig(readFileSync('config/example.youtube.yaml', 'utf8'), 'config/example.youtube.yaml', env);
    const source = config.sources[0]!;
    expect(source).toMatchObject({
      platform: 'youtube',
      name: 'youtube-main',
      room: '@LofiGirl',
      api_key: env.YOUTUBE_API_KEY,
      daily_quota_units: 10_000,
      poll_floor_ms: 2_000,
      offline_poll_ms: 60_000,
      viewers_interval_ms: 120_000,
      value: { unit: 'usd_cent', jewel: 1, membership: 499 },
      urls: { api_base: 'https://www.googleapis.com/youtube/v3', web_base: 'https://www.youtube.com' },
    });
    expect(secrets).toContain(env.YOUTUBE_API_KEY);
    expect(JSON.stringify(maskSecrets(config))).not.toContain(env.YOUTUBE_API_KEY);
  });
});
