/**
 * `platform: youtube`: the source factory and the replay decoder (loaded by the plugin).
 */
import { z } from 'zod';
import type { Source } from '../../src/core/source.js';
import { follow, type LifecyclePolicy } from '../kit/lifecycle.js';
import { sourceIdentity, type KitDeps, type ReplaySupport } from '../kit/plugin.js';
import { SourceShell } from '../kit/shell.js';
import { readVideoList } from './api.js';
import { ChatDecoder } from './chat.js';
import { YouTubeValueSchema, type YouTubeSourceConfig, type YouTubeValueConfig } from './config.js';
import { YouTubeConnector } from './connector.js';
import { viewersEvent } from './mapping.js';
import { youtubePlugin } from './plugin.js';

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
  const shell = new SourceShell({ identity: sourceIdentity(youtubePlugin, config), deps });
  const connector = new YouTubeConnector(shell, config);
  return shell.runs((signal) => follow(shell, connector, youtubePolicy(config), signal));
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
