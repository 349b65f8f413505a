/**
 * `platform: youtube`: the source factory and the replay decoder (loaded by the plugin).
 */
import { z } from 'zod';
import type { Source } from '../../src/core/source.js';
import { followingSource, probeConnector, type LifecyclePolicy } from '../kit/lifecycle.js';
import { sourceIdentity, type KitDeps, type ProbeResult, type ReplaySupport } from '../kit/plugin.js';
import { SourceShell } from '../kit/shell.js';
import { readVideoList } from './api.js';
import { ChatDecoder } from './chat.js';
import { YOUTUBE_NAMING, YouTubeValueSchema, type YouTubeSourceConfig, type YouTubeValueConfig } from './config.js';
import { YouTubeConnector } from './connector.js';
import { viewersEvent } from './mapping.js';

const DEFAULTS = {
  /** Wait after a refusal that names no time of its own. */
  slowRetryMs: 300_000,
  /** Sessions in a row that never read a page before the broadcast is looked up again. */
  recheckAfterFailures: 3,
} as const;

/** How a YouTube source paces itself between sessions, from its config. */
export function youtubePolicy(config: YouTubeSourceConfig): LifecyclePolicy {
  return {
    backoff: { baseMs: config.backoff_base_ms, maxMs: config.backoff_max_ms },
    slowRetryMs: DEFAULTS.slowRetryMs,
    pollMs: config.offline_poll_ms,
    minPollMs: config.offline_poll_ms / 2,
    recheckAfterFailures: DEFAULTS.recheckAfterFailures,
  };
}

/** Source factory for `platform: youtube`. */
export function create(config: YouTubeSourceConfig, deps: KitDeps): Source {
  return followingSource(YOUTUBE_NAMING, config, deps, (shell) => new YouTubeConnector(shell, config), youtubePolicy(config));
}

/**
 * `check --online`: the room's broadcast found exactly as the source finds it (live page, else
 * search.list, then videos.list), the chat not polled. The units it cost are said, since they come
 * out of the same project quota; the stored day's spend is read (a spent room budget is `blocked`)
 * but not written.
 */
export async function probe(config: YouTubeSourceConfig, deps: KitDeps, signal: AbortSignal): Promise<ProbeResult> {
  const shell = new SourceShell({ identity: sourceIdentity(YOUTUBE_NAMING, config), deps });
  const connector = new YouTubeConnector(shell, config, { persist: false });
  const units = () => Object.values(connector.budget.totals()).reduce((sum, t) => sum + t.units, 0);
  const found = await probeConnector(connector, signal, (t) => `video ${t.videoId} "${t.title}" with a live chat`);
  const cost = `this check spent ${units()} quota unit(s)`;
  return found.state === 'live' ? { ...found, detail: `${found.detail}; ${cost}` } : { ...found, reason: `${found.reason}; ${cost}` };
}

/**
 * Recorded answers (chat pages after the history page, and videos.list answers) are decoded by the
 * same page decoder and route table as live ones; a page with offlineAt or a chatEndedEvent ends
 * the replayed broadcast.
 */
export const replay: ReplaySupport<{ value: YouTubeValueConfig }> = {
  options: z.object({ value: YouTubeValueSchema.prefault({}) }),
  decoder(options, ctx) {
    const chat = new ChatDecoder({ source: ctx.source, value: options.value, now: ctx.now });
    const discard = (reason: string, text: string) => ctx.discards.report(reason, Buffer.from(text.slice(0, 512), 'utf8'));
    return (frame) => {
      if (frame.type !== 'text') {
        ctx.discards.report('binary_frame', frame.bytes.subarray(0, 512));
        return { events: [] };
      }
      if (answerKind(frame.text) === 'youtube#videoListResponse') {
        const v = readVideoList(frame.text);
        if (!v.ok) discard(v.failure.kind === 'garbage' ? v.failure.reason : 'answer_unexpected', frame.text);
        const info = v.ok ? v.value : undefined;
        return { events: info?.viewers === undefined ? [] : [viewersEvent(info.videoId, info.viewers, ctx.source, ctx.now())] };
      }
      const page = chat.decode(frame.text, true);
      if (!page.ok) {
        discard(page.reason, frame.text);
        return { events: [] };
      }
      for (const p of page.page.problems) discard(p.reason, p.sample);
      return page.page.ended
        ? { events: page.page.events, ended: 'the capture recorded the end of the chat' }
        : { events: page.page.events };
    };
  },
};

/** The `kind` of a recorded answer (`youtube#liveChatMessageListResponse`, `youtube#videoListResponse`), if it has one. */
function answerKind(text: string): unknown {
  try {
    return (JSON.parse(text) as { kind?: unknown } | null)?.kind;
  } catch {
    return undefined;
  }
}
