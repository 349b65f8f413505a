/**
 * The pre-signed report URL (report_url mode). It is posted to as is; with refresh credentials
 * configured, the first send within `refreshBeforeMs` of its expires_time goes out with
 * refresh_url=true under those credentials and the URL in the answer replaces it, but only when
 * its scheme and host equal the configured endpoint's. The URL is a secret: never logged.
 */
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { Authenticator } from './auth/types.js';
import { NoAuth } from './auth/token.js';
import { MetaStudioSetupError } from './errors.js';

const DEFAULTS = {
  refreshBeforeMs: 10 * 60_000,
  /** After a failed or refused refresh, how long the current (still valid) URL is used before trying again; doubles per refusal. */
  refreshHoldMs: 60_000,
  maxRefreshHoldMs: 30 * 60_000,
} as const;

const PATH = /^\/v1\/([^/]+)\/smart-live-rooms\/([^/]+)\/smart-live-jobs\/([^/]+)\/live-event-report\/?$/;

/** The project, room and job a report URL points at. */
export interface ReportUrlTarget {
  projectId: string;
  roomId: string;
  jobId: string;
}

/** Parses a report URL; throws MetaStudioSetupError (without the URL: it is a secret) when malformed. */
export function parseReportUrl(raw: string): { url: URL; target: ReportUrlTarget; expiresTime?: number } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new MetaStudioSetupError('metastudio.auth.url is not a URL');
  }
  const m = PATH.exec(url.pathname);
  if (!m?.[1] || !m[2] || !m[3])
    throw new MetaStudioSetupError(
      'metastudio.auth.url is not a live-event-report URL (/v1/{project}/smart-live-rooms/{room}/smart-live-jobs/{job}/live-event-report)',
    );
  const expires = url.searchParams.get('expires_time');
  const target = { projectId: decodeURIComponent(m[1]), roomId: decodeURIComponent(m[2]), jobId: decodeURIComponent(m[3]) };
  return { url, target, ...(expires !== null && /^\d+$/.test(expires) ? { expiresTime: Number(expires) } : {}) };
}

/** Where and how the next report goes. */
export interface ReportRoute {
  url: URL;
  auth: Authenticator;
  operation: 'report' | 'refresh_url';
}

/** The current pre-signed report URL and when to refresh it (see the module comment). */
export class ReportUrl {
  #current: ReturnType<typeof parseReportUrl>;
  #forceRefresh = false;
  #refreshHoldUntil = 0;
  /** Refreshes in a row whose answer was refused (failed, or a URL we will not use). */
  #refusals = 0;
  readonly #none = new NoAuth();

  constructor(
    raw: string,
    private readonly o: {
      endpoint: string;
      refreshAuth?: Authenticator;
      clock: Clock;
      logger: Logger;
      refreshBeforeMs?: number;
      /** Registers a refreshed URL and its key the moment they are received. */
      secret?: (value: string) => void;
    },
  ) {
    this.#current = parseReportUrl(raw);
  }

  get target(): ReportUrlTarget {
    return this.#current.target;
  }

  /** The route for the next send: the URL as is, or a refresh under the refresh credentials. */
  route(): ReportRoute {
    const { refreshAuth, clock } = this.o;
    const expires = this.#current.expiresTime;
    const now = clock.now();
    const due = expires !== undefined && now >= expires - (this.o.refreshBeforeMs ?? DEFAULTS.refreshBeforeMs);
    // A refused refresh must not stop reports while the current URL still works.
    const holding = now < this.#refreshHoldUntil && (expires === undefined || now < expires);
    if (refreshAuth && (due || this.#forceRefresh) && !holding) {
      const url = new URL(this.#current.url.pathname, this.#current.url);
      url.searchParams.set('refresh_url', 'true');
      return { url, auth: refreshAuth, operation: 'refresh_url' };
    }
    return { url: new URL(this.#current.url), auth: this.#none, operation: 'report' };
  }

  /** Makes the next send a refresh (after a 401 on the URL). */
  forceRefresh(): void {
    this.#forceRefresh = true;
    this.#refreshHoldUntil = 0;
  }

  /** A refresh failed: keep posting to the current URL until it expires, retrying the refresh later. */
  refreshFailed(): void {
    this.#holdRefreshes();
  }

  /** Backs off refreshing: 1 min, doubling per refusal in a row, at most 30 min (an expired URL is refreshed regardless). */
  #holdRefreshes(): void {
    this.#refusals += 1;
    this.#forceRefresh = false;
    const hold = Math.min(DEFAULTS.refreshHoldMs * 2 ** Math.min(this.#refusals - 1, 20), DEFAULTS.maxRefreshHoldMs);
    this.#refreshHoldUntil = this.o.clock.now() + hold;
  }

  /** Adopts the URL a refresh returned, when it points at the configured endpoint. */
  adopt(raw: string | undefined): void {
    const { logger, endpoint } = this.o;
    if (raw === undefined) {
      logger.warn('the refresh answer carried no live_event_report_url; keeping the current URL', {
        code: 'metastudio_report_url_missing',
      });
      this.#holdRefreshes();
      return;
    }
    let next: ReturnType<typeof parseReportUrl>;
    try {
      next = parseReportUrl(raw);
    } catch {
      logger.warn('the refresh answer carried an unusable report URL; keeping the current one', { code: 'metastudio_report_url_invalid' });
      this.#holdRefreshes();
      return;
    }
    const want = new URL(endpoint);
    if (next.url.protocol !== want.protocol || next.url.host !== want.host) {
      // Said once per run of refusals; the refresh backs off meanwhile, so this is no flood.
      const meta = { code: 'metastudio_foreign_report_url', host: next.url.host, endpointHost: want.host, refusals: this.#refusals + 1 };
      const message = 'refused a refreshed report URL that points outside the configured endpoint; keeping the current one';
      if (this.#refusals === 0) logger.warn(message, meta);
      else logger.debug(message, meta);
      this.#holdRefreshes();
      return;
    }
    this.#current = next;
    this.#forceRefresh = false;
    this.#refusals = 0;
    logger.info('report URL refreshed', {
      job: next.target.jobId,
      expiresAt: next.expiresTime === undefined ? undefined : new Date(next.expiresTime).toISOString(),
    });
  }
}
