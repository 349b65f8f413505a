/**
 * config/example.tiktok.yaml loads through the real loader, means what it says, and its secrets
 * (the sign server's key, nested under `signer`, and the session cookie) are registered and masked.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { maskSecrets } from '../../../src/config/secrets.js';

describe('config/example.tiktok.yaml', () => {
  it('is a valid stream config with a tiktok source, and the key and session are secrets', async () => {
    const env = {
      EULER_API_KEY: 'euler-key-0123456789',
      TIKTOK_COOKIE: 'sessionid=0123456789abcdef',
      HW_PROJECT_ID: 'p1',
      HW_AK: 'AKEXAMPLE0000',
      HW_SK: 'sk-example-secret',
      METASTUDIO_ROOM_ID: 'room-1',
    };
    const { config, secrets } = await loadConfig('config/example.tiktok.yaml', env);
    const source = config.sources[0]!;
    expect(source.platform).toBe('tiktok');
    if (source.platform !== 'tiktok') return;
    expect(source).toMatchObject({
      room: '@shop.host',
      cookie: 'sessionid=0123456789abcdef',
      signer: { provider: 'euler', path: '/webcast/fetch', api_key: 'euler-key-0123456789', budget: { per_minute: 4, per_day: 1000 } },
      status_poll_ms: 60000,
      gift_names: { '5655': 'Rose' },
    });
    expect(secrets).toContain('euler-key-0123456789');
    expect(secrets).toContain('0123456789abcdef');
    const masked = JSON.stringify(maskSecrets(config));
    expect(masked).not.toContain('euler-key-0123456789');
    expect(masked).not.toContain('0123456789abcdef');
  });
});
