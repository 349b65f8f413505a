/**
 * What a source sees of the process's connection pacer (the implementation is src/fleet/pacer.ts).
 */

/** What a grant is for: counted apart, paced together (both reach the platform's hosts). */
export type PacedCall = 'connect' | 'resolve';

/** Paces the upstream connections and room lookups of every source in the process. */
export interface Pacer {
  /** Resolves when `platform`'s host group may open one more; rejects with the signal's reason on abort. */
  acquire(platform: string, call: PacedCall, signal: AbortSignal): Promise<void>;
}
