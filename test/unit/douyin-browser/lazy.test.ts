/**
 * playwright-core is heavy (a driver, a bundle of protocol code): a config with a browser source
 * may be checked, and a plain douyin room run, without loading it. Node's CommonJS cache shows
 * whether it was loaded (its ESM entry re-exports a CommonJS bundle). This file runs in its own
 * fork, so nothing else loaded it first.
 */
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { expect, test } from 'vitest';
import { ManualClock } from '../../helpers/clock.js';
import { silentLogger } from '../../helpers/logger.js';

const cache = createRequire(import.meta.url).cache;
const playwrightLoaded = () => Object.keys(cache).some((k) => k.includes(`node_modules/playwright-core/`));

test('importing the config, the douyin and douyin-browser sources, the profile check and the login command does not load playwright-core', async () => {
  expect(playwrightLoaded()).toBe(false);
  await import('../../../src/config/sources.js');
  await import('../../../adapters/douyin/index.js');
  const { DouyinBrowserSourceSchema } = await import('../../../adapters/douyin-browser/config.js');
  const { create: createDouyinBrowserSource, describeProfile } = await import('../../../adapters/douyin-browser/index.js');
  await import('../../../src/cli/commands/login.js');
  const config = DouyinBrowserSourceSchema.parse({ platform: 'douyin-browser', room: '646454278948' });
  const source = createDouyinBrowserSource(config, { logger: silentLogger(), clock: new ManualClock(), stateDir: tmpdir() });
  expect(source.platform).toBe('douyin-browser');
  await describeProfile(tmpdir());
  expect(playwrightLoaded()).toBe(false);
});

test('the check itself sees playwright-core once something imports it', async () => {
  const { loadPlaywright } = await import('../../../adapters/douyin-browser/launch.js');
  expect(playwrightLoaded()).toBe(false);
  const pw = await loadPlaywright();
  expect(typeof pw.chromium.launchPersistentContext).toBe('function');
  expect(playwrightLoaded()).toBe(true);
});
