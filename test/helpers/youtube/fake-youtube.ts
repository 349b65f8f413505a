/**
 * A fake YouTube on 127.0.0.1: the Data API v3 endpoints the adapter calls (videos, liveChat/
 * messages with page tokens and pollingIntervalMillis, search, channels) with Google's error
 * bodies (a missing or wrong key, quotaExceeded, liveChatEnded), and the channels' live pages.
 * It charges each call its real quota cost against a project limit and records every call with
 * the time on the test's clock, so tests assert pacing and spend from what the server saw.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { publishedAt } from './messages.js';

export const API_KEY = 'AIzaSyFAKE-test-key-0123456789abcdefghij';

/** What each endpoint costs, as Google charges it. */
const COSTS: Record<string, number> = { videos: 1, 'liveChat/messages': 5, search: 100, channels: 1 };

/** One request the fake saw. */
export interface FakeCall {
  /** The test clock's time when it arrived. */
  at: number;
  /** `videos`, `liveChat/messages`, `search`, `channels`, or a page path (`/@handle/live`). */
  endpoint: string;
  params: Record<string, string>;
  /** Whether the key was the right one (undefined for pages, which take none). */
  keyOk?: boolean;
  status: number;
  /** Units charged. */
  cost: number;
}

/** One broadcast (a video with a live chat). */
export interface FakeBroadcast {
  videoId: string;
  chatId: string;
  channelId: string;
  title: string;
  state: 'upcoming' | 'live' | 'ended';
  viewers: number;
  /** Every message of the chat, oldest first; the first call returns them all as history. */
  messages: unknown[];
  pollingIntervalMillis: number;
  /** How the end shows on the chat endpoint: an offlineAt page then liveChatEnded, or liveChatEnded at once. */
  endsWith: 'offline_at' | 'chat_ended';
  /** Whether the offlineAt page was served. */
  offlineServed: boolean;
  /** The owner turned the chat off: 403 liveChatDisabled, while the broadcast goes on. */
  chatDisabled?: boolean;
  startedAt: number;
}

/** A channel and what its live page does. */
export interface FakeChannel {
  channelId: string;
  handle: string;
  /** The broadcast its live page and search show. */
  current: FakeBroadcast | undefined;
  /** `normal`, a redirect to the EU consent wall, or a page without a canonical link. */
  page: 'normal' | 'consent' | 'garbage';
}

/** An answer the chat endpoint gives instead of the real one (garbage, a 500), once each. */
export interface Override {
  status: number;
  body: string;
  contentType?: string;
}

/** `2026-11-20T14:03:11Z`: whole seconds, as videos.list writes broadcast times. */
const seconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Google's bodies for a missing key, a wrong key and a spent quota, as the real API writes them. */
export const GOOGLE_ERRORS = {
  keyMissing: JSON.stringify({ error: { code: 403, message: 'The request is missing a valid API key.', status: 'PERMISSION_DENIED' } }),
  keyInvalid: JSON.stringify({
    error: {
      code: 400,
      message: 'API key not valid. Please pass a valid API key.',
      errors: [{ message: 'API key not valid. Please pass a valid API key.', domain: 'global', reason: 'badRequest' }],
      status: 'INVALID_ARGUMENT',
      details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' }],
    },
  }),
  quotaExceeded: JSON.stringify({
    error: {
      code: 403,
      message: 'The request cannot be completed because you have exceeded your <a href="/youtube/v3/getting-started#quota">quota</a>.',
      errors: [
        {
          message: 'The request cannot be completed because you have exceeded your <a href="/youtube/v3/getting-started#quota">quota</a>.',
          domain: 'youtube.quota',
          reason: 'quotaExceeded',
        },
      ],
    },
  }),
} as const;

function googleError(code: number, message: string, reason: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ error: { code, message, errors: [{ message, domain: 'youtube.liveChat', reason }], ...extra } });
}

