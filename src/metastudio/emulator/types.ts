/**
 * The emulator's public surface: what tests and the `emulator` command use.
 */
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { WireEvent } from '../wire.js';
import type { EmulatorConfig, EmulatorConfigInput, FaultInput, JobState, Operation } from './config.js';

/** One event the emulator accepted into a job. */
export interface AcceptedEvent {
  /** The wire event exactly as received. */
  event: WireEvent;
  /** `event.content` parsed (it was validated against its type's documented shape). */
  content: Record<string, unknown>;
  roomId: string;
  jobId: string;
  /** Emulator clock, ms since the epoch. */
  receivedAt: number;
  /** The X-Request-Id of the request that carried it. */
  requestId: string;
}

/** How a request authenticated. */
export type AuthKind = 'aksk' | 'token' | 'report_url' | 'anonymous' | 'none';

/** One request the emulator answered (control and page requests are not logged). */
export interface RequestLog {
  operation: Operation | 'unknown';
  method: string;
  /** The path without its query (the query may hold auth_key). */
  path: string;
  /** Query parameter names and values, with auth_key masked. */
  query: Record<string, string>;
  /** Request headers, lower-case names, credentials masked. */
  headers: Record<string, string>;
  auth: AuthKind;
  status: number;
  errorCode?: string;
  errorMsg?: string;
  requestId: string;
  receivedAt: number;
  /** True when a scripted fault produced the answer. */
  fault: boolean;
}

/** Where the emulator listens, its config, and the injected logger and clock. */
export interface StartEmulatorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** Parsed config, or input that defaults are applied to. */
  config: EmulatorConfig | EmulatorConfigInput;
  logger?: Logger;
  /** The emulator's notion of now (token expiry, X-Sdk-Date skew, URL expiry). */
  clock?: Clock;
  /**
   * Called with every batch of events the emulator accepts, before `keep_events` trims its list:
   * a long run (the outage bench) can count every acceptance without holding every event.
   */
  onAccepted?: (events: readonly AcceptedEvent[]) => void;
}

/** A running emulator. */
export interface Emulator {
  /** `http://host:port`, no trailing slash: use it as `metastudio.endpoint`. */
  readonly url: string;
  close(): Promise<void>;
  /** Every accepted event, oldest first. */
  accepted(): AcceptedEvent[];
  /** Every API request answered, oldest first. */
  requests(): RequestLog[];
  /** Changes a job's state (the room must exist; the job is created when unknown). */
  setJobState(roomId: string, jobId: string, state: JobState): void;
  /** Adds a job to a room (creating the room when unknown); newest job is listed first. */
  addJob(roomId: string, jobId: string, state?: JobState): void;
  /** Appends faults; each hits the next request of its operation. */
  script(faults: FaultInput[]): void;
  /** Faults not yet used. */
  pendingFaults(): number;
  /** Starts an outage: every request of the fault's operation gets this fault until `outage(undefined)`. */
  outage(fault: FaultInput | undefined): void;
  /** A pre-signed report URL for a job, minted with the emulator's own key. */
  mintReportUrl(roomId: string, jobId: string, options?: { ttlMs?: number; base?: string }): string;
  /** Invalidates every token the emulator issued or was configured with (forces 401). */
  revokeTokens(): void;
  /** Every credential it handed out so far (IAM tokens, report-URL keys): what a leak test looks for. */
  issuedSecrets(): string[];
  /** Accepts one more static token. */
  addToken(token: string): void;
}
