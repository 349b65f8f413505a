/**
 * What a configured room names, the source schema's defaults and refusals, and reading a
 * channel's live page.
 */
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/core/clock.js';
import { silentLogger } from '../../helpers/logger.js';
import { DEFAULT_CURRENCY_RATES, YouTubeSourceSchema } from '../../../adapters/youtube/config.js';
import { registry } from '../../../adapters/registry.js';
import { create } from '../../../adapters/youtube/index.js';
import { readLivePage } from '../../../adapters/youtube/live-page.js';
import { parseRoom, roomLabel } from '../../../adapters/youtube/room.js';

const CH = 'UC_x5XG1OV2P6uZZ5FSM9Ttw';

describe('parseRoom', () => {
  it('reads videos, channels and handles in every usual spelling', () => {
    const video = { kind: 'video', videoId: 'jfKfPfyJRdk' };
    expect(parseRoom('jfKfPfyJRdk')).toEqual(video);
    expect(parseRoom(' https://www.youtube.com/watch?v=jfKfPfyJRdk&t=5 ')).toEqual(video);
    expect(parseRoom('youtube.com/watch?v=jfKfPfyJRdk')).toEqual(video);
    expect(parseRoom('https://youtu.be/jfKfPfyJRdk')).toEqual(video);
    expect(parseRoom('https://m.youtube.com/live/jfKfPfyJRdk?feature=share')).toEqual(video);
    expect(parseRoom(CH)).toEqual({ kind: 'channel', channelId: CH });
    expect(parseRoom(`https://www.youtube.com/channel/${CH}/live`)).toEqual({ kind: 'channel', channelId: CH });
    expect(parseRoom('@LofiGirl')).toEqual({ kind: 'handle', handle: 'LofiGirl' });
    expect(parseRoom('https://www.youtube.com/@LofiGirl/live')).toEqual({ kind: 'handle', handle: 'LofiGirl' });
    expect(parseRoom('https://www.youtube.com/@%E3%83%9B%E3%83%AD%E3%83%A9%E3%82%A4%E3%83%96')).toEqual({
      kind: 'handle',
      handle: 'ホロライブ',
    });
  });

  it('refuses what is not a YouTube room', () => {
    for (const bad of [
      '',
      'abc',
      '@x',
      'https://example.com/watch?v=jfKfPfyJRdk',
      'https://www.youtube.com/watch?v=short',
      'https://www.youtube.com/results?q=x',
      'UCtooShort',
    ])
      expect(parseRoom(bad), bad).toBeUndefined();
  });

  it('labels rooms as operators write them', () => {
    expect(roomLabel({ kind: 'handle', handle: 'LofiGirl' })).toBe('@LofiGirl');
    expect(roomLabel({ kind: 'channel', channelId: CH })).toBe(CH);
    expect(roomLabel({ kind: 'video', videoId: 'jfKfPfyJRdk' })).toBe('jfKfPfyJRdk');
  });

  it('names the source by the one formula: every spelling of a room gives one name, in the registry and the source alike', async () => {
    const named = (room: string, name?: string) => {
      const config = YouTubeSourceSchema.parse({ platform: 'youtube', room, api_key: 'k', ...(name ? { name } : {}) });
      const source = create(config, { logger: silentLogger(), clock: systemClock, stateDir: '/nonexistent' });
      return [registry.identity(config).name, source.name];
    };
    for (const room of ['@LofiGirl', 'https://www.youtube.com/@LofiGirl/live', 'youtube.com/@LofiGirl'])
      expect(named(room), room).toEqual(['youtube:@LofiGirl', 'youtube:@LofiGirl']);
    for (const room of ['jfKfPfyJRdk', 'https://www.youtube.com/watch?v=jfKfPfyJRdk&t=3', 'https://youtu.be/jfKfPfyJRdk'])
      expect(named(room), room).toEqual(['youtube:jfKfPfyJRdk', 'youtube:jfKfPfyJRdk']);
    expect(named(`https://www.youtube.com/channel/${CH}`)).toEqual([`youtube:${CH}`, `youtube:${CH}`]);
    expect(named('@LofiGirl', 'lofi')).toEqual(['lofi', 'lofi']);
  });
});

