/**
 * Snapshot inputs for ops tests: an idle reporter status to override field by field.
 */
import type { ReporterStatus } from '../../../src/core/status.js';
import { idleReporterStatus } from '../../../src/ops/snapshot.js';

/** A reporter with nothing queued, the circuit closed, nothing sent yet; `over` replaces fields. */
export function reporterStatus(over: Partial<ReporterStatus> = {}): ReporterStatus {
  return { ...idleReporterStatus(), ...over };
}
