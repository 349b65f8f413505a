/**
 * Route-table dispatch for a webcast Response: each message goes to the handler its `method`
 * names; methods without a route are skipped without their payload being decoded. A handler
 * returns an event, an `ended` signal (the broadcast is over), a `skip` with a reason (counted,
 * never silent: shares, zero likes, history), or null for nothing worth a count.
 */
import { createHash } from 'node:crypto';
import type { BridgeEvent } from '../../src/core/events.js';
import { WebcastDecodeError, type WebcastMessage, type WebcastResponse } from './envelope.js';
import { WireError } from './reader.js';

/** The broadcast ended (a ControlMessage said so). */
export interface EndedSignal {
  kind: 'ended';
  reason: string;
}

/** A message deliberately not reported, counted under `reason` (snake_case). */
export interface SkipSignal {
  kind: 'skip';
  reason: string;
}

/** What one handler made of one message. */
export type RouteOutcome = BridgeEvent | EndedSignal | SkipSignal | null;

/** Decodes and maps one message; throws WireError (or WebcastDecodeError) for a bad payload. */
export type RouteHandler<C> = (message: WebcastMessage, ctx: C) => RouteOutcome;

/** method → handler. */
export type RouteTable<C> = Readonly<Record<string, RouteHandler<C>>>;

/** Builds a skip signal once, so handlers return a constant instead of allocating. */
export function skip(reason: string): SkipSignal {
  return Object.freeze({ kind: 'skip', reason });
}

/** What a whole Response mapped to. */
export interface RoutedResponse {
  events: BridgeEvent[];
  /** Set when a message said the broadcast ended. */
  ended: string | null;
  /** Messages whose payload did not decode, one error each. */
  failures: WebcastDecodeError[];
  /** Messages deliberately not reported, by reason. */
  skipped: Record<string, number>;
}

/** Options of {@link routeResponse}. */
export interface RouteOptions {
  /** Skip (and count as `history`) messages flagged isHistory: replays of old messages on connect. */
  skipHistory?: boolean;
}

const HISTORY = 'history';

/** Maps every message of a Response, in order; one bad message never spoils the rest. */
export function routeResponse<C>(
  response: Pick<WebcastResponse, 'messages'>,
  routes: RouteTable<C>,
  ctx: C,
  platform: string,
  options: RouteOptions = {},
): RoutedResponse {
  const out: RoutedResponse = { events: [], ended: null, failures: [], skipped: {} };
  for (const message of response.messages) {
    const handler = Object.hasOwn(routes, message.method) ? routes[message.method] : undefined;
    if (!handler) continue;
    if (options.skipHistory && message.isHistory) {
      out.skipped[HISTORY] = (out.skipped[HISTORY] ?? 0) + 1;
      continue;
    }
    let outcome: RouteOutcome;
    try {
      outcome = handler(message, ctx);
    } catch (err) {
      if (err instanceof WebcastDecodeError) out.failures.push(err);
      else if (err instanceof WireError || err instanceof RangeError)
        out.failures.push(new WebcastDecodeError(platform, 'malformed_payload', message.payload, err));
      else throw err;
      continue;
    }
    if (outcome === null) continue;
    if (outcome.kind === 'ended') out.ended ??= outcome.reason;
    else if (outcome.kind === 'skip') out.skipped[outcome.reason] = (out.skipped[outcome.reason] ?? 0) + 1;
    else out.events.push(outcome);
  }
  return out;
}

/**
 * An event's id: the Message's msgId, else the one in its Common header, else a digest of the
 * method and payload (stable across resends, so dedupe still works).
 */
export function messageEventId(message: WebcastMessage, commonMsgId: string): string {
  if (message.hasMsgId) return message.msgId;
  if (commonMsgId !== '0') return commonMsgId;
  return `sha1:${createHash('sha1').update(message.method).update(message.payload).digest('hex').slice(0, 24)}`;
}
