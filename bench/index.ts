/**
 * The benchmark registry. Add one line per module; each module's default export is a
 * BenchModule ({ name, run }). Modules load lazily so that a filtered run imports only its own.
 */
import type { BenchEntry } from './lib/types.js';

export const BENCHES: readonly BenchEntry[] = [
  { name: 'pipeline', load: () => import('./pipeline.js') },
  { name: 'reporter', load: () => import('./reporter.js') },
  { name: 'douyin-decode', load: () => import('./douyin-decode.js') },
  { name: 'bilibili-decode', load: () => import('./bilibili-decode.js') },
  { name: 'tiktok-decode', load: () => import('./tiktok-decode.js') },
  { name: 'outage', load: () => import('./outage.js') },
  { name: 'demo-start', load: () => import('./demo-start.js') },
];
