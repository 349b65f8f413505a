/**
 * A fake Twitch chat server on 127.0.0.1 speaking the real wire: IRC lines in WebSocket text
 * frames. It acknowledges the capabilities, checks the login (any `justinfan<digits>` nick, or
 * PASS `oauth:<token>` with the nick that token belongs to), sends the welcome numerics 001–376,
 * echoes JOIN with NAMES and ROOMSTATE (or NOTICE msg_channel_suspended for an unknown
 * channel), answers our PING with PONG (unless told not to), and lets a test push PRIVMSG and
 * USERNOTICE lines, its own PING, RECONNECT or a dropped socket. Everything is recorded.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** A channel the fake serves. */
export interface FakeChannel {
  login: string;
  roomId: string;
}

export interface FakeIrcOptions {
  channels: FakeChannel[];
  /** Token → the login it belongs to (for PASS oauth: logins). */
  tokens?: Record<string, string>;
}

/** One accepted socket: what the client sent, and the server's side of the conversation. */
export class FakeIrcConnection {
  readonly url: string;
  /** Every line the client sent, in order. */
  readonly lines: string[] = [];
  /** Text frames the client sent (lines per frame). */
  frames = 0;
  nick = '';
  pass = '';
  caps = '';
  /** Channels joined (lower case, without '#'). */
  readonly joined: string[] = [];
  /** The server PINGs not yet answered with a PONG. */
  unansweredPings = 0;
  /** Our answers to the client's PINGs are dropped while false. */
  answerPings = true;
  closedBy: 'client' | 'server' | undefined;
  closeCode: number | undefined;
  readonly #ws: WebSocket;
  readonly #server: FakeIrc;
  #joinWaiters: (() => void)[] = [];

