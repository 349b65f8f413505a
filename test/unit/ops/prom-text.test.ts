import { describe, expect, test } from 'vitest';
import { EventStats } from '../../../src/core/stats.js';
import { createMetrics } from '../../../src/ops/metrics.js';
import { parsePrometheusText, sumOf } from '../../helpers/ops/prom-text.js';

describe('parsePrometheusText (test helper)', () => {
  test('reads the whole registry, default metrics included', async () => {
    const stats = new EventStats();
    stats.countSent('gift', 4);
    stats.countSent('comment', 2);
    const metrics = createMetrics({ stream: 's', stats, reporter: () => null, sources: () => [], sink: () => ({ state: 'ready' }) });
    metrics.observeRequest({ operation: 'report', status: '200', durationMs: 10 });
    const families = parsePrometheusText(await metrics.registry.metrics());
    expect(families.get('live_bridge_events_sent_total')?.type).toBe('counter');
    expect(sumOf(families, 'live_bridge_events_sent_total')).toBe(6);
    expect(sumOf(families, 'live_bridge_events_sent_total', { type: 'gift' })).toBe(4);
    expect(sumOf(families, 'live_bridge_metastudio_request_duration_seconds_count', { operation: 'report' })).toBe(1);
    expect(families.get('process_cpu_seconds_total')?.type).toBe('counter');
  });

  test('unescapes label values', () => {
    const families = parsePrometheusText('# HELP x h\n# TYPE x gauge\nx{a="q\\"uote",b="back\\\\slash",c="new\\nline"} 1\n');
    expect(families.get('x')?.samples).toEqual([{ name: 'x', labels: { a: 'q"uote', b: 'back\\slash', c: 'new\nline' }, value: 1 }]);
  });

  test.each([
    ['a sample without a family', 'x 1\n'],
    ['a sample of another family', '# HELP x h\n# TYPE x counter\ny_total 1\n'],
    ['a bad value', '# HELP x h\n# TYPE x gauge\nx one\n'],
    ['unquoted label values', '# HELP x h\n# TYPE x gauge\nx{a=b} 1\n'],
    ['a stray comment', '# HELP x h\n# TYPE x gauge\n# hello\nx 1\n'],
    ['a duplicate label', '# HELP x h\n# TYPE x gauge\nx{a="1",a="2"} 1\n'],
  ])('rejects %s', (_, text) => {
    expect(() => parsePrometheusText(text)).toThrow();
  });
});
