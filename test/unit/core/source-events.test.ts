/**
 * Type tests for the Source event map and the kit's contracts (checked by `npm run typecheck`,
 * which compiles the tests; the runtime assertions only make the file a test).
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { Connector, Resolution } from '../../../adapters/kit/lifecycle.js';
import type { SessionEnd, SessionResult } from '../../../adapters/kit/session.js';
import type { SourceShell } from '../../../adapters/kit/shell.js';
import type { ReconnectReason, SessionEndKind } from '../../../adapters/kit/vocabulary.js';
import type { BridgeEvent } from '../../../src/core/events.js';
import type { Source, SourceDiscard, SourceEvents, SourceState, SourceStateName, SourceUsage } from '../../../src/core/source.js';
import type { SOURCE_STATES } from '../../../src/core/source.js';

describe('the source event map', () => {
  it('types each event with exactly one argument of its shape', () => {
    expectTypeOf<SourceEvents['event']>().toEqualTypeOf<[BridgeEvent]>();
    expectTypeOf<SourceEvents['state']>().toEqualTypeOf<[SourceState]>();
    expectTypeOf<SourceEvents['discard']>().toEqualTypeOf<[SourceDiscard]>();
    expectTypeOf<SourceEvents['reconnect']>().toEqualTypeOf<[{ reason: string }]>();
    expectTypeOf<SourceEvents['usage']>().toEqualTypeOf<[SourceUsage]>();
    expectTypeOf<keyof SourceEvents>().toEqualTypeOf<'event' | 'state' | 'discard' | 'usage' | 'reconnect'>();
  });

  it('lists every state name once, and states are discriminated on `state`', () => {
    expectTypeOf<(typeof SOURCE_STATES)[number]>().toEqualTypeOf<SourceStateName>();
    expectTypeOf<Extract<SourceState, { state: 'error' }>>().toEqualTypeOf<{ state: 'error'; reason: string; code?: string }>();
    expectTypeOf<Extract<SourceState, { state: 'live' }>>().toEqualTypeOf<{ state: 'live'; roomId?: string; title?: string }>();
  });

  it('makes the shell a Source whose listeners receive typed arguments', () => {
    expectTypeOf<SourceShell>().toMatchTypeOf<Source>();
    expectTypeOf<SourceShell['reconnect']>().parameter(0).toEqualTypeOf<ReconnectReason>();
    const on = (s: Source) => s.on('state', (state) => expectTypeOf(state).toEqualTypeOf<SourceState>());
    expectTypeOf(on).returns.toMatchTypeOf<Source>();
  });

  it('types the connector contract: resolutions, session ends and results', () => {
    expectTypeOf<Resolution<number>['kind']>().toEqualTypeOf<'live' | 'offline' | 'not_found' | 'blocked'>();
    expectTypeOf<Extract<Resolution<number>, { kind: 'live' }>['target']>().toEqualTypeOf<number>();
    expectTypeOf<SessionEnd['kind']>().toEqualTypeOf<'aborted' | SessionEndKind>();
    expectTypeOf<ReturnType<Connector<string>['connect']>>().toEqualTypeOf<Promise<SessionResult>>();
  });
});
