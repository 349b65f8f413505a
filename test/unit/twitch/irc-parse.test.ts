import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIrcLine, splitLines, unescapeTagValue } from '../../../adapters/twitch/irc/parse.js';
import { escapeTag, privmsg, tagPart } from '../../helpers/twitch/irc-lines.js';

function parsed(line: string) {
  const r = parseIrcLine(line);
  if (!r.ok) throw new Error(`did not parse: ${r.problem}`);
  return r.message;
}

describe('IRC tag values', () => {
  it('unescapes \\s \\: \\\\ \\r \\n exactly', () => {
    expect(unescapeTagValue('a\\sb\\:c\\\\d\\re\\nf')).toBe('a b;c\\d\re\nf');
    expect(unescapeTagValue('\\\\s')).toBe('\\s');
    expect(unescapeTagValue('\\\\:')).toBe('\\:');
  });

  it('drops a backslash before any other character, and a trailing lone one', () => {
    expect(unescapeTagValue('a\\bc')).toBe('abc');
    expect(unescapeTagValue('end\\')).toBe('end');
  });

  it('round-trips hostile values written by the fake escaper', () => {
    for (const value of ['', ' ', ';;', '\\', '\\s', 'x\r\ny', '弹幕 😀; \\:', 'a=b=c']) {
      expect(unescapeTagValue(escapeTag(value))).toBe(value);
    }
  });
});

describe('parseIrcLine', () => {
  it('reads tags, prefix, command, middle params and trailing', () => {
    const line = privmsg({
      channel: 'chan',
      login: 'viewer_1',
      text: 'hello : world',
      tags: { 'display-name': '小明 Ming', 'system-msg': 'a;b c', empty: '' },
    });
    const m = parsed(line);
    expect(m.command).toBe('PRIVMSG');
    expect(m.params).toEqual(['#chan', 'hello : world']);
    expect(m.prefix).toEqual({
      raw: 'viewer_1!viewer_1@viewer_1.tmi.twitch.tv',
      nick: 'viewer_1',
      user: 'viewer_1',
      host: 'viewer_1.tmi.twitch.tv',
    });
    expect([...m.tags]).toEqual([
      ['display-name', '小明 Ming'],
      ['system-msg', 'a;b c'],
      ['empty', ''],
    ]);
  });

  it('reads a server prefix, numerics, a tag without a value, and no trailing', () => {
    expect(parsed(':tmi.twitch.tv 001 justinfan12345 :Welcome, GLHF!')).toEqual({
      tags: new Map(),
      prefix: { raw: 'tmi.twitch.tv', nick: 'tmi.twitch.tv', user: '', host: '' },
      command: '001',
      params: ['justinfan12345', 'Welcome, GLHF!'],
    });
    const m = parsed('@flag;k=v :tmi.twitch.tv ROOMSTATE #chan');
    expect([...m.tags]).toEqual([
      ['flag', ''],
      ['k', 'v'],
    ]);
    expect(m.params).toEqual(['#chan']);
    expect(parsed('PING :tmi.twitch.tv')).toEqual({ tags: new Map(), prefix: undefined, command: 'PING', params: ['tmi.twitch.tv'] });
    expect(parsed('ping').command).toBe('PING');
  });

  it('keeps an empty trailing param and tolerates repeated spaces', () => {
    expect(parsed(':a!a@a PRIVMSG   #c   :').params).toEqual(['#c', '']);
  });

  it('the last value of a repeated key wins, and a key named __proto__ is a plain key', () => {
    const m = parsed('@k=1;k=2;__proto__=x :s CMD');
    expect(m.tags.get('k')).toBe('2');
    expect(m.tags.get('__proto__')).toBe('x');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('refuses what is not a line, with a reason, never a throw', () => {
    for (const bad of ['@tags-only', ':prefix-only', ': CMD', '@a=b :p', '', ' ', '!!!', '12 x', '@a=b 1234', ':p 00x']) {
      expect(parseIrcLine(bad), JSON.stringify(bad)).toEqual({ ok: false, problem: 'irc_line_malformed' });
    }
  });

  it('parses a 10 KB line whole', () => {
    const text = '字'.repeat(5_000) + 'x'.repeat(5_000);
    const line = `${tagPart({ id: 'big', emotes: '25:0-4/'.repeat(200) })}:u!u@u PRIVMSG #c :${text}`;
    expect(line.length).toBeGreaterThan(10_000);
    const m = parsed(line);
    expect(m.params[1]).toBe(text);
    expect(m.tags.get('id')).toBe('big');
  });

  it('refuses a line over 64 KiB unparsed', () => {
    expect(parseIrcLine(`PRIVMSG #c :${'x'.repeat(70_000)}`)).toEqual({ ok: false, problem: 'irc_line_too_long' });
  });
});

describe('splitLines', () => {
  it('splits one frame into its CRLF lines, tolerating bare LF and dropping empty lines', () => {
    expect(splitLines('PING :a\r\n:s 001 n :w\r\n\r\nPONG :b\nlast')).toEqual(['PING :a', ':s 001 n :w', 'PONG :b', 'last']);
    expect(splitLines('\r\n')).toEqual([]);
  });
});

describe('properties', () => {
  it('never throws on any string, and any escaped tag value round-trips through a line', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (line) => {
        const r = parseIrcLine(line);
        expect(typeof r.ok).toBe('boolean');
      }),
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 100 }), fc.string({ unit: 'binary', maxLength: 100 }), (value, text) => {
        const clean = text.replace(/[\r\n]/g, ' ');
        const m = parsed(privmsg({ channel: 'c', login: 'u', text: clean, tags: { v: value } }));
        expect(m.tags.get('v')).toBe(value);
        expect(m.params[1]).toBe(clean);
      }),
    );
  });
});
