import { describe, expect, it } from 'vitest';
import { anonymousNick, ChatProtocol, passFor } from '../../../adapters/twitch/irc/protocol.js';
import { parseIrcLine } from '../../../adapters/twitch/irc/parse.js';

function line(text: string) {
  const r = parseIrcLine(text);
  if (!r.ok) throw new Error(r.problem);
  return r.message;
}

describe('ChatProtocol', () => {
  it('greets with the capabilities and an anonymous login, and JOINs once the welcome ends', () => {
    const p = new ChatProtocol({ channel: 'somechan', nick: 'justinfan12345', pass: '' });
    expect(p.greeting()).toEqual(['CAP REQ :twitch.tv/tags twitch.tv/commands', 'PASS SCHMOOPIIE', 'NICK justinfan12345']);
    expect(p.react(line(':tmi.twitch.tv 001 justinfan12345 :Welcome, GLHF!'))).toEqual({ send: [] });
    expect(p.react(line(':tmi.twitch.tv 376 justinfan12345 :>'))).toEqual({ send: ['JOIN #somechan'] });
    expect(p.react(line(':tmi.twitch.tv 376 justinfan12345 :>'))).toEqual({ send: [] });
  });

  it('logs in with the token when one is configured', () => {
    expect(new ChatProtocol({ channel: 'c', nick: 'mybot', pass: passFor('abc123') }).greeting()[1]).toBe('PASS oauth:abc123');
    expect(passFor('oauth:abc123')).toBe('oauth:abc123');
    expect(passFor('  ')).toBe('');
  });

  it('reports the join at our channel ROOMSTATE with its room id, once', () => {
    const p = new ChatProtocol({ channel: 'somechan', nick: 'justinfan1', pass: '' });
    expect(p.react(line('@room-id=1;slow=0 :tmi.twitch.tv ROOMSTATE #otherchan'))).toEqual({ send: [] });
    expect(p.react(line('@emote-only=0;room-id=71092938;slow=0 :tmi.twitch.tv ROOMSTATE #somechan'))).toEqual({
      send: [],
      joined: { roomId: '71092938' },
    });
    // A later ROOMSTATE (a mode change) is not a second join.
    expect(p.react(line('@room-id=71092938;slow=10 :tmi.twitch.tv ROOMSTATE #somechan'))).toEqual({ send: [] });
  });

  it('answers PING with PONG carrying the same token', () => {
    const p = new ChatProtocol({ channel: 'c', nick: 'justinfan1', pass: '' });
    expect(p.react(line('PING :tmi.twitch.tv'))).toEqual({ send: ['PONG :tmi.twitch.tv'] });
    expect(p.react(line('PING :abc 123'))).toEqual({ send: ['PONG :abc 123'] });
  });

  it('ends the session on RECONNECT, a refused login or a suspended channel', () => {
    const p = new ChatProtocol({ channel: 'c', nick: 'bot', pass: 'oauth:x' });
    expect(p.react(line(':tmi.twitch.tv RECONNECT'))).toEqual({
      send: [],
      end: { kind: 'moved', reason: 'twitch asked us to reconnect (RECONNECT)' },
    });
    expect(p.react(line(':tmi.twitch.tv NOTICE * :Login authentication failed')).end).toEqual({
      kind: 'auth_failed',
      reason: 'twitch refused the chat token (Login authentication failed)',
    });
    expect(
      p.react(line('@msg-id=msg_channel_suspended :tmi.twitch.tv NOTICE #c :This channel does not exist or has been suspended.')).end,
    ).toEqual({
      kind: 'blocked',
      reason: 'the channel is suspended or does not exist (msg_channel_suspended)',
    });
    expect(p.react(line('@msg-id=emote_only_on :tmi.twitch.tv NOTICE #c :emote-only')).end).toBeUndefined();
    expect(p.react(line('@msg-id=constructor :tmi.twitch.tv NOTICE #c :toString')).end).toBeUndefined();
  });

  it('anonymous nicks are justinfan and five digits', () => {
    expect(anonymousNick(() => 0)).toBe('justinfan10000');
    expect(anonymousNick(() => 0.999999)).toBe('justinfan99999');
  });
});
