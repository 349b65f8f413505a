/**
 * The chat conversation on one socket, as pure reactions: what we send on open, and what each
 * server line asks of us (a reply, a joined room, or the end of the session). Events are the
 * mapping's job (irc/mapping.ts); timing (our PING, the stall watchdog) is the session's.
 */
import type { IrcMessage } from './parse.js';

/** How we log in and what we join. */
export interface ChatLogin {
  /** The channel login, lower case, without `#`. */
  channel: string;
  /** Our nick: the token's login, or `justinfan` + digits when anonymous. */
  nick: string;
  /** `oauth:<token>`, or '' when anonymous. */
  pass: string;
}

/** Why the conversation ends the socket. */
export type ChatEnd = { kind: 'moved' | 'blocked' | 'auth_failed'; reason: string };

/** What one line asks of the session. */
export interface ChatReaction {
  send: string[];
  /** The channel was joined (ROOMSTATE of our channel, with its room id). */
  joined?: { roomId: string };
  end?: ChatEnd;
}

const NONE: ChatReaction = Object.freeze({ send: [] }) as ChatReaction;

/** Twitch ignores the password of anonymous logins; this is the value its own web client sends. */
const ANONYMOUS_PASS = 'SCHMOOPIIE';

/** An anonymous nick: `justinfan` and five digits from `random`. */
export function anonymousNick(random: () => number): string {
  return `justinfan${String(10_000 + Math.floor(random() * 90_000))}`;
}

/** The password line's value for a configured token (`oauth:` added when missing). */
export function passFor(token: string): string {
  const t = token.trim();
  return t === '' ? '' : t.startsWith('oauth:') ? t : `oauth:${t}`;
}

/** Our keepalive PING (the server answers `PONG tmi.twitch.tv :tmi.twitch.tv`). */
export const OUR_PING = 'PING :tmi.twitch.tv';

/** NOTICE msg-ids (or texts, for the login notices that carry none) that mean we cannot read this channel. */
const REFUSALS: Readonly<Record<string, ChatEnd>> = {
  msg_channel_suspended: { kind: 'blocked', reason: 'the channel is suspended or does not exist (msg_channel_suspended)' },
  msg_banned: { kind: 'blocked', reason: 'the account is banned from this channel (msg_banned)' },
  'Login authentication failed': { kind: 'auth_failed', reason: 'twitch refused the chat token (Login authentication failed)' },
  'Improperly formatted auth': { kind: 'auth_failed', reason: 'twitch refused the chat token as malformed (Improperly formatted auth)' },
};

/** The conversation of one socket. */
export class ChatProtocol {
  readonly #login: ChatLogin;
  #joinSent = false;
  #joined = false;

  constructor(login: ChatLogin) {
    this.#login = login;
  }

  /** Lines to send once the socket is open: capabilities, then the login. JOIN waits for the welcome. */
  greeting(): string[] {
    return ['CAP REQ :twitch.tv/tags twitch.tv/commands', `PASS ${this.#login.pass || ANONYMOUS_PASS}`, `NICK ${this.#login.nick}`];
  }

  /** What one server line asks of us. */
  react(msg: IrcMessage): ChatReaction {
    switch (msg.command) {
      case 'PING':
        return { send: [`PONG :${msg.params.at(-1) ?? 'tmi.twitch.tv'}`] };
      case '376': // end of the welcome numerics: registered
        if (this.#joinSent) return NONE;
        this.#joinSent = true;
        return { send: [`JOIN #${this.#login.channel}`] };
      case 'ROOMSTATE': {
        if (this.#joined || msg.params[0]?.toLowerCase() !== `#${this.#login.channel}`) return NONE;
        this.#joined = true;
        return { send: [], joined: { roomId: msg.tags.get('room-id') ?? '' } };
      }
      case 'RECONNECT':
        return { send: [], end: { kind: 'moved', reason: 'twitch asked us to reconnect (RECONNECT)' } };
      case 'NOTICE': {
        const key = msg.tags.get('msg-id') ?? '';
        const refusal = (key && Object.hasOwn(REFUSALS, key) ? REFUSALS[key] : undefined) ?? loginRefusal(msg.params.at(-1) ?? '');
        return refusal ? { send: [], end: refusal } : NONE;
      }
      default:
        return NONE;
    }
  }
}

function loginRefusal(text: string): ChatEnd | undefined {
  return Object.hasOwn(REFUSALS, text) ? REFUSALS[text] : undefined;
}
