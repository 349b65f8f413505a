/**
 * Twitch chat's steps for the kit's lifecycle. There is nothing to resolve (the channel login is
 * the target); each session is one IRC-over-WebSocket socket: capabilities and login on open,
 * JOIN after the welcome, PONG to the server's PING, our own PING on a timer with the stall
 * watchdog behind it, RECONNECT obeyed (reconnect at once and JOIN again), and every frame read
 * through the route table.
 */
import { BridgeError } from '../../../src/core/errors.js';
import {
  type Connector,
  type Resolution,
  runSocketSession,
  type SessionResult,
  type SocketIO,
  type SocketProtocol,
  type SourceShell,
} from '../../kit/index.js';
import type { TwitchSourceConfig } from '../config.js';
import { CommunityGifts } from './community-gifts.js';
import { ChatFrameReader } from './lines.js';
import { anonymousNick, ChatProtocol, OUR_PING, passFor } from './protocol.js';

/** The channel a chat source follows. */
export interface ChatTarget {
  channel: string;
}

/** The chat socket could not be opened at all (refused, unreachable, handshake failed). */
export class TwitchChatUnreachableError extends BridgeError {
  constructor(url: string, reason: string) {
    super('twitch_chat_unreachable', `twitch chat: cannot reach ${url}: ${reason}`);
  }
}

/** Follows one channel's chat. */
export class TwitchChatConnector implements Connector<ChatTarget> {
  readonly #config: TwitchSourceConfig;
  readonly #shell: SourceShell;
  readonly #reader: ChatFrameReader;

  constructor(config: TwitchSourceConfig, shell: SourceShell) {
    this.#config = config;
    this.#shell = shell;
    this.#reader = new ChatFrameReader({
      source: shell.name,
      now: () => shell.clock.now(),
      communityGifts: new CommunityGifts(),
      paidEvents: config.paid_events,
      bitsValue: config.bits_value,
      subValues: config.gift_sub_values,
    });
  }

  resolve(): Promise<Resolution<ChatTarget>> {
    return Promise.resolve({ kind: 'live', target: { channel: this.#shell.room } });
  }

  async connect(target: ChatTarget, signal: AbortSignal): Promise<SessionResult> {
    const url = this.#config.urls.irc;
    const result = await runSocketSession(
      this.#shell,
      { url, stallMs: this.#config.ping_interval_ms + this.#config.pong_timeout_ms, protocol: this.#protocol(target) },
      signal,
    );
    // A socket that never opened is not a session that ended: the operator sees an error state.
    if (result.frames === 0 && result.end.kind === 'closed') throw new TwitchChatUnreachableError(url, result.end.reason);
    return result;
  }

  #protocol(target: ChatTarget): SocketProtocol {
    const shell = this.#shell;
    const anonymous = this.#config.token === '';
    const chat = new ChatProtocol({
      channel: target.channel,
      nick: anonymous ? anonymousNick(shell.random) : this.#config.nick.toLowerCase(),
      pass: passFor(this.#config.token),
    });
    let ended = false;
    const sink = (io: SocketIO) => ({
      line: (msg: Parameters<ChatProtocol['react']>[0]) => {
        const reaction = chat.react(msg);
        for (const line of reaction.send) io.send(line);
        if (reaction.joined) {
          io.healthy();
          io.startHeartbeat();
          shell.setState({ state: 'live', roomId: reaction.joined.roomId });
        }
        if (reaction.end) {
          ended = true;
          io.end(reaction.end);
        }
      },
      event: (e: Parameters<SourceShell['event']>[0]) => shell.event(e),
      discard: (reason: string, sample: string) => shell.discard(reason, sample),
    });
    return {
      heartbeat: { frame: () => OUR_PING, intervalMs: this.#config.ping_interval_ms },
      onOpen: (io) => {
        for (const line of chat.greeting()) io.send(line);
      },
      onFrame: (frame, io) => {
        if (frame.type === 'binary') return shell.discard('binary_frame', frame.bytes);
        this.#reader.read(frame.text, sink(io), () => ended);
      },
    };
  }
}
