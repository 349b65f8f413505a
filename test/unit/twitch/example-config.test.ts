/**
 * config/example.twitch.yaml loads through the real loader: both sources, the default split of
 * who reports the money, and the token and client id registered as secrets.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';

const env = {
  TWITCH_CHANNEL: 'SomeChan',
  TWITCH_CLIENT_ID: 'example-client-id-123',
  TWITCH_USER_TOKEN: 'example-user-token-456',
  HW_PROJECT_ID: 'p1',
  HW_AK: 'AKEXAMPLE0000',
  HW_SK: 'sk-example-secret',
  METASTUDIO_ROOM_ID: 'room-1',
};
const text = readFileSync('config/example.twitch.yaml', 'utf8');

describe('config/example.twitch.yaml', () => {
  it('is a valid stream config: anonymous chat with the money, EventSub with follows and stream state', () => {
    const { config, secrets } = parseConfig(text, 'config/example.twitch.yaml', env);
    expect(config.sources.map((s) => s.platform)).toEqual(['twitch', 'twitch-eventsub']);
    expect(config.sources[0]).toMatchObject({ channel: 'SomeChan', nick: '', token: '', paid_events: true, bits_value: 1 });
    expect(config.sources[1]).toMatchObject({ channel: 'SomeChan', events: ['follow', 'stream'], viewers_interval_ms: 60_000 });
    expect(secrets).toEqual(expect.arrayContaining(['example-client-id-123', 'example-user-token-456']));
  });

  it('refuses the money reported by both sources', () => {
    const both = text.replace('events: [follow, stream]', 'events: [follow, stream, cheer]');
    expect(() => parseConfig(both, 'config/example.twitch.yaml', env)).toThrow(
      /would both report the cheers and gifts of twitch channel somechan/,
    );
  });
});
