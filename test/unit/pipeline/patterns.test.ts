/**
 * filters.blocked_patterns run on a linear-time engine (re2js): a pattern that backtracks
 * exponentially in JavaScript (`^(a+)+$`, 1.4 s for 29 characters) is harmless, and what only a
 * backtracking engine can run is refused when the config is checked, with its file and line.
 */
import { describe, expect, test } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import { ConfigError } from '../../../src/core/errors.js';
import { comment } from '../../helpers/reporter/events.js';
import { pipelineHarness } from '../../helpers/reporter/pipeline.js';

const config = (patterns: string[]) => `stream: s
sources:
  - platform: simulate
metastudio:
  project_id: p
  room_id: r
filters:
  blocked_patterns:
${patterns.map((p) => `    - ${JSON.stringify(p)}`).join('\n')}
`;

describe('blocked_patterns', () => {
  test('a pattern that backtracks exponentially in JavaScript matches in linear time, with the same answers', () => {
    const h = pipelineHarness({}, { blocked_patterns: ['^(a+)+$'], max_comment_length: 50_000 });
    // 20 000 characters: a backtracking engine would not finish this within the age of the universe.
    h.pipeline.push(comment({ id: 'c1', ts: h.clock.now(), text: `${'a'.repeat(20_000)}!` }));
    h.pipeline.push(comment({ id: 'c2', ts: h.clock.now(), text: 'a'.repeat(29) }));
    h.pipeline.push(comment({ id: 'c3', ts: h.clock.now(), text: 'AAAA' }));
    expect(h.out.map((e) => e.id)).toEqual(['c1']);
    expect(h.stats.dropped.get('filtered_pattern')?.counts.comment).toBe(2);
  });

  test('matches the text as it will be sent (cut to max_comment_length), case-insensitively, emoji whole', () => {
    const h = pipelineHarness({}, { blocked_patterns: ['加微信|vx\\s*\\d+', '😀{3}'], max_comment_length: 10 });
    for (const [id, text] of [
      ['c1', '主播 VX 12345'],
      ['c2', '前面十个字是正常的内容然后加微信'],
      ['c3', 'hi 😀😀😀'],
      ['c4', 'hi 😀😀'],
    ])
      h.pipeline.push(comment({ id: id!, ts: h.clock.now(), text: text! }));
    expect(h.out.map((e) => e.id)).toEqual(['c2', 'c4']);
  });

  test('backreferences, lookaround and oversized patterns are refused at check time with file:line', () => {
    const problems = (patterns: string[]) => {
      try {
        parseConfig(config(patterns), 'cfg.yaml', {});
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as ConfigError).problems;
      }
      throw new Error('expected a refusal');
    };
    expect(problems(['(a)\\1'])).toEqual([
      'cfg.yaml:9:7: filters.blocked_patterns[0]: invalid regular expression "(a)\\\\1" (RE2 syntax: no backreferences or lookaround): error parsing regexp: invalid escape sequence: `\\1`',
    ]);
    expect(problems(['ok', 'spam(?=!)'])[0]).toMatch(
      /^cfg\.yaml:10:7: filters\.blocked_patterns\[1\]: invalid regular expression .*unsupported Perl syntax/,
    );
    expect(problems(['x'.repeat(2001)])[0]).toMatch(
      /^cfg\.yaml:9:7: filters\.blocked_patterns\[0\]: a pattern of 2001 characters is over the limit of 2000$/,
    );
  });
});
