/**
 * The YouTube connector on the kit's lifecycle: resolve() finds the room's live broadcast (the
 * channel's live page, else search.list, then videos.list), connect() polls its chat on the
 * kit's poll session. Everything YouTube-specific lives here: the history page that is not
 * reported, the page token kept across errors and sessions, chats that ended and are never
 * polled again, the quota pacing of every recurring call, and the viewer refresh folded into
 * the chat poll when it is due.
 */
import { pause } from '../../src/core/clock.js';
import { BridgeError } from '../../src/core/errors.js';
import {
  runPollSession,
  type Connector,
  type PollAnswer,
  type Resolution,
  type SessionResult,
  type SessionStop,
  type SourceShell,
} from '../kit/index.js';
import { YouTubeApi, type VideoInfo } from './api.js';
import { ChatDecoder } from './chat.js';
import type { YouTubeSourceConfig } from './config.js';
import { describeFailure, type ApiFailure } from './errors.js';
import { LivePages } from './live-page.js';
import { viewersEvent } from './mapping.js';
import { QUOTA_COSTS, QuotaBudget, type QuotaPlan } from './quota.js';
import { quotaFileFor, QuotaStore } from './quota-store.js';
import { parseRoom, roomLabel, type RoomTarget } from './room.js';

/** A live broadcast with a chat: what connect() polls. */
export interface ChatTarget {
  videoId: string;
  channelId: string;
  chatId: string;
  title: string;
}

const DEFAULTS = {
  /** Failed polls in a row before the session is given up (the lifecycle then reconnects). */
  maxErrors: 6,
} as const;

/** The reset as an operator reads it. */
function until(resetAt: number): string {
  return `midnight Pacific (${new Date(resetAt).toISOString().slice(11, 16)} UTC)`;
}

/** Finds and polls one room's broadcasts. */
export class YouTubeConnector implements Connector<ChatTarget> {
  readonly #shell: SourceShell;
  readonly #config: YouTubeSourceConfig;
  readonly #budget: QuotaBudget;
  readonly #store: QuotaStore;
  readonly #api: YouTubeApi;
  readonly #pages: LivePages;
  readonly #decoder: ChatDecoder;
  /** What is followed: the configured room, or a video room's channel once its broadcast ended. */
  #room: RoomTarget;
  /** The channel id behind a handle, once known (for search.list). */
  #channelId: string | undefined;
  /** Each chat's next page token: kept across failed polls and new sessions. */
  readonly #tokens = new Map<string, string>();
  /** Chats that ended: never polled again, whatever a stale videos.list still says. */
  readonly #ended = new Set<string>();
  #nextSearchAt = 0;
  /** Google said quotaExceeded: no call at all before this time (the next midnight Pacific). */
  #googleQuotaUntil = 0;
  #nextViewersAt = 0;
  /**
   * The last paid look at a video that was not live (scheduled, over, without a chat) and when
   * the next look at that same video is due: offline looks are paced by the budget like the chat.
   */
  #offlineLook: { videoId: string; dueAt: number } | undefined;
  /** Whether the last offline look was stretched (logged when that changes). */
  #offlineStretched = false;
  /** The chat interval the server asked for last (the viewer refresh's pacing uses it). */
  #chatIntervalMs: number;

