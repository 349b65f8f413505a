/**
 * Which Twitch source reports the money when a stream runs both. Chat (PRIVMSG bits, USERNOTICE
 * sub/resub/subgift/submysterygift) and EventSub (channel.cheer, channel.subscribe,
 * channel.subscription.*) describe the same cheers and gifts with unrelated ids, so the
 * pipeline's dedupe cannot fold them: exactly one source per channel may report them. Chat
 * does by default; a stream that wants EventSub to report them turns `paid_events` off on the
 * chat source. A config where both would is refused by `check` and `run`.
 */
import { channelFrom, PAID_KINDS, type EventSubKind } from './config.js';

/** The parts of a source section this rule reads. */
export type TwitchSourceLike =
  | { platform: 'twitch'; name?: string; channel: string; paid_events: boolean }
  | { platform: 'twitch-eventsub'; name?: string; channel: string; events: readonly EventSubKind[] }
  | { platform: string };

function label(s: { name?: string; platform: string; channel: string }): string {
  return s.name ?? `${s.platform}:${s.channel}`;
}

/** One sentence per channel whose cheers and gifts two sources would both report; [] when none. */
export function paidOwnershipProblems(sources: readonly TwitchSourceLike[]): string[] {
  const problems: string[] = [];
  const chats = sources.filter(
    (s): s is Extract<TwitchSourceLike, { platform: 'twitch' }> => s.platform === 'twitch' && 'paid_events' in s,
  );
  const subs = sources.filter(
    (s): s is Extract<TwitchSourceLike, { platform: 'twitch-eventsub' }> => s.platform === 'twitch-eventsub' && 'events' in s,
  );
  for (const chat of chats) {
    if (!chat.paid_events) continue;
    for (const es of subs) {
      if (channelFrom(es.channel) !== channelFrom(chat.channel)) continue;
      const paid = es.events.filter((k) => PAID_KINDS.includes(k));
      if (paid.length === 0) continue;
      problems.push(
        `sources "${label(chat)}" and "${label(es)}" would both report the cheers and gifts of twitch channel ` +
          `${channelFrom(chat.channel) ?? chat.channel} (EventSub events: ${paid.join(', ')}): set paid_events: false on the ` +
          `chat source to let EventSub report them, or drop ${paid.join(', ')} from the EventSub source's events`,
      );
    }
  }
  return problems;
}