describe('YouTubeSourceSchema', () => {
  it('fills the defaults: 10,000 units a day, the rate table in US cents, Google URLs', () => {
    const c = YouTubeSourceSchema.parse({ platform: 'youtube', room: '@LofiGirl', api_key: 'k' });
    expect(c).toEqual({
      platform: 'youtube',
      room: '@LofiGirl',
      api_key: 'k',
      urls: { api_base: 'https://www.googleapis.com/youtube/v3', web_base: 'https://www.youtube.com' },
      daily_quota_units: 10_000,
      poll_floor_ms: 2_000,
      offline_poll_ms: 60_000,
      viewers_interval_ms: 120_000,
      max_results: 500,
      search_fallback: true,
      follow_channel: true,
      request_timeout_ms: 10_000,
      backoff_base_ms: 1_000,
      backoff_max_ms: 120_000,
      value: { unit: 'usd_cent', currency_rates: DEFAULT_CURRENCY_RATES, jewel: 1, membership: 0 },
    });
    expect(c.value.currency_rates.USD).toBe(100);
  });

  it('refuses a missing key, a bad room, unknown keys and out-of-range numbers', () => {
    const ok = { platform: 'youtube', room: '@LofiGirl', api_key: 'k' };
    expect(YouTubeSourceSchema.safeParse({ platform: 'youtube', room: '@LofiGirl' }).success).toBe(false);
    expect(YouTubeSourceSchema.safeParse({ ...ok, api_key: '' }).success).toBe(false);
    expect(YouTubeSourceSchema.safeParse({ ...ok, room: 'https://twitch.tv/x' }).success).toBe(false);
    expect(YouTubeSourceSchema.safeParse({ ...ok, apikey: 'k' }).success).toBe(false);
    expect(YouTubeSourceSchema.safeParse({ ...ok, max_results: 100 }).success).toBe(false);
    expect(YouTubeSourceSchema.safeParse({ ...ok, poll_floor_ms: 100 }).success).toBe(false);
    expect(YouTubeSourceSchema.safeParse({ ...ok, viewers_interval_ms: 1_000 }).success).toBe(false);
    expect(YouTubeSourceSchema.safeParse({ ...ok, viewers_interval_ms: 0 }).success).toBe(true);
    expect(YouTubeSourceSchema.safeParse({ ...ok, value: { currency_rates: { usd: 1 } } }).success).toBe(false);
    expect(YouTubeSourceSchema.safeParse({ ...ok, value: { unit: 'Dollars' } }).success).toBe(false);
  });

  it('takes an operator table whole: the defaults are not merged into it', () => {
    const c = YouTubeSourceSchema.parse({
      platform: 'youtube',
      room: 'jfKfPfyJRdk',
      api_key: 'k',
      value: { unit: 'coin', currency_rates: { USD: 10 }, jewel: 0.1 },
    });
    expect(c.value).toEqual({ unit: 'coin', currency_rates: { USD: 10 }, jewel: 0.1, membership: 0 });
    const noJewel = YouTubeSourceSchema.safeParse({
      platform: 'youtube',
      room: 'jfKfPfyJRdk',
      api_key: 'k',
      value: { unit: 'coin', currency_rates: { USD: 10 } },
    });
    expect(noJewel.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['value.jewel', 'the default jewel is in usd_cent: give jewel for unit coin'],
    ]);
  });
});

describe('readLivePage', () => {
  const base = 'https://www.youtube.com/@LofiGirl/live';
  it('finds the watch link of a live (or scheduled) broadcast', () => {
    expect(
      readLivePage('<html><head><link rel="canonical" href="https://www.youtube.com/watch?v=jfKfPfyJRdk"></head></html>', base),
    ).toEqual({
      kind: 'video',
      videoId: 'jfKfPfyJRdk',
    });
    expect(readLivePage("<link href='/watch?v=jfKfPfyJRdk&amp;x=1' rel='canonical' />", base)).toEqual({
      kind: 'video',
      videoId: 'jfKfPfyJRdk',
    });
  });

  it('reads the channel link as no broadcast now, and anything else as unreadable', () => {
    expect(readLivePage(`<link rel="canonical" href="https://www.youtube.com/channel/${CH}">`, base)).toEqual({
      kind: 'none',
      channelId: CH,
    });
    expect(readLivePage('<link rel="alternate" href="https://www.youtube.com/watch?v=jfKfPfyJRdk">', base)).toEqual({
      kind: 'unreadable',
      reason: 'no_canonical_link',
    });
    expect(readLivePage('<link rel="canonical" href="https://www.youtube.com/@LofiGirl">', base)).toEqual({
      kind: 'unreadable',
      reason: 'no_canonical_link',
    });
    expect(readLivePage('', base)).toEqual({ kind: 'unreadable', reason: 'no_canonical_link' });
  });
});