export class FakeYouTube {
  readonly calls: FakeCall[] = [];
  readonly channels = new Map<string, FakeChannel>();
  readonly broadcasts = new Map<string, FakeBroadcast>();
  /** The project's daily quota; past it every metered call answers 403 quotaExceeded. */
  quotaLimit = Number.POSITIVE_INFINITY;
  quotaUsed = 0;
  /** Served (in order) by the chat endpoint before any real answer. */
  readonly chatOverrides: Override[] = [];
  readonly #server: Server;
  readonly #now: () => number;
  #chats = 0;

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
    this.#server = createServer((req, res) => this.#handle(req, res));
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  get base(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** What `urls.api_base` points at. */
  get apiBase(): string {
    return `${this.base}/youtube/v3`;
  }

  addChannel(channelId: string, handle: string): FakeChannel {
    const c: FakeChannel = { channelId, handle, current: undefined, page: 'normal' };
    this.channels.set(channelId, c);
    return c;
  }

  /** Starts a broadcast on the channel (its live page and search now show it). */
  startBroadcast(
    channelId: string,
    b: {
      videoId: string;
      title?: string;
      viewers?: number;
      pollingIntervalMillis?: number;
      history?: unknown[];
      state?: 'upcoming' | 'live';
    },
  ): FakeBroadcast {
    const channel = this.channels.get(channelId);
    if (!channel) throw new Error(`no channel ${channelId}`);
    const broadcast: FakeBroadcast = {
      videoId: b.videoId,
      chatId: `Cg0KC${b.videoId}chat${++this.#chats}`,
      channelId,
      title: b.title ?? `Live ${b.videoId}`,
      state: b.state ?? 'live',
      viewers: b.viewers ?? 0,
      messages: [...(b.history ?? [])],
      pollingIntervalMillis: b.pollingIntervalMillis ?? 5_000,
      endsWith: 'offline_at',
      offlineServed: false,
      startedAt: this.#now(),
    };
    this.broadcasts.set(b.videoId, broadcast);
    channel.current = broadcast;
    return broadcast;
  }

  /** Adds messages to a broadcast's chat. */
  push(videoId: string, ...messages: unknown[]): void {
    this.#broadcast(videoId).messages.push(...messages);
  }

  /** Ends a broadcast: the channel's page shows no video any more. */
  end(videoId: string, endsWith: FakeBroadcast['endsWith'] = 'offline_at'): void {
    const b = this.#broadcast(videoId);
    b.state = 'ended';
    b.endsWith = endsWith;
    const channel = this.channels.get(b.channelId);
    if (channel?.current === b) channel.current = undefined;
  }

  /** Calls to one endpoint. */
  callsTo(endpoint: string): FakeCall[] {
    return this.calls.filter((c) => c.endpoint === endpoint);
  }

  #broadcast(videoId: string): FakeBroadcast {
    const b = this.broadcasts.get(videoId);
    if (!b) throw new Error(`no broadcast ${videoId}`);
    return b;
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.base);
    const params = Object.fromEntries(url.searchParams);
    const call: FakeCall = { at: this.#now(), endpoint: url.pathname, params, status: 0, cost: 0 };
    this.calls.push(call);
    const send = (status: number, body: string, type = 'application/json; charset=UTF-8', headers: Record<string, string> = {}) => {
      call.status = status;
      res.writeHead(status, { 'content-type': type, ...headers });
      res.end(body);
    };
    if (!url.pathname.startsWith('/youtube/v3/')) return this.#page(url, send);

    const endpoint = url.pathname.slice('/youtube/v3/'.length);
    call.endpoint = endpoint;
    const key = url.searchParams.get('key');
    call.keyOk = key === API_KEY;
    if (key === null || key === '') return send(403, GOOGLE_ERRORS.keyMissing);
    if (!call.keyOk) return send(400, GOOGLE_ERRORS.keyInvalid);
    const cost = COSTS[endpoint];
    if (cost === undefined) return send(404, googleError(404, 'Not Found', 'notFound'));
    if (this.quotaUsed + cost > this.quotaLimit) return send(403, GOOGLE_ERRORS.quotaExceeded);
    call.cost = cost;
    this.quotaUsed += cost;
    switch (endpoint) {
      case 'videos':
        return send(200, this.#videos(params));
      case 'search':
        return send(200, this.#search(params));
      case 'channels':
        return send(200, this.#channelsList(params));
      default: {
        const override = this.chatOverrides.shift();
        if (override) return send(override.status, override.body, override.contentType);
        const [status, body] = this.#chat(params);
        return send(status, body);
      }
    }
  }

  #videos(params: Record<string, string>): string {
    const items = (params.id ?? '')
      .split(',')
      .map((id) => this.broadcasts.get(id))
      .filter((b): b is FakeBroadcast => b !== undefined)
      .map((b) => ({
        kind: 'youtube#video',
        etag: `etag-${b.videoId}`,
        id: b.videoId,
        snippet: { channelId: b.channelId, title: b.title, liveBroadcastContent: b.state === 'ended' ? 'none' : b.state },
        liveStreamingDetails: {
          scheduledStartTime: seconds(b.startedAt),
          ...(b.state === 'upcoming' ? {} : { actualStartTime: seconds(b.startedAt) }),
          ...(b.state === 'ended' ? { actualEndTime: seconds(this.#now()) } : {}),
          ...(b.state === 'live' ? { concurrentViewers: String(b.viewers), activeLiveChatId: b.chatId } : {}),
        },
      }));
    return JSON.stringify({
      kind: 'youtube#videoListResponse',
      etag: 'e',
      items,
      pageInfo: { totalResults: items.length, resultsPerPage: items.length },
    });
  }

  #search(params: Record<string, string>): string {
    const live = params.eventType === 'live' ? this.channels.get(params.channelId ?? '')?.current : undefined;
    const items =
      live && live.state === 'live'
        ? [{ kind: 'youtube#searchResult', etag: 'e', id: { kind: 'youtube#video', videoId: live.videoId } }]
        : [];
    return JSON.stringify({
      kind: 'youtube#searchListResponse',
      etag: 'e',
      regionCode: 'SG',
      pageInfo: { totalResults: items.length, resultsPerPage: 1 },
      items,
    });
  }

  #channelsList(params: Record<string, string>): string {
    const handle = (params.forHandle ?? '').replace(/^@/, '').toLowerCase();
    const items = [...this.channels.values()]
      .filter((c) => c.handle.toLowerCase() === handle)
      .map((c) => ({ kind: 'youtube#channel', etag: 'e', id: c.channelId }));
    return JSON.stringify({
      kind: 'youtube#channelListResponse',
      etag: 'e',
      pageInfo: { totalResults: items.length, resultsPerPage: 5 },
      items,
    });
  }

  #chat(params: Record<string, string>): [number, string] {
    const b = [...this.broadcasts.values()].find((x) => x.chatId === params.liveChatId);
    if (!b) return [404, googleError(404, 'The live chat that you are trying to retrieve cannot be found.', 'liveChatNotFound')];
    if (params.part !== 'id,snippet,authorDetails') return [400, googleError(400, 'bad part', 'invalidPart')];
    if (b.chatDisabled) return [403, googleError(403, 'Live chat is not enabled for the specified broadcast.', 'liveChatDisabled')];
    if (b.state === 'ended' && (b.endsWith === 'chat_ended' || b.offlineServed))
      return [403, googleError(403, 'The live chat is no longer live.', 'liveChatEnded')];
    const max = Math.min(2000, Math.max(200, Number(params.maxResults ?? 500)));
    const token = params.pageToken;
    let from: number;
    if (token === undefined) from = Math.max(0, b.messages.length - max);
    else {
      const m = /^p(\d+)$/.exec(token);
      if (!m || Number(m[1]) > b.messages.length) return [400, googleError(400, 'The page token is not valid.', 'pageTokenInvalid')];
      from = Number(m[1]);
    }
    const items = b.messages.slice(from, from + max);
    const ended = b.state === 'ended' && from + items.length >= b.messages.length;
    if (ended) b.offlineServed = true;
    return [
      200,
      JSON.stringify({
        kind: 'youtube#liveChatMessageListResponse',
        etag: 'e',
        pollingIntervalMillis: b.pollingIntervalMillis,
        ...(ended ? { offlineAt: publishedAt(this.#now(), 0, 'Z') } : {}),
        pageInfo: { totalResults: items.length, resultsPerPage: items.length },
        nextPageToken: `p${from + items.length}`,
        items,
      }),
    ];
  }

  #page(url: URL, send: (status: number, body: string, type?: string, headers?: Record<string, string>) => void): void {
    const m = /^\/(?:@([^/]+)|channel\/([^/]+))\/live$/.exec(url.pathname);
    const channel = m
      ? [...this.channels.values()].find((c) =>
          m[1] !== undefined ? c.handle.toLowerCase() === decodeURIComponent(m[1]).toLowerCase() : c.channelId === m[2],
        )
      : undefined;
    if (!channel) return send(404, '<html><body>404 Not Found</body></html>', 'text/html; charset=utf-8');
    if (channel.page === 'consent')
      return send(302, '', 'text/html', { location: `https://consent.youtube.com/m?continue=${encodeURIComponent(url.href)}` });
    if (channel.page === 'garbage')
      return send(200, '<html><head><title>Before you continue</title></head><body>…</body></html>', 'text/html; charset=utf-8');
    const live = channel.current;
    const canonical = live ? `https://www.youtube.com/watch?v=${live.videoId}` : `https://www.youtube.com/channel/${channel.channelId}`;
    send(
      200,
      `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${live ? live.title : channel.handle} - YouTube</title>` +
        `<link rel="alternate" href="android-app://com.google.android.youtube/http/www.youtube.com/channel/${channel.channelId}">` +
        `<link rel="canonical" href="${canonical}"><meta property="og:url" content="${canonical}"></head><body><script>var ytInitialData = {};</script></body></html>`,
      'text/html; charset=utf-8',
    );
  }
}
