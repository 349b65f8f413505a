/**
 * Config section → Source, through the section's plugin. Each adapter is imported only when a
 * source of its platform is configured, so a plain Douyin room never loads a browser.
 */
import type { KitDeps, SourceConfigBase } from '../../adapters/kit/plugin.js';
import { registry as builtins, type PluginRegistry } from '../../adapters/registry.js';
import type { Source } from '../core/source.js';

/** Creates the Source for one validated `sources[]` entry. */
export async function createSource(config: SourceConfigBase, deps: KitDeps, registry: PluginRegistry = builtins): Promise<Source> {
  const module = await registry.of(config).load();
  return module.create(config, { plugins: (platform) => registry.get(platform), ...deps });
}
