/**
 * What a platform declares to the bridge, once, in its `plugin.ts`: its config schema, the room
 * its source names itself after, its secret keys, its `check` warnings, and a lazy loader of the
 * code that connects. Everything in src/ (config union, source factory, check, secret masking,
 * record and replay) reads plugins; nothing there names a platform.
 */
import type { z } from 'zod';
import type { BridgeEvent } from '../../src/core/events.js';
import type { Pacer } from '../../src/core/pacer.js';
import type { Source, SourceDeps } from '../../src/core/source.js';
import type { HttpDeps } from '../common/http.js';
import type { FrameRecorder, RawFrame } from './capture.js';
import type { DiscardReporter } from '../common/discard.js';
import type { SocketFactory } from './socket.js';

/** Every source config has a platform literal and may have a name. */
export interface SourceConfigBase {
  platform: string;
  name?: string | undefined;
}

/** What a plugin's factory receives: the bridge's dependencies plus the injectable seams of the kit. */
export interface KitDeps extends SourceDeps, HttpDeps {
  /** Opens WebSockets (tests, proxies); ws by default. */
  socketFactory?: SocketFactory;
  /** Randomness for backoff and poll jitter (tests pin it); Math.random by default. */
  random?: () => number;
  /** Receives every raw frame the source's sessions read (`live-bridge record`). */
  recorder?: FrameRecorder;
  /** Finds another platform's plugin (the replay source decodes with the recorded platform's). */
  plugins?: PluginLookup;
  /** The process's connection pacer: the lifecycle waits for it before every room lookup and connect. Unpaced when absent. */
  pacer?: Pacer;
}

/** Finds a plugin by platform name. */
export type PluginLookup = (platform: string) => SourcePlugin | undefined;

/** What `check` and `run` tell a plugin's check(). */
export interface CheckContext {
  /** The stream's state_dir, resolved. */
  stateDir: string;
  /** The source's name as the bridge will report it. */
  name: string;
}

/** What a captured frame decodes to. */
export interface DecodedFrame {
  events: BridgeEvent[];
  /** Set when the frame says the broadcast ended (the replay reports `ended`). */
  ended?: string;
}

/** Where a replay decoder reports. */
export interface ReplayContext {
  /** The replay source's name, stamped on every event. */
  source: string;
  now(): number;
  discards: DiscardReporter;
}

/** How recorded frames of a platform are decoded again: options (e.g. gift names) and a decoder. */
export interface ReplaySupport<O = unknown> {
  /** The replay source's `options` for this platform (unknown keys are ignored). */
  options: z.ZodType<O>;
  /** One decoder per replay source; it keeps whatever state the platform's frames need. */
  decoder(options: O, ctx: ReplayContext): (frame: RawFrame) => DecodedFrame;
}

/**
 * What looking the room up once found (`live-bridge check --online`): live, or why not. Nothing
 * is connected and nothing is reported.
 */
export type ProbeResult = { state: 'live'; detail: string } | { state: 'offline' | 'not_found' | 'blocked'; reason: string };

/** The code behind a plugin, loaded only when a source of its platform runs. */
export interface PluginModule<C extends SourceConfigBase = SourceConfigBase> {
  create(config: C, deps: KitDeps): Source;
  /** Present when the platform's frames can be recorded and replayed. */
  replay?: ReplaySupport<unknown>;
  /**
   * Resolves the source's room once, exactly as the running source would (same URLs, cookie,
   * signing), for `check --online`; a throw is reported as the check's failure. Absent: the
   * platform's rooms cannot be checked without running the source.
   */
  probe?(config: C, deps: KitDeps, signal: AbortSignal): Promise<ProbeResult>;
}

/** One platform, as the registry lists it. */
export interface SourcePlugin<C extends SourceConfigBase = SourceConfigBase> {
  /** The `platform:` value of its config sections. */
  readonly platform: string;
  /** Its strict zod schema (zod only: loading the config never loads the adapter). */
  readonly schema: z.ZodType<C>;
  /** The room as operators name it, for logs and the default source name `<platform>:<room>`. */
  room(config: C): string;
  /** Keys of its config section whose values are secrets beyond those the key name says (`code`). */
  readonly secretKeys?: readonly string[];
  /** Warnings about a valid section (a browser profile not logged in); must stay cheap. */
  check?(config: C, ctx: CheckContext): Promise<string[]> | string[];
  /**
   * Refusals that need the whole stream (two sources that would report the same thing): one
   * sentence per problem, each a config error (`check` fails, `run` exits 78). Zod only, no I/O;
   * it sees every parsed section of `sources[]`, of any platform.
   */
  checkStream?(sources: readonly SourceConfigBase[]): string[];
  /** Imports the adapter. */
  load(): Promise<PluginModule<C>>;
}

/** A source's identity, computed by this one formula for the bridge, `check` and the source itself. */
export interface SourceIdentity {
  platform: string;
  room: string;
  /** The configured `name`, else `<platform>:<room>`. */
  name: string;
}

/**
 * What the name formula needs of a platform: its name and its room. Declared beside the schema
 * (config.ts), so that both plugin.ts and the source read it without importing each other.
 */
export type SourceNaming<C extends SourceConfigBase = SourceConfigBase> = Pick<SourcePlugin<C>, 'platform' | 'room'>;

/** The one source-name formula. */
export function sourceIdentity<C extends SourceConfigBase>(naming: SourceNaming<C>, config: C): SourceIdentity {
  const room = naming.room(config);
  return { platform: naming.platform, room, name: config.name ?? `${naming.platform}:${room}` };
}

/** Declares a plugin with its config type inferred from the schema. */
export function definePlugin<S extends z.ZodType<SourceConfigBase>>(
  plugin: SourcePlugin<z.infer<S>> & { schema: S },
): SourcePlugin<z.infer<S>> & { schema: S } {
  return plugin;
}
