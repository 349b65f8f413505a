/**
 * The douyin and replay config sections: defaults, the status-poll floor, strictness.
 */
import { describe, expect, it } from 'vitest';
import { DouyinSourceSchema } from '../../../adapters/douyin/config.js';
import { ReplaySourceSchema } from '../../../adapters/replay/config.js';

describe('douyin config', () => {
  it('fills defaults', () => {
    const c = DouyinSourceSchema.parse({ platform: 'douyin', room: '646454278948' });
    expect(c).toMatchObject({
      cookie: '',
      signer: { type: 'native' },
      urls: {
        live_page: 'https://live.douyin.com/',
        websocket: 'wss://webcast100-ws-web-lf.douyin.com/webcast/im/push/v2/',
        follow_push_server: true,
      },
      sdk_version: '1.0.15',
      heartbeat_ms: 10_000,
      stall_ms: 30_000,
      status_poll_ms: 60_000,
      gift_names: {},
    });
  });

  it('refuses status polls faster than 15 s', () => {
    const r = DouyinSourceSchema.safeParse({ platform: 'douyin', room: '1', status_poll_ms: 14_999 });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe('at least 15000 (Douyin bans fast pollers)');
    expect(DouyinSourceSchema.safeParse({ platform: 'douyin', room: '1', status_poll_ms: 15_000 }).success).toBe(true);
  });

  it('is strict and validates the signer variants', () => {
    expect(DouyinSourceSchema.safeParse({ platform: 'douyin', room: '1', typo: 1 }).success).toBe(false);
    expect(DouyinSourceSchema.safeParse({ platform: 'douyin', room: '1', signer: { type: 'script' } }).success).toBe(false);
    expect(
      DouyinSourceSchema.parse({ platform: 'douyin', room: '1', signer: { type: 'service', url: 'http://127.0.0.1:1/sign' } }).signer,
    ).toEqual({ type: 'service', url: 'http://127.0.0.1:1/sign', timeout_ms: 5000 });
    expect(DouyinSourceSchema.safeParse({ platform: 'douyin', room: '1', gift_names: { rose: 'x' } }).success).toBe(false);
    expect(DouyinSourceSchema.safeParse({ platform: 'douyin', room: '1', urls: { websocket: 'https://x/ws' } }).success).toBe(false);
    expect(DouyinSourceSchema.safeParse({ platform: 'douyin', room: '1', urls: { websocket: 'ws://127.0.0.1:1/p' } }).success).toBe(true);
  });

  it('accepts a web_rid or a live.douyin.com URL as room, nothing else', () => {
    expect(DouyinSourceSchema.safeParse({ platform: 'douyin', room: 'https://live.douyin.com/646454278948' }).success).toBe(true);
    const bad = DouyinSourceSchema.safeParse({ platform: 'douyin', room: 'https://www.douyin.com/user/MS4wLj' });
    expect(bad.error?.issues[0]?.message).toBe('a web_rid (digits) or a https://live.douyin.com/<web_rid> URL');
  });
});

describe('replay config', () => {
  it('defaults to real time, no loop', () => {
    expect(ReplaySourceSchema.parse({ platform: 'replay', file: 'c.jsonl' })).toEqual({
      platform: 'replay',
      file: 'c.jsonl',
      speed: 1,
      loop: false,
      gift_names: {},
      options: {},
    });
    expect(ReplaySourceSchema.safeParse({ platform: 'replay', file: 'c.jsonl', speed: -1 }).success).toBe(false);
  });
});
