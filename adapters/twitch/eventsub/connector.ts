/**
 * EventSub's steps for the kit's lifecycle. Resolve finds the channel's and the token owner's
 * user ids through Helix (401 → blocked). Each connect runs a chain of sockets: a welcome on a
 * fresh socket creates every subscription through Helix (Twitch closes the socket with 4003 if
 * none arrives within the deadline); a session_reconnect opens the given URL while the old
 * socket stays open, and the old one is closed only once the new one's welcome arrives (the
 * subscriptions carry over). A plain disconnect ends the chain: the lifecycle reconnects, and
 * the new session subscribes again. Notifications go through the inbox (message_id dedupe, age
 * limit) and the route table; stream.online/offline set live/ended; Helix's viewer count is
 * polled while live.
 */
import {
  type Connector,
  openSocketSession,
  type Resolution,
  type SessionResult,
  type SocketIO,
  type SocketProtocol,
  type SocketSession,
  type SourceShell,
} from '../../kit/index.js';
import type { TwitchEventSubSourceConfig } from '../config.js';
import { eventSubClose } from './close-codes.js';
import { Helix, HelixRefusedError, type HelixUser } from './helix.js';
import { EventSubInbox, type InboxOutcome } from './inbox.js';
import { parseEventSubFrame } from './messages.js';
import { subscribeAll } from './subscribe.js';
import { subscriptionsFor } from './subscriptions.js';
import { ViewerPoll } from './viewers.js';

const DEFAULTS = {
  /** The socket is dead after this many keepalive windows of silence (twurple's factor). */
  keepaliveFactor: 1.2,
} as const;

/** The channel, and whose token reads it. */
export interface EventSubTarget {
  broadcaster: HelixUser;
  tokenUser: HelixUser;
}

/** One socket of a connect's chain. */
interface Link {
  session: SocketSession;
  /** Aborts this socket's own work (its Helix calls) once it is over. */
  signal: AbortSignal;
  /** Set once a successor's welcome arrived: this socket's end does not end the chain. */
  replaced: boolean;
  /** The socket opened for this one's session_reconnect. */
  successor?: Link;
}

/** What every socket of one connect shares. */
interface Chain {
  target: EventSubTarget;
  links: Link[];
  viewers: ViewerPoll;
  open(url: string, predecessor?: Link): Link;
}

/** Follows one channel through EventSub. */
export class TwitchEventSubConnector implements Connector<EventSubTarget> {
  readonly #config: TwitchEventSubSourceConfig;
  readonly #shell: SourceShell;
  readonly #helix: Helix;
  readonly #inbox: EventSubInbox;

