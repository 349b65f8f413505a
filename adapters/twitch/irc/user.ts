/**
 * The viewer behind a Twitch chat line, from its IRCv3 tags: `user-id`, `display-name` (the
 * login when empty), the badge that says most about their standing in the channel, and their
 * exact subscriber months from `badge-info`.
 */
import type { User } from '../../../src/core/events.js';

/**
 * Badges in the order they win: the channel's own role first, then paid standing. A founder
 * is a subscriber who was among the first, so `founder` reports as `subscriber`.
 */
const BADGE_ORDER = ['broadcaster', 'moderator', 'vip', 'subscriber'] as const;
const BADGE_ALIASES: Readonly<Record<string, (typeof BADGE_ORDER)[number]>> = { founder: 'subscriber' };

/** `subscriber/12,moderator/1` → the names present (versions dropped). */
function badgeNames(tag: string): Set<string> {
  const names = new Set<string>();
  for (const part of tag.split(',')) {
    const slash = part.indexOf('/');
    const name = (slash < 0 ? part : part.slice(0, slash)).trim();
    if (name) names.add(BADGE_ALIASES[name] ?? name);
  }
  return names;
}

/** The badge we report: the first of broadcaster, moderator, vip, subscriber the user wears; '' when none. */
export function badgeOf(badges: string): string {
  const names = badgeNames(badges);
  return BADGE_ORDER.find((b) => names.has(b)) ?? '';
}

/** Exact subscriber months from `badge-info` (`subscriber/14` or `founder/14`); 0 when absent. */
export function subscriberMonths(badgeInfo: string): number {
  for (const part of badgeInfo.split(',')) {
    const m = /^(?:subscriber|founder)\/(\d{1,6})$/.exec(part.trim());
    if (m) return Number(m[1]);
  }
  return 0;
}

/**
 * A user from the tags of a PRIVMSG or USERNOTICE. `login` is the fallback for an empty
 * display name (the `login` tag of a USERNOTICE, the prefix nick of a PRIVMSG).
 */
export function userFromTags(tags: ReadonlyMap<string, string>, login: string): User {
  const name = (tags.get('display-name') ?? '').trim() || login;
  return {
    id: tags.get('user-id') || login || '0',
    name,
    level: 0,
    badge: badgeOf(tags.get('badges') ?? ''),
    badgeLevel: subscriberMonths(tags.get('badge-info') ?? ''),
  };
}