  constructor(ws: WebSocket, req: IncomingMessage, server: FakeIrc) {
    this.#ws = ws;
    this.#server = server;
    this.url = req.url ?? '/';
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      this.frames += 1;
      for (const raw of data.toString().split('\r\n')) if (raw !== '') this.#onLine(raw);
    });
    ws.on('close', (code) => {
      this.closeCode = code;
      this.closedBy ??= 'client';
    });
  }

  get open(): boolean {
    return this.#ws.readyState === this.#ws.OPEN;
  }

  /** Sends lines, each CRLF-terminated, in one text frame. */
  send(...lines: string[]): void {
    this.#ws.send(lines.map((l) => `${l}\r\n`).join(''));
  }

  /** Sends raw text as one frame, as is. */
  sendRaw(text: string): void {
    this.#ws.send(text);
  }

  /** The server's PING; the client must answer PONG. */
  ping(): void {
    this.unansweredPings += 1;
    this.send('PING :tmi.twitch.tv');
  }

  /** Twitch's RECONNECT: the client must reconnect (the server closes soon after). */
  reconnect(): void {
    this.send(':tmi.twitch.tv RECONNECT');
  }

  /** Drops the socket without a close frame. */
  terminate(): void {
    this.closedBy = 'server';
    this.#ws.terminate();
  }

  /** Resolves once the client has joined a channel. */
  whenJoined(): Promise<void> {
    if (this.joined.length > 0) return Promise.resolve();
    return new Promise((resolve) => this.#joinWaiters.push(resolve));
  }

  #onLine(line: string): void {
    this.lines.push(line);
    const space = line.indexOf(' ');
    const command = (space < 0 ? line : line.slice(0, space)).toUpperCase();
    const rest = space < 0 ? '' : line.slice(space + 1);
    switch (command) {
      case 'CAP':
        this.caps = rest.replace(/^REQ :/, '');
        return this.send(`:tmi.twitch.tv CAP * ACK :${this.caps}`);
      case 'PASS':
        this.pass = rest;
        return;
      case 'NICK':
        this.nick = rest.trim();
        return this.#login();
      case 'JOIN':
        return this.#join(rest.trim().replace(/^#/, '').toLowerCase());
      case 'PING':
        if (this.answerPings) this.send(`:tmi.twitch.tv PONG tmi.twitch.tv :${rest.replace(/^:/, '')}`);
        return;
      case 'PONG':
        this.unansweredPings = Math.max(0, this.unansweredPings - 1);
        return;
      default:
        return;
    }
  }

  #login(): void {
    const anonymous = /^justinfan\d+$/.test(this.nick);
    const token = this.pass.startsWith('oauth:') ? this.pass.slice('oauth:'.length) : undefined;
    const owner = token === undefined ? undefined : this.#server.options.tokens?.[token];
    if (!anonymous && owner !== this.nick) {
      this.send(':tmi.twitch.tv NOTICE * :Login authentication failed');
      this.closedBy = 'server';
      this.#ws.close();
      return;
    }
    const n = this.nick;
    this.send(
      `:tmi.twitch.tv 001 ${n} :Welcome, GLHF!`,
      `:tmi.twitch.tv 002 ${n} :Your host is tmi.twitch.tv`,
      `:tmi.twitch.tv 003 ${n} :This server is rather new`,
      `:tmi.twitch.tv 004 ${n} :-`,
      `:tmi.twitch.tv 375 ${n} :-`,
      `:tmi.twitch.tv 372 ${n} :You are in a maze of twisty passages, all alike.`,
      `:tmi.twitch.tv 376 ${n} :>`,
    );
  }

  #join(login: string): void {
    const channel = this.#server.options.channels.find((c) => c.login === login);
    if (!channel) {
      this.send(`@msg-id=msg_channel_suspended :tmi.twitch.tv NOTICE #${login} :This channel does not exist or has been suspended.`);
      return;
    }
    const n = this.nick;
    this.joined.push(login);
    this.send(
      `:${n}!${n}@${n}.tmi.twitch.tv JOIN #${login}`,
      `:${n}.tmi.twitch.tv 353 ${n} = #${login} :${n}`,
      `:${n}.tmi.twitch.tv 366 ${n} #${login} :End of /NAMES list`,
      `@emote-only=0;followers-only=-1;r9k=0;room-id=${channel.roomId};slow=0;subs-only=0 :tmi.twitch.tv ROOMSTATE #${login}`,
    );
    for (const w of this.#joinWaiters.splice(0)) w();
  }
}

/** The fake server; connections are recorded in order. */
export class FakeIrc {
  readonly options: FakeIrcOptions;
  readonly connections: FakeIrcConnection[] = [];
  readonly #server: Server;
  readonly #wss: WebSocketServer;
  readonly #sockets = new Set<Socket>();
  #listeners: (() => void)[] = [];

  constructor(options: FakeIrcOptions) {
    this.options = options;
    this.#server = createServer((_req, res) => res.writeHead(426).end());
    this.#server.on('connection', (s) => {
      this.#sockets.add(s);
      s.on('close', () => this.#sockets.delete(s));
    });
    this.#wss = new WebSocketServer({ server: this.#server });
    this.#wss.on('connection', (ws, req) => {
      const conn = new FakeIrcConnection(ws, req, this);
      this.connections.push(conn);
      for (const l of this.#listeners.splice(0)) l();
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
  }

  /** The `urls.irc` value pointing at this fake. */
  get url(): string {
    return `ws://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** Resolves with the `index`-th accepted connection (0 = the first), at once if it exists. */
  async connection(index: number): Promise<FakeIrcConnection> {
    while (this.connections.length <= index) await new Promise<void>((resolve) => this.#listeners.push(resolve));
    return this.connections[index]!;
  }

  /** The `index`-th connection once it has joined a channel. */
  async joined(index: number): Promise<FakeIrcConnection> {
    const conn = await this.connection(index);
    await conn.whenJoined();
    return conn;
  }

  async close(): Promise<void> {
    for (const c of this.#wss.clients) c.terminate();
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
