/**
 * A channel's live page (`/@handle/live`, `/channel/<id>/live`) names the video it shows: while
 * the channel is live (or has a broadcast scheduled) it is that video's watch page, whose
 * canonical link is `/watch?v=<id>`; otherwise it is the channel page, whose canonical link is
 * `/channel/<id>`. Reading it costs no quota, which is why it comes before search.list (100 units).
 * videos.list then says whether the named video is really live.
 */
import { CookieHttpClient, type HttpAnswer, type HttpDeps } from '../common/http.js';
import { CHANNEL_ID, VIDEO_ID } from './room.js';

/** What the page said. */
export type LivePage =
  /** It shows this video (live or scheduled: videos.list tells). */
  | { kind: 'video'; videoId: string }
  /** It shows the channel: no broadcast now. */
  | { kind: 'none'; channelId: string | undefined }
  /** No such channel. */
  | { kind: 'not_found' }
  /** Not a page we can read (a consent wall, a changed layout, an error): ask search.list instead. */
  | { kind: 'unreadable'; reason: LivePageProblem };

/** Why the page could not be read (snake_case). */
export type LivePageProblem =
  'no_canonical_link' | 'consent_redirect' | 'redirect_elsewhere' | 'too_many_redirects' | 'http_error' | 'no_answer';

const DEFAULTS = {
  userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0.0.0 Safari/537.36',
  maxRedirects: 3,
} as const;

const LINK = /<link\b[^>]*>/gi;

/** The href of the page's `<link rel="canonical">`, if any. */
function canonicalHref(html: string): string | undefined {
  for (const tag of html.match(LINK) ?? []) {
    if (!/\brel\s*=\s*["']?canonical["'\s>]/i.test(tag)) continue;
    const href = /\bhref\s*=\s*["']([^"']+)["']/i.exec(tag);
    if (href) return href[1]!.replace(/&amp;/g, '&');
  }
  return undefined;
}

/** What a video or channel URL (absolute, or a path) points at. */
function target(href: string, base: string): LivePage | undefined {
  let url: URL;
  try {
    url = new URL(href, base);
  } catch {
    return undefined;
  }
  const v = url.pathname === '/watch' ? (url.searchParams.get('v') ?? '') : '';
  if (VIDEO_ID.test(v)) return { kind: 'video', videoId: v };
  const live = /^\/live\/([^/]+)$/.exec(url.pathname)?.[1];
  if (live && VIDEO_ID.test(live)) return { kind: 'video', videoId: live };
  const channel = /^\/channel\/([^/]+)/.exec(url.pathname)?.[1];
  if (channel && CHANNEL_ID.test(channel)) return { kind: 'none', channelId: channel };
  return undefined;
}

/** Reads a live page's HTML. */
export function readLivePage(html: string, base: string): LivePage {
  const href = canonicalHref(html);
  const found = href === undefined ? undefined : target(href, base);
  return found ?? { kind: 'unreadable', reason: 'no_canonical_link' };
}

/** Fetches channel live pages (its own cookie jar: the site's cookies never go to the API). */
export class LivePages {
  readonly #http: PageHttp;
  readonly #base: string;

  constructor(options: { webBase: string; timeoutMs: number; http?: HttpDeps }) {
    this.#base = options.webBase.replace(/\/+$/, '');
    this.#http = new PageHttp({ userAgent: DEFAULTS.userAgent, cookie: '', timeoutMs: options.timeoutMs }, options.http);
  }

  /** The live page of a channel (by id) or of a handle. */
  async read(channel: { channelId: string } | { handle: string }, signal: AbortSignal): Promise<LivePage> {
    const path = 'channelId' in channel ? `/channel/${channel.channelId}/live` : `/@${encodeURIComponent(channel.handle)}/live`;
    let url = `${this.#base}${path}`;
    const origin = new URL(this.#base).origin;
    for (let hop = 0; hop <= DEFAULTS.maxRedirects; hop += 1) {
      let answer: HttpAnswer;
      try {
        answer = await this.#http.get(url, signal);
      } catch (err) {
        if (signal.aborted) throw err;
        return { kind: 'unreadable', reason: 'no_answer' };
      }
      if (answer.status === 404) return { kind: 'not_found' };
      if (answer.status >= 300 && answer.status < 400) {
        const location = answer.headers.get('location');
        if (!location) return { kind: 'unreadable', reason: 'http_error' };
        const next = new URL(location, url);
        if (/(^|\.)consent\./i.test(next.hostname)) return { kind: 'unreadable', reason: 'consent_redirect' };
        const direct = target(next.toString(), url);
        if (direct?.kind === 'video') return direct;
        if (next.origin !== origin) return { kind: 'unreadable', reason: 'redirect_elsewhere' };
        url = next.toString();
        continue;
      }
      if (answer.status !== 200) return { kind: 'unreadable', reason: 'http_error' };
      return readLivePage(answer.text(), url);
    }
    return { kind: 'unreadable', reason: 'too_many_redirects' };
  }
}

/** GET with a browser's headers (YouTube serves the full page to browsers only). */
class PageHttp extends CookieHttpClient {
  get(url: string, signal: AbortSignal): Promise<HttpAnswer> {
    return this.send(
      url,
      { headers: { 'user-agent': this.userAgent, 'accept-language': 'en-US,en;q=0.9', accept: 'text/html' }, signal },
      (cause) => (cause instanceof Error ? cause : new Error(String(cause))),
    );
  }
}
