import { describe, expect, it } from 'vitest';
import { channelFrom, TwitchEventSubSourceSchema, TwitchSourceSchema } from '../../../adapters/twitch/config.js';
import { paidOwnershipProblems } from '../../../adapters/twitch/ownership.js';
import { registry } from '../../../adapters/registry.js';
import { create as createChat } from '../../../adapters/twitch/irc/index.js';
import { create as createEventSub } from '../../../adapters/twitch/eventsub/index.js';
import { ManualClock } from '../../helpers/clock.js';
import { silentLogger } from '../../helpers/logger.js';

describe('twitch config', () => {
  it('channel: a login or a twitch.tv URL, lower-cased', () => {
    expect(channelFrom('SomeChan')).toBe('somechan');
    expect(channelFrom('#somechan')).toBe('somechan');
    expect(channelFrom('https://www.twitch.tv/Some_Chan')).toBe('some_chan');
    expect(channelFrom('twitch.tv/abc/')).toBe('abc');
    expect(channelFrom('https://twitch.tv/abc?x=1')).toBe('abc');
    for (const bad of ['', 'a b', 'https://evil.example/abc', 'x'.repeat(26), 'name!']) expect(channelFrom(bad), bad).toBeUndefined();
  });

  it('both sources are named by the one formula after the channel login, as the registry names them', () => {
    const deps = { logger: silentLogger(), clock: new ManualClock(), stateDir: '/nonexistent' };
    const chat = TwitchSourceSchema.parse({ platform: 'twitch', channel: 'https://www.twitch.tv/SomeChan' });
    const es = TwitchEventSubSourceSchema.parse({ platform: 'twitch-eventsub', channel: '#SomeChan', client_id: 'c', token: 't' });
    expect(registry.identity(chat)).toEqual({ platform: 'twitch', room: 'somechan', name: 'twitch:somechan' });
    expect(registry.identity(es)).toEqual({ platform: 'twitch-eventsub', room: 'somechan', name: 'twitch-eventsub:somechan' });
    expect(createChat(chat, deps).name).toBe('twitch:somechan');
    expect(createEventSub(es, deps).name).toBe('twitch-eventsub:somechan');
    expect(createChat({ ...chat, name: 'tw-chat' }, deps).name).toBe('tw-chat');
  });

  it('chat: anonymous by default, with every default filled', () => {
    expect(TwitchSourceSchema.parse({ platform: 'twitch', channel: 'chan' })).toEqual({
      platform: 'twitch',
      channel: 'chan',
      nick: '',
      token: '',
      paid_events: true,
      bits_value: 1,
      gift_sub_values: { '1000': 500, '2000': 1000, '3000': 2500 },
      urls: { irc: 'wss://irc-ws.chat.twitch.tv:443' },
      ping_interval_ms: 60_000,
      pong_timeout_ms: 10_000,
      reconnect_base_ms: 1_000,
      reconnect_max_ms: 120_000,
    });
  });

  it('chat: token and nick go together; unknown keys and bad URLs are refused', () => {
    expect(TwitchSourceSchema.safeParse({ platform: 'twitch', channel: 'chan', token: 'x' }).success).toBe(false);
    expect(TwitchSourceSchema.safeParse({ platform: 'twitch', channel: 'chan', nick: 'bot' }).success).toBe(false);
    expect(TwitchSourceSchema.safeParse({ platform: 'twitch', channel: 'chan', nick: 'bot', token: 'x' }).success).toBe(true);
    expect(TwitchSourceSchema.safeParse({ platform: 'twitch', channel: 'chan', typo: 1 }).success).toBe(false);
    expect(TwitchSourceSchema.safeParse({ platform: 'twitch', channel: 'chan', urls: { irc: 'https://x' } }).success).toBe(false);
  });

  it('eventsub: needs client id and token; follows and stream state by default', () => {
    expect(TwitchEventSubSourceSchema.safeParse({ platform: 'twitch-eventsub', channel: 'chan' }).success).toBe(false);
    const parsed = TwitchEventSubSourceSchema.parse({
      platform: 'twitch-eventsub',
      channel: 'chan',
      client_id: 'id',
      token: 't',
      events: ['cheer', 'cheer', 'follow'],
    });
    expect(parsed.events).toEqual(['cheer', 'follow']);
    expect(TwitchEventSubSourceSchema.parse({ platform: 'twitch-eventsub', channel: 'chan', client_id: 'id', token: 't' })).toMatchObject({
      events: ['follow', 'stream'],
      viewers_interval_ms: 60_000,
      keepalive_timeout_s: 10,
      max_message_age_ms: 600_000,
      urls: { eventsub: 'wss://eventsub.wss.twitch.tv/ws', helix: 'https://api.twitch.tv/helix', oauth: 'https://id.twitch.tv/oauth2' },
    });
    // Every URL is overridable (proxies, the fakes), and only a URL is taken.
    const urls = { eventsub: 'ws://127.0.0.1:1/ws', helix: 'http://127.0.0.1:1/helix', oauth: 'http://127.0.0.1:1/oauth2' };
    expect(
      TwitchEventSubSourceSchema.parse({ platform: 'twitch-eventsub', channel: 'chan', client_id: 'id', token: 't', urls }).urls,
    ).toEqual(urls);
    expect(
      TwitchEventSubSourceSchema.safeParse({
        platform: 'twitch-eventsub',
        channel: 'chan',
        client_id: 'id',
        token: 't',
        urls: { oauth: 'not a url' },
      }).success,
    ).toBe(false);
    expect(
      TwitchEventSubSourceSchema.safeParse({
        platform: 'twitch-eventsub',
        channel: 'chan',
        client_id: 'id',
        token: 't',
        keepalive_timeout_s: 5,
      }).success,
    ).toBe(false);
    expect(
      TwitchEventSubSourceSchema.safeParse({ platform: 'twitch-eventsub', channel: 'chan', client_id: 'id', token: 't', events: ['likes'] })
        .success,
    ).toBe(false);
  });
});

describe('who reports the money', () => {
  const chat = (over: object = {}) => ({ platform: 'twitch', channel: 'somechan', paid_events: true, ...over });
  const es = (events: string[], over: object = {}) =>
    ({ platform: 'twitch-eventsub', channel: 'https://twitch.tv/SomeChan', events, ...over }) as never;

  it('refuses a chat source and an EventSub source that would both report cheers and gifts of one channel', () => {
    expect(paidOwnershipProblems([chat({ name: 'chat' }), es(['follow', 'cheer', 'gift'], { name: 'es' })])).toEqual([
      'sources "chat" and "es" would both report the cheers and gifts of twitch channel somechan (EventSub events: cheer, gift): ' +
        "set paid_events: false on the chat source to let EventSub report them, or drop cheer, gift from the EventSub source's events",
    ]);
    expect(paidOwnershipProblems([chat(), es(['subscribe'])])).toHaveLength(1);
  });

  it('accepts the default split, EventSub owning the money, other channels and other platforms', () => {
    expect(paidOwnershipProblems([chat(), es(['follow', 'stream'])])).toEqual([]);
    expect(paidOwnershipProblems([chat({ paid_events: false }), es(['follow', 'cheer', 'gift', 'subscribe'])])).toEqual([]);
    expect(paidOwnershipProblems([chat({ channel: 'other' }), es(['cheer'])])).toEqual([]);
    expect(paidOwnershipProblems([{ platform: 'douyin' }, es(['cheer'])])).toEqual([]);
  });
});
