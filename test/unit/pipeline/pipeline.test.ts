import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import type { CommentEvent, LikeEvent } from '../../../src/core/events.js';
import { FiltersSchema, PipelineSchema } from '../../../src/config/sections/pipeline.js';
import { EventStats } from '../../../src/core/stats.js';
import { createPipeline, truncateGraphemes } from '../../../src/pipeline/index.js';
import { ManualClock } from '../../helpers/clock.js';
import { silentLogger } from '../../helpers/logger.js';
import { comment, follow, gift, join, like, subscribe, user, viewers } from '../../helpers/reporter/events.js';
import { pipelineHarness } from '../../helpers/reporter/pipeline.js';

describe('dedupe', () => {
  it('drops the same platform id again, across sources, until the TTL passes', () => {
    const h = pipelineHarness({ dedupe_ttl_ms: 60_000 });
    h.pipeline.push(comment({ id: '7653887015607454502' }));
    h.pipeline.push(comment({ id: '7653887015607454502', source: 'second', text: 'other' }));
    h.pipeline.push(comment({ id: '7653887015607454502', platform: 'bilibili' }));
    h.clock.advance(60_000);
    h.pipeline.push(comment({ id: '7653887015607454502', text: 'again later' }));
    expect(h.out.map((e) => [e.platform, (e as CommentEvent).text])).toEqual([
      ['douyin', 'hello 7653887015607454502'],
      ['bilibili', 'hello 7653887015607454502'],
      ['douyin', 'again later'],
    ]);
    expect(h.stats.dropped.get('duplicate')).toEqual({ intentional: true, counts: expect.objectContaining({ comment: 1 }) });
  });

  it('always remembers the newest dedupe_max_entries ids, and forgets older ones', () => {
    const h = pipelineHarness({ dedupe_max_entries: 100 });
    for (let i = 0; i <= 200; i++) h.pipeline.push(follow({ id: `f${i}` }));
    for (const id of ['f0', 'f101', 'f150', 'f200']) h.pipeline.push(follow({ id }));
    expect(h.out.map((e) => e.id).slice(201)).toEqual(['f0']);
    expect(h.stats.dropped.get('duplicate')?.counts.follow).toBe(3);
  });
});

describe('filters', () => {
  it('disables kinds, blocks words and patterns, and applies the level threshold except to gifts and subscriptions', () => {
    const h = pipelineHarness(
      {},
      { enabled: { join: false }, blocked_words: ['SPAM'], blocked_patterns: ['^\\d{11}$', 'wei\\s*xin'], min_user_level: 3 },
    );
    h.pipeline.push(join({ id: 'j1' }));
    h.pipeline.push(comment({ id: 'c1', text: 'buy spam now' }));
    h.pipeline.push(comment({ id: 'c2', text: '13800138000' }));
    h.pipeline.push(comment({ id: 'c3', text: 'add me on WEI XIN' }));
    h.pipeline.push(comment({ id: 'c4', user: user('low', 2) }));
    h.pipeline.push(gift({ id: 'g1', user: user('low', 0) }));
    h.pipeline.push(subscribe({ id: 's1', user: user('low', 0) }));
    h.pipeline.push(follow({ id: 'f1', user: user('low', 0) }));
    h.pipeline.push(comment({ id: 'c5', text: 'nice 13800138000 stream' }));
    expect(h.out.map((e) => e.id)).toEqual(['g1', 's1', 'c5']);
    const reasons = Object.fromEntries([...h.stats.dropped].map(([r, v]) => [r, v.counts.join + v.counts.comment + v.counts.follow]));
    expect(reasons).toEqual({ filtered_type: 1, filtered_word: 1, filtered_pattern: 2, filtered_level: 2 });
  });

  it('reports a bad pattern as a config error, in the schema and in the pipeline', () => {
    const parsed = FiltersSchema.safeParse({ blocked_patterns: ['ok', '(unclosed'] });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ['blocked_patterns', 1] });
    expect(parsed.error?.issues[0]?.message).toMatch(/invalid regular expression "\(unclosed"/);
    const filters = { ...FiltersSchema.parse({}), blocked_patterns: ['(unclosed'] };
    const build = () =>
      createPipeline(
        { pipeline: PipelineSchema.parse({}), filters },
        { clock: new ManualClock(), logger: silentLogger(), stats: new EventStats(), emit: () => {} },
      );
    expect(build).toThrow(ConfigError);
    expect(build).toThrow(/filters\.blocked_patterns\[0\]: invalid regular expression/);
  });

  it('truncates long comments on grapheme boundaries', () => {
    expect(truncateGraphemes('abcdef', 3)).toBe('abc');
    expect(truncateGraphemes('ab😀😀', 3)).toBe('ab😀');
    expect(truncateGraphemes('👨‍👩‍👧‍👦👍🏽x', 2)).toBe('👨‍👩‍👧‍👦👍🏽');
    expect(truncateGraphemes('🇨🇳🇨🇳', 1)).toBe('🇨🇳');
    const h = pipelineHarness({}, { max_comment_length: 4 });
    h.pipeline.push(comment({ id: 'c1', text: '主播好😀😀😀' }));
    expect((h.out[0] as CommentEvent).text).toBe('主播好😀');
  });

  it('drops the same text from the same user within spam_window_ms', () => {
    const h = pipelineHarness({}, { spam_window_ms: 10_000 });
    const bob = user('bob');
    h.pipeline.push(comment({ id: 'c1', user: bob, text: '666' }));
    h.clock.advance(5000);
    h.pipeline.push(comment({ id: 'c2', user: bob, text: '666' }));
    h.pipeline.push(comment({ id: 'c3', user: user('carol'), text: '666' }));
    h.pipeline.push(comment({ id: 'c4', user: bob, text: '777' }));
    h.clock.advance(5000);
    h.pipeline.push(comment({ id: 'c5', user: bob, text: '666' }));
    expect(h.out.map((e) => e.id)).toEqual(['c1', 'c3', 'c4', 'c5']);
    expect(h.stats.dropped.get('spam')?.counts.comment).toBe(1);
  });
});

