/**
 * The Source conformance suite every plugin runs: one call with the plugin and a factory for its
 * fake. It checks what the rest of the bridge relies on, whatever the platform:
 * - the name comes from the one formula and the platform from the plugin;
 * - the first `reconnect` says `initial`, and every reconnect reason, state, state code and
 *   discard reason is from the vocabulary (snake_case tokens, known state names);
 * - start() resolves after abort (it never rejects), even while the upstream is unreachable;
 * - a second start() while running is refused;
 * - stopping closes what it opened: a socket server sees close code 1000;
 * - no event, state or discard arrives after start() resolved.
 *
 *   sourceContract(douyinPlugin, async () => { const fake = await FakeDouyin.start(...); return { config, unreachable, sendEvent, closeCodes, close } });
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { KitDeps, SourcePlugin } from '../../adapters/kit/plugin.js';
import { sourceIdentity } from '../../adapters/kit/plugin.js';
import { SourceAlreadyStartedError } from '../../adapters/kit/shell.js';
import { RECONNECT_REASONS, TOKEN } from '../../adapters/kit/vocabulary.js';
import { registry } from '../../adapters/registry.js';
import { SOURCE_STATES } from '../../src/core/source.js';
import { startHarness, type Harness } from './source-harness.js';
import { waitFor } from './wait.js';

/** A platform's fake, as the suite drives it. */
export interface ContractFake {
  /** The source section pointing at the fake, before parsing (the plugin's schema parses it). */
  config: Record<string, unknown>;
  /** A section whose upstream cannot be reached (a closed port, a missing file or binary); absent for a source without one. */
  unreachable?: Record<string, unknown>;
  /** Extra dependencies (a socket factory, a browser loader). */
  deps?: Partial<KitDeps>;
  /** Makes the fake send one message the source maps to an event; absent when the source makes its own. */
  sendEvent?(): void;
  /** The close code the server saw on each connection so far (socket platforms). */
  closeCodes?(): (number | undefined)[];
  /** How long the source may take to go live (a browser launches slowly); 5 s by default. */
  liveTimeoutMs?: number;
  close(): Promise<void>;
}

/** A port nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the suite takes any plugin
type AnyPlugin = SourcePlugin<any>;

async function record(plugin: AnyPlugin, section: Record<string, unknown>, deps: Partial<KitDeps> = {}): Promise<Harness> {
  const config = plugin.schema.parse(section);
  const { create } = await plugin.load();
  // random 0.5: backoff delays are never 0, so an unreachable upstream waits on the manual clock.
  return startHarness((base) => create(config, { ...base, plugins: (p) => registry.get(p), ...deps }), { random: 0.5, logLevel: 'error' });
}

function expectVocabulary(r: Harness): void {
  expect(r.reconnects[0]).toBe('initial');
  for (const reason of r.reconnects) expect(RECONNECT_REASONS).toContain(reason);
  for (const s of r.states) {
    expect(SOURCE_STATES).toContain(s.state);
    if (s.state === 'error' && s.code !== undefined) expect(s.code).toMatch(TOKEN);
  }
  for (const d of r.discards) expect(d.reason).toMatch(TOKEN);
}

/**
 * Registers the conformance suite for one plugin. `upstream: false` for a source with nothing to
 * reach (simulate): the unreachable-upstream case is then not registered. `skip` when the fake
 * cannot run here (no Chromium).
 */
export function sourceContract(
  plugin: AnyPlugin,
  startFake: () => Promise<ContractFake>,
  options: { upstream?: boolean; skip?: boolean } = {},
): void {
  describe.skipIf(options.skip === true)(`${plugin.platform}: the Source contract`, () => {
    it('is named by the one formula, announces initial first, goes live, and stops cleanly with nothing after', async () => {
      const fake = await startFake();
      const r = await record(plugin, fake.config, fake.deps);
      try {
        const identity = sourceIdentity(plugin, plugin.schema.parse(fake.config));
        expect([r.source.name, r.source.platform]).toEqual([identity.name, plugin.platform]);
        expect(r.source.name).toMatch(/^[^\s]{1,200}$/);
        await waitFor(() => r.states.some((s) => s.state === 'live'), `${plugin.platform} to go live`, fake.liveTimeoutMs ?? 5_000);
        if (fake.sendEvent) {
          fake.sendEvent();
          await waitFor(() => r.events.length > 0, 'an event from the fake', fake.liveTimeoutMs ?? 5_000);
        }
        await expect(r.source.start(new AbortController().signal)).rejects.toBeInstanceOf(SourceAlreadyStartedError);
        await r.stop();
        expectVocabulary(r);
        if (fake.closeCodes)
          await waitFor(() => fake.closeCodes!().length > 0 && fake.closeCodes!().every((c) => c !== undefined), 'the close');
        if (fake.closeCodes) expect(fake.closeCodes().at(-1)).toBe(1000);
        const seen = { events: r.events.length, states: r.states.length, discards: r.discards.length };
        fake.sendEvent?.();
        r.clock.advance(10 * 60_000);
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect({ events: r.events.length, states: r.states.length, discards: r.discards.length }).toEqual(seen);
      } finally {
        await r.stop();
        await fake.close();
      }
    }, 60_000);

    it.skipIf(options.upstream === false)(
      'never rejects while its upstream is unreachable, and resolves once aborted',
      async () => {
        const fake = await startFake();
        if (!fake.unreachable) throw new Error(`the ${plugin.platform} fake gives no unreachable section`);
        const r = await record(plugin, fake.unreachable, fake.deps);
        try {
          let settled: 'resolved' | 'rejected' | undefined;
          r.running.then(
            () => (settled = 'resolved'),
            () => (settled = 'rejected'),
          );
          // It fails at least once, then waits in its backoff (or ends by itself, as a replay of a missing file does).
          await waitFor(() => r.states.some((s) => s.state === 'error' || s.state === 'blocked'), 'a failure state', 10_000);
          await waitFor(() => settled !== undefined || r.clock.pending > 0, 'a backoff timer', 5_000);
          await r.stop();
          await new Promise((resolve) => setImmediate(resolve));
          expect(settled).toBe('resolved');
          expectVocabulary(r);
        } finally {
          await fake.close();
        }
      },
      60_000,
    );
  });
}
