/**
 * What both modes' mappings share: the mapping context, the result shape, money conversion,
 * users and stable dedupe ids.
 */
import { createHash } from 'node:crypto';
import type { BridgeEvent, User } from '../../src/core/events.js';
import { routeFor, type Route } from '../kit/routes.js';
import { isObj, type Obj } from './json.js';
import { decodePb } from './proto.js';

const DEFAULTS = { maxRawIdChars: 200 } as const;

/** The platform name stamped on every event of both modes. */
export const PLATFORM = 'bilibili';

/** 1 CNY in gold seeds (金瓜子). */
export const GOLD_PER_CNY = 1000;

/** Guard (大航海) names by level. */
export const GUARD_NAMES: Readonly<Record<number, string>> = { 1: '总督', 2: '提督', 3: '舰长' };

/** What a mapping needs besides the command itself. */
export interface MappingContext {
  /** The configured source name. */
  source: string;
  /** Gold seeds → the operator's unit. */
  valueMultiplier: number;
  /** Receive time, for messages that carry none and for time-bucketed ids. */
  now(): number;
}

/** A room status change a command announced. */
export type StatusChange = { state: 'live' } | { state: 'offline'; reason: string } | { state: 'restart'; reason: string };

/** What one command maps to: events, a status change, or a problem (a discard reason). */
export interface MapResult {
  events: BridgeEvent[];
  status?: StatusChange;
  problem?: string;
}

/** The empty result, frozen so one instance can be shared. */
export const NOTHING: MapResult = Object.freeze({ events: [] }) as MapResult;

/** Gold seeds → the configured unit, rounded to a non-negative integer. */
export function goldValue(gold: number, multiplier: number): number {
  const v = Math.round(gold * multiplier);
  return Number.isSafeInteger(v) && v > 0 ? v : 0;
}

/** A user object; a missing uid becomes "0" (anonymous sockets report uid 0 for everyone). */
export function user(id: string, name: string, level = 0, badge = '', badgeLevel = 0): User {
  return { id: id || '0', name, level, badge, badgeLevel };
}

/**
 * An id for a message the platform gives no id to: the SHA-1 of its stable fields, so that the
 * same message seen twice (after a reconnect) gets the same id.
 */
export function hashId(prefix: string, parts: readonly (string | number)[]): string {
  return `${prefix}:h${createHash('sha1').update(parts.join('\u0001')).digest('hex').slice(0, 24)}`;
}

/** `<prefix>:<raw>` for a platform-given id; an oversized (hostile) one is hashed to stay a valid id. */
export function platformId(prefix: string, raw: string): string {
  return raw.length <= DEFAULTS.maxRawIdChars ? `${prefix}:${raw}` : hashId(prefix, [raw]);
}

/** The product of two counts, kept a safe integer. */
export function safeProduct(a: number, b: number): number {
  return Math.min(Number.MAX_SAFE_INTEGER, a * b);
}

/** `DANMU_MSG:4:0:2:2:2:0` → `DANMU_MSG`. */
export function cmdName(cmd: string): string {
  const colon = cmd.indexOf(':');
  return colon < 0 ? cmd : cmd.slice(0, colon);
}

/** A command that cannot be read, with the discard reason it counts as. */
export class Problem {
  constructor(readonly reason: string) {}
}

/** One route: what a command's input is (the command, its `data`, or its decoded `data.pb`) and what it maps to. */
export interface CommandRoute<R, C extends MappingContext = MappingContext> extends Route<Obj, R | Problem, C, MapResult> {
  /** The proto/bilibili.proto message of `data.pb`, for routes that decode one. */
  readonly pb?: string;
}

/** A route that reads the whole command (DANMU_MSG keeps its fields in `info`). */
export function whole<C extends MappingContext>(map: (cmd: Obj, ctx: C) => MapResult): CommandRoute<Obj, C> {
  return { decode: (cmd) => cmd, map };
}

/** A route that reads the command's `data` object (`no_data` when there is none). */
export function withData<C extends MappingContext>(map: (data: Obj, ctx: C) => MapResult): CommandRoute<Obj, C> {
  return { decode: (cmd) => (isObj(cmd.data) ? cmd.data : new Problem('no_data')), map };
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** A route that reads the protobuf in `data.pb` as `type` (`bad_protobuf` when it is missing or does not decode). */
export function withPb(type: string, map: (pb: Obj, ctx: MappingContext) => MapResult): CommandRoute<Obj> {
  return {
    pb: type,
    decode: (cmd) => {
      if (!isObj(cmd.data)) return new Problem('no_data');
      const pb = cmd.data.pb;
      if (typeof pb !== 'string' || pb.length === 0 || !BASE64.test(pb)) return new Problem('bad_protobuf');
      try {
        return decodePb(type, pb);
      } catch {
        return new Problem('bad_protobuf');
      }
    },
    map,
  };
}

/** Maps one command through a route table: unknown commands map to nothing, unreadable ones to a problem. */
export function mapByRoute<C extends MappingContext>(table: Readonly<Record<string, CommandRoute<Obj, C>>>, cmd: Obj, ctx: C): MapResult {
  if (typeof cmd.cmd !== 'string') return { events: [], problem: 'no_cmd' };
  const route = routeFor(table, cmdName(cmd.cmd));
  if (!route) return NOTHING;
  const raw = route.decode(cmd);
  return raw instanceof Problem ? { events: [], problem: raw.reason } : route.map(raw, ctx, cmd);
}
