/**
 * The Data API v3 calls the adapter makes, each charged to the quota budget before it is sent:
 * videos.list (the broadcast's chat id, state and viewers), liveChatMessages.list (a page, as
 * text, for the decoder and the recorder), search.list (a channel's live video, 100 units, only
 * when the channel page cannot say) and channels.list (a handle's channel id, for that search).
 * The API key travels as the `key` query parameter; no URL ever reaches an error or a log line.
 */
import { CookieHttpClient, type HttpAnswer, type HttpDeps } from '../common/http.js';
import type { YouTubeSourceConfig } from './config.js';
import { classifyError, garbage, type ApiFailure } from './errors.js';
import type { QuotaBudget, QuotaCall } from './quota.js';
import { ChannelListSchema, SearchListSchema, VideoListSchema } from './raw.js';

/** A call's result: its value, or what went wrong. */
export type Answer<T> = { ok: true; value: T } | { ok: false; failure: ApiFailure };

/** Where a video stands, from videos.list. */
export interface VideoInfo {
  videoId: string;
  channelId: string;
  title: string;
  /** `live`, `upcoming` (scheduled, not started), `ended`, or `none` (not a broadcast at all). */
  state: 'live' | 'upcoming' | 'ended' | 'none';
  /** activeLiveChatId: absent once the broadcast ended, and when its chat is turned off. */
  chatId: string | undefined;
  /** concurrentViewers, when YouTube shows it. */
  viewers: number | undefined;
}

/** A videos.list answer: the video asked for, and the text as it came. */
export interface VideoAnswer {
  info: VideoInfo | undefined;
  text: string;
}

/** A transport failure: thrown by the HTTP layer, turned into a `network` failure here. */
class TransportError extends Error {}

const CHAT_PARTS = 'id,snippet,authorDetails';

/** The API calls of one source. */
export class YouTubeApi {
  readonly #http: ApiHttp;
  readonly #base: string;
  readonly #key: string;
  readonly #maxResults: number;
  readonly #budget: QuotaBudget;

  constructor(options: { config: YouTubeSourceConfig; budget: QuotaBudget; http?: HttpDeps }) {
    const { config } = options;
    this.#http = new ApiHttp({ userAgent: 'metastudio-live-bridge', cookie: '', timeoutMs: config.request_timeout_ms }, options.http);
    this.#base = config.urls.api_base.replace(/\/+$/, '');
    this.#key = config.api_key;
    this.#maxResults = config.max_results;
    this.#budget = options.budget;
  }

  async #get(call: QuotaCall, path: string, params: Record<string, string>, signal: AbortSignal): Promise<Answer<string>> {
    const url = new URL(`${this.#base}/${path}`);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    url.searchParams.set('key', this.#key);
    this.#budget.spend(call);
    let answer: HttpAnswer;
    try {
      answer = await this.#http.get(url.toString(), signal);
    } catch (err) {
      if (signal.aborted) throw err;
      return { ok: false, failure: { kind: 'network', message: err instanceof Error ? err.message : String(err) } };
    }
    const text = answer.text();
    if (answer.status >= 200 && answer.status < 300) return { ok: true, value: text };
    return { ok: false, failure: classifyError(answer.status, text) };
  }

  /** videos.list for one id (1 unit): the video (undefined when YouTube knows none) and the answer's text (for the recorder). */
  async video(videoId: string, signal: AbortSignal): Promise<Answer<VideoAnswer>> {
    const r = await this.#get('videos', 'videos', { part: 'liveStreamingDetails,snippet', id: videoId }, signal);
    if (!r.ok) return r;
    const read = readVideoList(r.value, videoId);
    return read.ok ? { ok: true, value: { info: read.value, text: r.value } } : read;
  }

  /** liveChatMessages.list (5 units): the page's text, for the decoder (and the recorder). */
  chatPage(chatId: string, pageToken: string | undefined, signal: AbortSignal): Promise<Answer<string>> {
    const params: Record<string, string> = { liveChatId: chatId, part: CHAT_PARTS, maxResults: String(this.#maxResults) };
    if (pageToken !== undefined) params.pageToken = pageToken;
    return this.#get('chat_messages', 'liveChat/messages', params, signal);
  }

  /** search.list for the channel's live video (100 units); undefined when it has none. */
  async searchLive(channelId: string, signal: AbortSignal): Promise<Answer<string | undefined>> {
    const r = await this.#get('search', 'search', { part: 'id', channelId, eventType: 'live', type: 'video', maxResults: '1' }, signal);
    if (!r.ok) return r;
    return readJson(r.value, (json) => {
      const list = SearchListSchema.safeParse(json);
      return list.success ? { value: list.data.items.map((i) => i.id.videoId).find((v) => v !== undefined) } : undefined;
    });
  }

  /** channels.list?forHandle (1 unit): the handle's channel id, undefined when no channel has it. */
  async channelForHandle(handle: string, signal: AbortSignal): Promise<Answer<string | undefined>> {
    const r = await this.#get('channels', 'channels', { part: 'id', forHandle: `@${handle}` }, signal);
    if (!r.ok) return r;
    return readJson(r.value, (json) => {
      const list = ChannelListSchema.safeParse(json);
      return list.success ? { value: list.data.items[0]?.id } : undefined;
    });
  }
}

/** Reads a 2xx body: `read` returns the value boxed, or undefined when the body does not fit (garbage). */
function readJson<T>(text: string, read: (json: unknown) => { value: T } | undefined): Answer<T> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, failure: garbage('answer_not_json', text) };
  }
  const boxed = read(json);
  return boxed === undefined ? { ok: false, failure: garbage('answer_unexpected', text) } : { ok: true, value: boxed.value };
}

/** Reads a videos.list answer's text: the item for `videoId` (any item when undefined), if any. */
export function readVideoList(text: string, videoId?: string): Answer<VideoInfo | undefined> {
  return readJson(text, (json) => {
    const list = VideoListSchema.safeParse(json);
    if (!list.success) return undefined;
    const item = list.data.items.find((i) => videoId === undefined || i.id === videoId);
    return { value: item ? videoInfo(item) : undefined };
  });
}

function videoInfo(item: ReturnType<typeof VideoListSchema.parse>['items'][number]): VideoInfo {
  const live = item.liveStreamingDetails;
  const content = item.snippet?.liveBroadcastContent;
  const chatId = live?.activeLiveChatId || undefined;
  const state: VideoInfo['state'] = !live
    ? 'none'
    : live.actualEndTime
      ? 'ended'
      : live.actualStartTime || content === 'live'
        ? 'live'
        : 'upcoming';
  const viewers = live?.concurrentViewers === undefined ? undefined : Math.min(Number.MAX_SAFE_INTEGER, Number(live.concurrentViewers));
  return { videoId: item.id, channelId: item.snippet?.channelId ?? '', title: item.snippet?.title ?? '', state, chatId, viewers };
}

/** The HTTP transport: GET with the shared client's timeout and injected fetch. */
class ApiHttp extends CookieHttpClient {
  get(url: string, signal: AbortSignal): Promise<HttpAnswer> {
    return this.send(
      url,
      { headers: { accept: 'application/json' }, signal },
      (cause) => new TransportError(`no answer: ${(cause as Error).message}`),
    );
  }
}