describe('caps', () => {
  it('passes at most one like per user per window, summing counts', () => {
    const h = pipelineHarness({ like_window_ms: 5000 });
    const bob = user('bob');
    h.pipeline.push(like({ id: 'l1', user: bob, count: 2 }));
    h.pipeline.push(like({ id: 'l2', user: bob, count: 3 }));
    h.pipeline.push(like({ id: 'l3', user: bob, count: 4 }));
    h.pipeline.push(like({ id: 'x1', user: user('carol'), count: 1 }));
    expect(h.out.map((e) => [e.id, (e as LikeEvent).count])).toEqual([
      ['l1', 2],
      ['x1', 1],
    ]);
    h.clock.advance(5000);
    expect(h.out.map((e) => [e.id, (e as LikeEvent).count])).toEqual([
      ['l1', 2],
      ['x1', 1],
      ['l3', 7],
    ]);
    h.pipeline.push(like({ id: 'l4', user: bob, count: 1 }));
    h.clock.advance(4999);
    expect(h.out).toHaveLength(3);
    h.clock.advance(1);
    expect(h.out.map((e) => e.id)).toEqual(['l1', 'x1', 'l3', 'l4']);
    h.clock.advance(5000);
    h.pipeline.push(like({ id: 'l5', user: bob }));
    expect(h.out.map((e) => e.id)).toEqual(['l1', 'x1', 'l3', 'l4', 'l5']);
    expect(h.stats.coalesced.like).toBe(1);
  });

  it('caps joins at max_joins_per_second', () => {
    const h = pipelineHarness({ max_joins_per_second: 5 });
    for (let i = 0; i < 20; i++) h.pipeline.push(join({ id: `j${i}` }));
    expect(h.out).toHaveLength(5);
    h.clock.advance(999);
    h.pipeline.push(join({ id: 'j20' }));
    expect(h.out).toHaveLength(5);
    h.clock.advance(1);
    for (let i = 21; i < 30; i++) h.pipeline.push(join({ id: `j${i}` }));
    expect(h.out.map((e) => e.id)).toEqual(['j0', 'j1', 'j2', 'j3', 'j4', 'j21', 'j22', 'j23', 'j24', 'j25']);
    expect(h.stats.dropped.get('join_cap')?.counts.join).toBe(20);
  });

  it('passes viewers, follows and gifts without caps', () => {
    const h = pipelineHarness();
    for (let i = 0; i < 10; i++) h.pipeline.push(viewers({ id: `v${i}`, count: i }));
    for (let i = 0; i < 10; i++) h.pipeline.push(follow({ id: `f${i}` }));
    for (let i = 0; i < 10; i++) h.pipeline.push(gift({ id: `g${i}` }));
    expect(h.out.map((e) => e.id)).toEqual(['v', 'f', 'g'].flatMap((p) => Array.from({ length: 10 }, (_, i) => `${p}${i}`)));
    expect(h.stats.dropped.size).toBe(0);
  });
});

describe('held events', () => {
  /** received = passed on + dropped + coalesced + held, at any moment. */
  const balance = (h: ReturnType<typeof pipelineHarness>) => {
    const sum = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
    let dropped = 0;
    for (const e of h.stats.dropped.values()) dropped += sum(e.counts);
    return sum(h.stats.received) - h.out.length - dropped - sum(h.stats.coalesced) - sum(h.pipeline.held());
  };

  it('counts the messages of open gift streaks and the likes of open windows, so the identity holds before they close', () => {
    const h = pipelineHarness({ gift_streak_idle_ms: 3000, like_window_ms: 5000 });
    const streak = { key: 'combo-1', final: false };
    const fan = user('fan', 10);
    h.pipeline.push(gift({ id: 'g1', user: fan, count: 1, streak }));
    h.pipeline.push(gift({ id: 'g2', user: fan, count: 2, streak }));
    h.pipeline.push(like({ id: 'l1', user: fan }));
    h.pipeline.push(like({ id: 'l2', user: fan }));
    h.pipeline.push(like({ id: 'l3', user: fan }));
    expect(h.pipeline.held()).toEqual({ viewers: 0, like: 2, join: 0, comment: 0, follow: 0, subscribe: 0, gift: 2 });
    expect(balance(h)).toBe(0);
    h.pipeline.push(gift({ id: 'g3', user: fan, count: 3, streak: { key: 'combo-1', final: true } }));
    expect(h.pipeline.held().gift).toBe(0);
    expect(balance(h)).toBe(0);
    h.clock.advance(5000);
    expect(h.pipeline.held().like).toBe(0);
    expect(balance(h)).toBe(0);
    h.pipeline.push(gift({ id: 'g4', user: fan, count: 1, streak: { key: 'combo-2', final: false } }));
    expect(h.pipeline.held().gift).toBe(1);
    h.pipeline.close();
    // Closing without a flush counts what was held as lost; nothing is held any more.
    expect(h.pipeline.held().gift).toBe(0);
    expect(h.stats.dropped.get('pipeline_closed')?.counts.gift).toBe(1);
    expect(balance(h)).toBe(0);
  });
});