  constructor(config: TwitchEventSubSourceConfig, shell: SourceShell) {
    this.#config = config;
    this.#shell = shell;
    this.#helix = new Helix(
      {
        base: config.urls.helix,
        oauthBase: config.urls.oauth,
        clientId: config.client_id,
        token: config.token,
        timeoutMs: config.request_timeout_ms,
      },
      { fetch: shell.deps.fetch, dispatcher: shell.deps.dispatcher },
    );
    this.#inbox = new EventSubInbox({
      maxAgeMs: config.max_message_age_ms,
      ctx: { source: shell.name, bitsValue: config.bits_value, subValues: config.gift_sub_values },
    });
  }

  /** The source's Helix client (the probe asks it about the token and the stream too). */
  get helix(): Helix {
    return this.#helix;
  }

  async resolve(signal: AbortSignal): Promise<Resolution<EventSubTarget>> {
    try {
      const broadcaster = await this.#helix.userByLogin(this.#shell.room, signal);
      if (!broadcaster) return { kind: 'not_found', reason: `no twitch user has the login ${this.#shell.room}` };
      const tokenUser = await this.#helix.tokenUser(signal);
      return { kind: 'live', target: { broadcaster, tokenUser } };
    } catch (err) {
      if (err instanceof HelixRefusedError && err.status === 401) return { kind: 'blocked', reason: err.message };
      throw err;
    }
  }

  async connect(target: EventSubTarget, signal: AbortSignal): Promise<SessionResult> {
    const viewers = new ViewerPoll({
      shell: this.#shell,
      helix: this.#helix,
      broadcasterId: target.broadcaster.id,
      intervalMs: this.#config.viewers_interval_ms,
      signal,
    });
    const chain: Chain = {
      target,
      links: [],
      viewers,
      open: (url, predecessor) => {
        const done = new AbortController();
        const link = { signal: AbortSignal.any([signal, done.signal]), replaced: false } as Link;
        const stallMs = this.#stallMs(this.#config.keepalive_timeout_s);
        link.session = openSocketSession(this.#shell, { url, stallMs, protocol: this.#protocol(chain, link, predecessor) }, signal);
        void link.session.done.then(() => done.abort(new Error('socket closed')));
        chain.links.push(link);
        return link;
      },
    };
    const first = new URL(this.#config.urls.eventsub);
    first.searchParams.set('keepalive_timeout_seconds', String(this.#config.keepalive_timeout_s));
    chain.open(first.toString());
    try {
      // Each socket in turn; one that was replaced hands over to its successor.
      for (let i = 0; ; i += 1) {
        const link = chain.links[i]!;
        const result = await link.session.done;
        if (!link.replaced || !link.successor) return result;
      }
    } finally {
      viewers.close();
      for (const link of chain.links) link.session.end({ kind: 'closed', reason: 'the session chain ended' });
    }
  }

  #stallMs(keepaliveS: number): number {
    return Math.ceil(keepaliveS * 1000 * DEFAULTS.keepaliveFactor);
  }

  #protocol(chain: Chain, self: Link, predecessor: Link | undefined): SocketProtocol {
    const shell = this.#shell;
    return {
      onClose: eventSubClose,
      onFrame: (frame, io) => {
        if (frame.type === 'binary') return shell.discard('binary_frame', frame.bytes);
        const parsed = parseEventSubFrame(frame.text);
        if (!parsed.ok) return shell.discard(parsed.problem, frame.text);
        this.#apply(this.#inbox.accept(parsed.frame, shell.clock.now()), { chain, self, predecessor, io, text: frame.text });
      },
    };
  }

  #apply(outcome: InboxOutcome, at: { chain: Chain; self: Link; predecessor: Link | undefined; io: SocketIO; text: string }): void {
    const shell = this.#shell;
    const { chain, self, predecessor, io } = at;
    switch (outcome.kind) {
      case 'welcome':
        io.setStallTimeout(this.#stallMs(outcome.session.keepalive_timeout_seconds ?? this.#config.keepalive_timeout_s));
        if (predecessor) {
          // The subscriptions moved with the session: the old socket is closed now, not before.
          predecessor.replaced = true;
          predecessor.session.end({ kind: 'moved', reason: 'replaced by the session_reconnect socket' });
          io.healthy();
        } else void this.#subscribe(chain, outcome.session.id, io, self.signal);
        return;
      case 'reconnect':
        self.successor ??= chain.open(outcome.url, self);
        return;
      case 'notification':
        for (let i = 0; i < outcome.problems; i += 1) shell.discard('eventsub_event_malformed', at.text);
        for (const event of outcome.events) shell.event(event);
        if (outcome.stream?.state === 'live') {
          shell.setState({ state: 'live', roomId: chain.target.broadcaster.id });
          chain.viewers.start();
        } else if (outcome.stream?.state === 'ended') {
          chain.viewers.stop();
          shell.setState({ state: 'ended', reason: outcome.stream.reason });
        }
        return;
      case 'stale':
        shell.discard('eventsub_stale', at.text);
        return;
      case 'revoked':
        io.end({ kind: 'blocked', reason: outcome.reason });
        return;
      case 'keepalive':
      case 'duplicate':
      case 'ignored':
        return;
    }
  }

  /** A fresh session: subscribe to everything configured, then learn whether the stream is live. */
  async #subscribe(chain: Chain, sessionId: string, io: SocketIO, signal: AbortSignal): Promise<void> {
    const shell = this.#shell;
    const { broadcaster, tokenUser } = chain.target;
    const specs = subscriptionsFor(this.#config.events, { broadcasterId: broadcaster.id, tokenUserId: tokenUser.id });
    try {
      const outcome = await subscribeAll(this.#helix, specs, sessionId, signal, shell.logger);
      if (signal.aborted) return;
      if (outcome.kind !== 'ok') return io.end({ kind: outcome.kind === 'blocked' ? 'blocked' : 'closed', reason: outcome.reason });
      shell.logger.info('eventsub subscriptions created', { created: outcome.created, refused: outcome.refused.length });
      io.healthy();
      const stream = await this.#helix.stream(broadcaster.id, signal).catch((err: unknown) => {
        shell.logger.warn('cannot tell whether the stream is live', { error: err instanceof Error ? err.message : String(err) });
        return null;
      });
      if (signal.aborted) return;
      if (stream === undefined) shell.setState({ state: 'offline', reason: 'the channel is not live' });
      else {
        shell.setState({ state: 'live', roomId: broadcaster.id, ...(stream?.title ? { title: stream.title } : {}) });
        if (stream) chain.viewers.start();
      }
    } catch (err) {
      if (!signal.aborted) io.end({ kind: 'closed', reason: err instanceof Error ? err.message : String(err) });
    }
  }
}