  /**
   * `persist: false` (a `check --online` probe) reads the day's stored spend, so it judges the
   * budget as the running source would, but never writes it: a bridge running beside the check
   * owns that file.
   */
  constructor(shell: SourceShell, config: YouTubeSourceConfig, options: { persist?: boolean } = {}) {
    this.#shell = shell;
    this.#config = config;
    this.#room = parseRoom(config.room)!;
    this.#store = new QuotaStore(quotaFileFor(shell.deps.stateDir, shell.name), shell.logger);
    const persist = options.persist ?? true;
    this.#budget = new QuotaBudget({
      dailyUnits: config.daily_quota_units,
      now: () => shell.clock.now(),
      restore: this.#store.load(),
      onSpend: (day, call, units) => {
        if (persist) this.#store.save(day);
        shell.usage(call, units);
      },
    });
    this.#api = new YouTubeApi({ config, budget: this.#budget, http: shell.deps });
    this.#pages = new LivePages({ webBase: config.urls.web_base, timeoutMs: config.request_timeout_ms, http: shell.deps });
    this.#decoder = new ChatDecoder({ source: shell.name, value: config.value, now: () => shell.clock.now() });
    this.#chatIntervalMs = config.poll_floor_ms;
  }

  /** The budget (its totals feed the quota metric). */
  get budget(): QuotaBudget {
    return this.#budget;
  }

  /** The run is over: the day's spend is on disk before start() resolves. */
  async close(): Promise<void> {
    await this.#store.flush();
  }

  /** Why and how long to wait for the quota: this room's budget, or Google's answer for the project. */
  #quotaWait(whose: 'room' | 'google'): { reason: string; retryAfterMs: number } {
    const resetAt = this.#budget.resetAt;
    const reason =
      whose === 'room'
        ? `this room's daily_quota_units (${this.#budget.dailyUnits}) are spent; waiting for ${until(resetAt)}`
        : `Google answered quotaExceeded: the project's daily quota is spent; waiting for ${until(resetAt)}`;
    return { reason, retryAfterMs: resetAt - this.#shell.clock.now() };
  }

  /** Remembers Google's quotaExceeded until the reset, so that no call is made before it, however the wait is timed. */
  #googleQuotaSpent(): { reason: string; retryAfterMs: number } {
    this.#googleQuotaUntil = this.#budget.resetAt;
    return this.#quotaWait('google');
  }

  /** The wait still due for quota (Google's or this room's) before a call of `cost` units, if any. */
  #quotaBlock(call: 'videos' | 'chat_messages'): { reason: string; retryAfterMs: number } | undefined {
    if (this.#shell.clock.now() < this.#googleQuotaUntil) return this.#quotaWait('google');
    return this.#budget.affords(call) ? undefined : this.#quotaWait('room');
  }

  /** A failed lookup: quota → blocked until the reset; anything else throws (an `error` state and a backoff). */
  #lookupFailed(f: ApiFailure): Resolution<ChatTarget> {
    if (f.kind === 'quota_exceeded') return { kind: 'blocked', ...this.#googleQuotaSpent() };
    if (f.kind === 'garbage') this.#shell.discard(f.reason, f.sample);
    throw new BridgeError(f.kind === 'key_rejected' ? `youtube_${f.code}` : 'youtube_http', describeFailure(f));
  }

  async resolve(signal: AbortSignal): Promise<Resolution<ChatTarget>> {
    const block = this.#quotaBlock('videos');
    if (block) return { kind: 'blocked', ...block };
    const found = await this.#findVideo(signal);
    if (typeof found !== 'string') return found;
    await this.#offlineLookDue(found, signal);
    const v = await this.#api.video(found, signal);
    if (!v.ok) return this.#lookupFailed(v.failure);
    const judged = this.#judge(found, v.value.info);
    this.#paceOfflineLooks(found, judged);
    return judged;
  }

  /**
   * Waits until the next look at a video that was not live is due (the lifecycle's offline poll
   * has usually waited most of it already). A video the room did not show at the last look is
   * looked at at once: a new broadcast on the page is worth its unit.
   */
  async #offlineLookDue(videoId: string, signal: AbortSignal): Promise<void> {
    const look = this.#offlineLook;
    if (look?.videoId !== videoId) return;
    const waitMs = look.dueAt - this.#shell.clock.now();
    if (waitMs > 0 && !(await pause(this.#shell.clock, waitMs, signal))) throw new BridgeError('aborted', 'stopped while waiting');
  }

  /**
   * After a paid look: a live video clears the pacing; any other answer sets when the same video
   * may be looked at again, offline_poll_ms stretched so that looks every so often last the
   * budget until the reset (videos.list, 1 unit each; nothing else recurs while offline).
   */
  #paceOfflineLooks(videoId: string, judged: Resolution<ChatTarget>): void {
    if (judged.kind === 'live') {
      this.#offlineLook = undefined;
      return;
    }
    const pace = this.#budget.pace(this.#config.offline_poll_ms, QUOTA_COSTS.videos);
    // Exhausted: the next resolve's quota check blocks until the reset, no call made.
    const ms = pace.kind === 'wait' ? pace.ms : this.#config.offline_poll_ms;
    this.#offlineLook = { videoId, dueAt: this.#shell.clock.now() + ms };
    const stretched = pace.kind === 'wait' && pace.stretched;
    if (stretched !== this.#offlineStretched)
      this.#shell.logger.info(stretched ? 'offline looks paced to the quota' : 'offline looks back to offline_poll_ms', {
        intervalMs: ms,
        unitsLeft: this.#budget.remaining,
      });
    this.#offlineStretched = stretched;
  }

  /** The video the room shows now, or why there is none. */
  async #findVideo(signal: AbortSignal): Promise<string | Resolution<ChatTarget>> {
    const room = this.#room;
    if (room.kind === 'video') return room.videoId;
    const label = roomLabel(room);
    this.#budget.spend('live_page');
    const page = await this.#pages.read(room.kind === 'channel' ? { channelId: room.channelId } : { handle: room.handle }, signal);
    if (page.kind === 'video') return page.videoId;
    if (page.kind === 'none') {
      this.#channelId ??= page.channelId;
      return { kind: 'offline', reason: `no live broadcast on ${label}` };
    }
    if (page.kind === 'not_found') return { kind: 'not_found', reason: `YouTube has no channel ${label}` };
    if (!this.#config.search_fallback)
      return { kind: 'offline', reason: `the live page of ${label} could not be read (${page.reason}) and search_fallback is off` };
    return this.#search(label, page.reason, signal);
  }

  /** search.list for the channel's live video, paced by the budget (100 units a call). */
  async #search(label: string, why: string, signal: AbortSignal): Promise<string | Resolution<ChatTarget>> {
    const now = this.#shell.clock.now();
    if (now < this.#nextSearchAt)
      return {
        kind: 'offline',
        reason: `the live page of ${label} could not be read (${why}); next search.list in ${Math.ceil((this.#nextSearchAt - now) / 1000)} s`,
      };
    const pace = this.#budget.pace(this.#config.offline_poll_ms, QUOTA_COSTS.search);
    if (pace.kind === 'exhausted') return { kind: 'blocked', ...this.#quotaWait('room') };
    this.#nextSearchAt = now + pace.ms;
    const channelId = await this.#channelOf(signal);
    if (typeof channelId !== 'string') return channelId;
    const found = await this.#api.searchLive(channelId, signal);
    if (!found.ok) return this.#lookupFailed(found.failure);
    return found.value ?? { kind: 'offline', reason: `no live broadcast on ${label} (search.list)` };
  }

  async #channelOf(signal: AbortSignal): Promise<string | Resolution<ChatTarget>> {
    const room = this.#room;
    if (room.kind === 'channel') return room.channelId;
    if (this.#channelId) return this.#channelId;
    if (room.kind !== 'handle') throw new TypeError('a video room has no channel to search');
    const r = await this.#api.channelForHandle(room.handle, signal);
    if (!r.ok) return this.#lookupFailed(r.failure);
    if (!r.value) return { kind: 'not_found', reason: `YouTube has no channel @${room.handle}` };
    this.#channelId = r.value;
    return r.value;
  }

  /** What videos.list said about the video the room shows. */
  #judge(videoId: string, info: VideoInfo | undefined): Resolution<ChatTarget> {
    if (!info) return { kind: 'not_found', reason: `YouTube has no video ${videoId}` };
    const label = this.#room.kind === 'video' ? `video ${videoId}` : roomLabel(this.#room);
    if (info.state === 'live' && info.chatId && !this.#ended.has(info.chatId))
      return { kind: 'live', target: { videoId, channelId: info.channelId, chatId: info.chatId, title: info.title } };
    if (info.state === 'live' && !info.chatId) return { kind: 'offline', reason: `the broadcast ${videoId} has no live chat` };
    if (info.state === 'live') return { kind: 'offline', reason: `the live chat of ${videoId} is over; the broadcast goes on without it` };
    if (info.state === 'upcoming')
      return { kind: 'offline', reason: `a broadcast is scheduled on ${label} (video ${videoId}), not started` };
    if (this.#room.kind === 'video' && this.#config.follow_channel && info.channelId) {
      this.#room = { kind: 'channel', channelId: info.channelId };
      return { kind: 'offline', reason: `the broadcast ${videoId} is over; following its channel ${info.channelId}` };
    }
    return { kind: 'offline', reason: `the broadcast ${videoId} is over` };
  }

  connect(target: ChatTarget, signal: AbortSignal): Promise<SessionResult> {
    return runPollSession(
      this.#shell,
      {
        poll: (s) => this.#poll(target, s),
        intervalMs: this.#config.poll_floor_ms,
        minIntervalMs: this.#config.poll_floor_ms,
        backoff: { baseMs: this.#config.backoff_base_ms, maxMs: this.#config.backoff_max_ms },
        maxErrors: DEFAULTS.maxErrors,
      },
      signal,
    );
  }

  /** The viewer refresh as a recurring plan beside the chat poll. */
  #viewerPlans(): QuotaPlan[] {
    return this.#config.viewers_interval_ms > 0 ? [{ cost: QUOTA_COSTS.videos, intervalMs: this.#config.viewers_interval_ms }] : [];
  }

  #end(end: SessionStop): PollAnswer {
    return { kind: 'end', end };
  }

  /** One chat poll (and the viewer refresh when due). */
  async #poll(target: ChatTarget, signal: AbortSignal): Promise<PollAnswer> {
    const block = this.#quotaBlock('chat_messages');
    if (block) return this.#end({ kind: 'blocked', ...block });
    const token = this.#tokens.get(target.chatId);
    const r = await this.#api.chatPage(target.chatId, token, signal);
    if (!r.ok) return this.#chatFailed(target, r.failure);
    const history = token === undefined;
    const decoded = this.#decoder.decode(r.value, !history);
    if (!decoded.ok) {
      this.#shell.discard(decoded.reason, r.value);
      return { kind: 'error', reason: `unreadable chat page (${decoded.reason})` };
    }
    const page = decoded.page;
    this.#tokens.set(target.chatId, page.nextPageToken);
    // Live again after a block or an error spell too (the shell reports only a change).
    this.#shell.setState({ state: 'live', roomId: target.videoId, title: target.title });
    // Recorded before its events and before the viewer answer, so a replay meets them in the same order.
    // The history page is not recorded: a replay must not report it either.
    if (!history) this.#shell.record({ type: 'text', text: r.value });
    for (const p of page.problems) this.#shell.discard(p.reason, p.sample);
    for (const e of page.events) this.#shell.event(e);
    if (page.ended) return this.#chatOver(target, 'the stream went offline');
    await this.#refreshViewers(target, signal);
    this.#chatIntervalMs = Math.max(this.#config.poll_floor_ms, page.pollingIntervalMs ?? this.#config.poll_floor_ms);
    const pace = this.#budget.pace(this.#chatIntervalMs, QUOTA_COSTS.chat_messages, this.#viewerPlans());
    // An exhausted budget is found by the next poll's check; wait the server's interval until then.
    return { kind: 'ok', nextInMs: pace.kind === 'wait' ? pace.ms : this.#chatIntervalMs };
  }

  #chatOver(target: ChatTarget, reason: string): PollAnswer {
    this.#ended.add(target.chatId);
    this.#tokens.delete(target.chatId);
    return this.#end({ kind: 'ended', reason });
  }

  #chatFailed(target: ChatTarget, f: ApiFailure): PollAnswer {
    switch (f.kind) {
      case 'chat_ended':
        return this.#chatOver(target, 'the live chat ended');
      case 'chat_disabled':
        return this.#chatOver(target, 'the broadcast has no live chat (liveChatDisabled)');
      case 'not_found':
        this.#tokens.delete(target.chatId);
        return this.#end({ kind: 'restart', reason: `the live chat is gone (${f.message})` });
      case 'quota_exceeded':
        return this.#end({ kind: 'blocked', ...this.#googleQuotaSpent() });
      case 'key_rejected':
        return this.#end({ kind: 'auth_failed', reason: describeFailure(f), code: `youtube_${f.code}` });
      case 'rate_limited':
        return { kind: 'error', reason: describeFailure(f), retryAfterMs: 2 * this.#chatIntervalMs };
      case 'garbage':
        this.#shell.discard(f.reason, f.sample);
        return { kind: 'error', reason: describeFailure(f) };
      default:
        return { kind: 'error', reason: describeFailure(f) };
    }
  }

  /** Reads concurrentViewers when the refresh is due and the budget allows it. */
  async #refreshViewers(target: ChatTarget, signal: AbortSignal): Promise<void> {
    const now = this.#shell.clock.now();
    if (this.#config.viewers_interval_ms === 0 || now < this.#nextViewersAt) return;
    const pace = this.#budget.pace(this.#config.viewers_interval_ms, QUOTA_COSTS.videos, [
      { cost: QUOTA_COSTS.chat_messages, intervalMs: this.#chatIntervalMs },
    ]);
    if (pace.kind === 'exhausted') {
      this.#nextViewersAt = pace.resetAt;
      return;
    }
    this.#nextViewersAt = now + pace.ms;
    const v = await this.#api.video(target.videoId, signal);
    if (!v.ok) {
      if (v.failure.kind === 'garbage') this.#shell.discard(v.failure.reason, v.failure.sample);
      this.#shell.logger.warn('viewer count refresh failed', { reason: describeFailure(v.failure) });
      return;
    }
    this.#shell.record({ type: 'text', text: v.value.text });
    const viewers = v.value.info?.viewers;
    if (viewers !== undefined) this.#shell.event(viewersEvent(target.videoId, viewers, this.#shell.name, this.#shell.clock.now()));
  }
}
