import type { BenchEntry } from './types.js';

/** The entries whose name contains any of the (case-insensitive) filters; all when none. */
export function selectBenches(entries: readonly BenchEntry[], filters: readonly string[]): BenchEntry[] {
  const wanted = filters.map((f) => f.toLowerCase()).filter((f) => f.length > 0);
  return wanted.length === 0 ? [...entries] : entries.filter((e) => wanted.some((f) => e.name.toLowerCase().includes(f)));
}
