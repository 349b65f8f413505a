/**
 * The emulator's in-memory world: rooms and jobs, issued tokens, accepted events, the request
 * log and the fault script. Plain state with small methods; the HTTP layer lives in server.ts.
 */
import type { Clock } from '../../core/clock.js';
import { FaultSchema, type EmulatorConfig, type Fault, type FaultInput, type JobState, type Operation } from './config.js';
import type { AcceptedEvent, RequestLog } from './types.js';

/** A smart-live job in the emulator's world. */
export interface Job {
  jobId: string;
  roomId: string;
  state: JobState;
  createdAt: number;
  /** Insertion order, so jobs created within one millisecond still sort newest first. */
  seq: number;
}

/** A smart-live room and its jobs. */
export interface Room {
  roomId: string;
  roomName: string;
  jobs: Map<string, Job>;
}

/** All the emulator's mutable state, shared by the handlers and the control API. */
export class World {
  readonly rooms = new Map<string, Room>();
  /** token → expiry (ms); Infinity for configured tokens. */
  readonly tokens = new Map<string, number>();
  /** Every credential the emulator handed out (issued tokens, minted report-URL keys), for tests that look for leaks. */
  readonly issued = new Set<string>();
  readonly #events: AcceptedEvent[] = [];
  readonly #requests: RequestLog[] = [];
  readonly #faults: Fault[] = [];
  /** A fault that hits every request of its operation until cleared (an outage). */
  #outage: Fault | undefined;
  /** Counts since start, never trimmed like the lists: what the live page shows (page-data.ts). */
  readonly totals = { accepted: 0, byType: {} as Record<number, number>, requests: 0, refused: 0, authFailures: 0 };
  #seq = 0;

  constructor(
    readonly config: EmulatorConfig,
    readonly clock: Clock,
    readonly onAccepted?: (events: readonly AcceptedEvent[]) => void,
  ) {
    for (const room of config.rooms) {
      for (const job of room.jobs) this.addJob(room.room_id, job.job_id, job.state, room.room_name);
      if (room.jobs.length === 0) this.#room(room.room_id, room.room_name);
    }
    for (const t of config.tokens) this.tokens.set(t, Infinity);
  }

  /** Remembers a credential it handed out (the newest 10 000). */
  issue(secret: string): void {
    this.issued.add(secret);
    if (this.issued.size > 10_000) this.issued.delete(this.issued.values().next().value!);
  }

  now(): number {
    return this.clock.now();
  }

  #room(roomId: string, roomName?: string): Room {
    let room = this.rooms.get(roomId);
    if (!room) {
      room = { roomId, roomName: roomName ?? roomId, jobs: new Map() };
      this.rooms.set(roomId, room);
    }
    return room;
  }

  addJob(roomId: string, jobId: string, state: JobState = 'PROCESSING', roomName?: string): void {
    const room = this.#room(roomId, roomName);
    room.jobs.set(jobId, { jobId, roomId, state, createdAt: this.now(), seq: this.#seq++ });
  }

  /** Sets a job's state; a job unknown in that room is created. */
  setJobState(roomId: string, jobId: string, state: JobState): void {
    const job = this.rooms.get(roomId)?.jobs.get(jobId);
    if (job) job.state = state;
    else this.addJob(roomId, jobId, state);
  }

  /** Finds a job by id in any room. */
  findJob(jobId: string): Job | undefined {
    for (const room of this.rooms.values()) {
      const job = room.jobs.get(jobId);
      if (job) return job;
    }
    return undefined;
  }

  /** A room's jobs, newest first. */
  jobsOf(roomId: string): Job[] {
    return [...(this.rooms.get(roomId)?.jobs.values() ?? [])].sort((a, b) => b.createdAt - a.createdAt || b.seq - a.seq);
  }

  accept(events: AcceptedEvent[]): void {
    this.#events.push(...events);
    this.totals.accepted += events.length;
    this.onAccepted?.(events);
    for (const e of events) this.totals.byType[e.event.type] = (this.totals.byType[e.event.type] ?? 0) + 1;
    const excess = this.#events.length - this.config.keep_events;
    if (excess > 0) this.#events.splice(0, excess);
  }

  accepted(): AcceptedEvent[] {
    return [...this.#events];
  }

  log(entry: RequestLog): void {
    this.#requests.push(entry);
    this.totals.requests += 1;
    if (entry.status === 0 || entry.status >= 400) this.totals.refused += 1;
    if (entry.status === 401 || entry.status === 403) this.totals.authFailures += 1;
    const excess = this.#requests.length - this.config.keep_requests;
    if (excess > 0) this.#requests.splice(0, excess);
  }

  requests(): RequestLog[] {
    return [...this.#requests];
  }

  script(faults: FaultInput[]): void {
    this.#faults.push(...faults.map((f) => FaultSchema.parse(f)));
  }

  pendingFaults(): number {
    return this.#faults.length;
  }

  /** Starts an outage (every request of the fault's operation gets it) or, with undefined, ends it. */
  setOutage(fault: FaultInput | undefined): void {
    this.#outage = fault === undefined ? undefined : FaultSchema.parse(fault);
  }

  /** The outage's fault while one lasts, else the next fault scripted for this operation, if any (removed). */
  takeFault(operation: Operation): Fault | undefined {
    if (this.#outage?.operation === operation) return this.#outage;
    const i = this.#faults.findIndex((f) => f.operation === operation);
    return i < 0 ? undefined : this.#faults.splice(i, 1)[0];
  }
}
