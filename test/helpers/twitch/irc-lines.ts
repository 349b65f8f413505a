/**
 * Twitch chat lines as the server writes them, for the fake and the tests: IRCv3 tags escaped
 * the way Twitch escapes them (written here independently of the adapter's parser), a prefix,
 * a command, params and a trailing part.
 */

/** Escapes a tag value: `;` → `\:`, space → `\s`, `\` → `\\`, CR → `\r`, LF → `\n`. */
export function escapeTag(value: string): string {
  return value.replace(/[\\; \r\n]/g, (c) => ({ '\\': '\\\\', ';': '\\:', ' ': '\\s', '\r': '\\r', '\n': '\\n' })[c]!);
}

/** `@k=v;k2=v2 ` (empty when there are no tags). */
export function tagPart(tags: Record<string, string>): string {
  const entries = Object.entries(tags);
  return entries.length === 0 ? '' : `@${entries.map(([k, v]) => `${k}=${escapeTag(v)}`).join(';')} `;
}

/** A user's prefix as Twitch writes it. */
export function userPrefix(login: string): string {
  return `${login}!${login}@${login}.tmi.twitch.tv`;
}

/** A chat message. */
export function privmsg(o: { channel: string; login: string; text: string; tags: Record<string, string> }): string {
  return `${tagPart(o.tags)}:${userPrefix(o.login)} PRIVMSG #${o.channel} :${o.text}`;
}

/** A USERNOTICE (sub, resub, subgift, submysterygift, raid, ...); `text` is the user's own message, if any. */
export function usernotice(o: { channel: string; tags: Record<string, string>; text?: string }): string {
  return `${tagPart(o.tags)}:tmi.twitch.tv USERNOTICE #${o.channel}${o.text === undefined ? '' : ` :${o.text}`}`;
}

/** The tags of a user line, filled with what Twitch always sends; `extra` wins. */
export function userTags(o: {
  id: string;
  login: string;
  userId: string;
  displayName?: string;
  roomId: string;
  ts: number;
  badges?: string;
  badgeInfo?: string;
  extra?: Record<string, string>;
}): Record<string, string> {
  return {
    'badge-info': o.badgeInfo ?? '',
    badges: o.badges ?? '',
    color: '#1E90FF',
    'display-name': o.displayName ?? o.login,
    emotes: '',
    'first-msg': '0',
    flags: '',
    id: o.id,
    mod: '0',
    'returning-chatter': '0',
    'room-id': o.roomId,
    subscriber: '0',
    'tmi-sent-ts': String(o.ts),
    turbo: '0',
    'user-id': o.userId,
    'user-type': '',
    ...o.extra,
  };
}
