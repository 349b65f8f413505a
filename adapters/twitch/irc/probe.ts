/**
 * `check --online` for a chat source. Chat has no HTTP lookup (Helix needs a token and a client
 * id a chat source does not have), so the probe does what the source does up to the join and no
 * further: one socket to `urls.irc`, the same login (anonymous or the token), JOIN after the
 * welcome, and our channel's ROOMSTATE (with its room id) is the answer; the socket is then
 * closed with 1000. Nothing is read as an event, nothing reported.
 */
import { BridgeError } from '../../../src/core/errors.js';
import { runSocketSession, type ProbeResult, type SocketProtocol, type SourceShell } from '../../kit/index.js';
import type { TwitchSourceConfig } from '../config.js';
import { TwitchChatUnreachableError } from './connector.js';
import { parseIrcLine, splitLines } from './parse.js';
import { anonymousNick, ChatProtocol, passFor } from './protocol.js';

/** The chat server ended the probe's socket before answering the JOIN either way. */
export class TwitchChatProbeError extends BridgeError {
  constructor(reason: string) {
    super('twitch_chat_probe', `twitch chat: the channel was not joined: ${reason}`);
  }
}

/** Logs in and joins once; the channel's ROOMSTATE, a refusal or the socket's end decides. */
export async function probeChat(config: TwitchSourceConfig, shell: SourceShell, signal: AbortSignal): Promise<ProbeResult> {
  const channel = shell.room;
  const anonymous = config.token === '';
  const chat = new ChatProtocol({
    channel,
    nick: anonymous ? anonymousNick(shell.random) : config.nick.toLowerCase(),
    pass: passFor(config.token),
  });
  let found: ProbeResult | undefined;
  const protocol: SocketProtocol = {
    onOpen: (io) => {
      for (const line of chat.greeting()) io.send(line);
    },
    onFrame: (frame, io) => {
      if (frame.type === 'binary' || found) return;
      for (const raw of splitLines(frame.text)) {
        const parsed = parseIrcLine(raw);
        if (!parsed.ok) continue;
        const msg = parsed.message;
        const reaction = chat.react(msg);
        for (const line of reaction.send) io.send(line);
        if (reaction.joined) {
          const as = anonymous ? 'anonymously' : `as ${config.nick.toLowerCase()}`;
          found = { state: 'live', detail: `chat of #${channel} joined ${as} (room id ${reaction.joined.roomId || 'unknown'})` };
        } else if (reaction.end) {
          const unknownChannel = msg.command === 'NOTICE' && msg.tags.get('msg-id') === 'msg_channel_suspended';
          found = { state: unknownChannel ? 'not_found' : 'blocked', reason: `#${channel}: ${reaction.end.reason}` };
        }
        if (found) return io.end({ kind: 'closed', reason: 'probe done' });
      }
    },
  };
  const url = config.urls.irc;
  const result = await runSocketSession(shell, { url, stallMs: config.ping_interval_ms + config.pong_timeout_ms, protocol }, signal);
  if (found) return found;
  if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('aborted');
  if (result.frames === 0 && result.end.kind === 'closed') throw new TwitchChatUnreachableError(url, result.end.reason);
  throw new TwitchChatProbeError(result.end.kind === 'aborted' ? 'aborted' : result.end.reason);
}
