/**
 * IRCv3 lines as Twitch sends them over the chat WebSocket: `[@tags] [:prefix] COMMAND params
 * [:trailing]`, one or more CRLF-terminated lines per text frame. Pure and total: a line that
 * does not parse yields a reason (the caller counts it as a discard), never a throw.
 */

/** Where a message came from: `nick!user@host` or a server name (then only `nick` is set). */
export interface IrcPrefix {
  raw: string;
  /** The nick (a user's login on Twitch) or the server name. */
  nick: string;
  user: string;
  host: string;
}

/** One parsed line. Tag values are unescaped; keys are as sent. */
export interface IrcMessage {
  tags: ReadonlyMap<string, string>;
  prefix: IrcPrefix | undefined;
  /** Upper-cased command word or a three-digit numeric. */
  command: string;
  /** Middle params then the trailing one (if any), in order. */
  params: readonly string[];
}

/** Why a line was refused; the discard reason the session counts. */
export type IrcParseProblem = 'irc_line_malformed' | 'irc_line_too_long';

/** A parsed line, or why it could not be parsed. */
export type IrcParseResult = { ok: true; message: IrcMessage } | { ok: false; problem: IrcParseProblem };

const DEFAULTS = {
  /**
   * Twitch allows 8191 bytes of tags plus 512 of message; a long PRIVMSG with many emotes comes
   * close. Anything over 64 KiB is not a Twitch line at all and is refused unparsed.
   */
  maxLineChars: 65_536,
} as const;

const COMMAND = /^(?:[A-Za-z]+|\d{3})$/;

/** Splits a text frame into its lines (CRLF, also a bare LF), dropping empty ones. */
export function splitLines(frame: string): string[] {
  const out: string[] = [];
  for (const piece of frame.split('\n')) {
    const line = piece.endsWith('\r') ? piece.slice(0, -1) : piece;
    if (line.length > 0) out.push(line);
  }
  return out;
}

/**
 * Unescapes an IRCv3 tag value: `\:` → `;`, `\s` → space, `\\` → `\`, `\r` → CR, `\n` → LF;
 * a backslash before any other character is dropped, and a trailing lone backslash too.
 */
export function unescapeTagValue(value: string): string {
  if (!value.includes('\\')) return value;
  let out = '';
  for (let i = 0; i < value.length; i += 1) {
    const c = value[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    i += 1;
    if (i >= value.length) break;
    const next = value[i]!;
    out += next === ':' ? ';' : next === 's' ? ' ' : next === 'r' ? '\r' : next === 'n' ? '\n' : next;
  }
  return out;
}

function parseTags(raw: string): Map<string, string> {
  const tags = new Map<string, string>();
  for (const part of raw.split(';')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    if (key === '') continue;
    // IRCv3: when a key repeats, the last value wins.
    tags.set(key, eq < 0 ? '' : unescapeTagValue(part.slice(eq + 1)));
  }
  return tags;
}

function parsePrefix(raw: string): IrcPrefix {
  const bang = raw.indexOf('!');
  const at = raw.indexOf('@', bang < 0 ? 0 : bang);
  if (bang < 0 && at < 0) return { raw, nick: raw, user: '', host: '' };
  const nickEnd = bang >= 0 ? bang : at;
  return {
    raw,
    nick: raw.slice(0, nickEnd),
    user: bang >= 0 ? raw.slice(bang + 1, at >= 0 ? at : raw.length) : '',
    host: at >= 0 ? raw.slice(at + 1) : '',
  };
}

/** Index of the next non-space character at or after `i`. */
function skipSpaces(line: string, i: number): number {
  while (i < line.length && line[i] === ' ') i += 1;
  return i;
}

/** Parses one line (without its CRLF). */
export function parseIrcLine(line: string): IrcParseResult {
  if (line.length > DEFAULTS.maxLineChars) return { ok: false, problem: 'irc_line_too_long' };
  let i = 0;
  let tags: Map<string, string> = new Map();
  if (line[i] === '@') {
    const end = line.indexOf(' ', i);
    if (end < 0) return { ok: false, problem: 'irc_line_malformed' };
    tags = parseTags(line.slice(1, end));
    i = skipSpaces(line, end);
  }
  let prefix: IrcPrefix | undefined;
  if (line[i] === ':') {
    const end = line.indexOf(' ', i);
    if (end < 0 || end === i + 1) return { ok: false, problem: 'irc_line_malformed' };
    prefix = parsePrefix(line.slice(i + 1, end));
    i = skipSpaces(line, end);
  }
  const commandEnd = line.indexOf(' ', i) < 0 ? line.length : line.indexOf(' ', i);
  const command = line.slice(i, commandEnd);
  if (!COMMAND.test(command)) return { ok: false, problem: 'irc_line_malformed' };
  const params: string[] = [];
  i = skipSpaces(line, commandEnd);
  while (i < line.length) {
    if (line[i] === ':') {
      params.push(line.slice(i + 1));
      break;
    }
    const end = line.indexOf(' ', i) < 0 ? line.length : line.indexOf(' ', i);
    params.push(line.slice(i, end));
    i = skipSpaces(line, end);
  }
  return { ok: true, message: { tags, prefix, command: command.toUpperCase(), params } };
}
