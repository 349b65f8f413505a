/**
 * Things that are valid but probably not what the operator wants; `check` and `run` print them.
 * Each platform's own warnings come from its plugin's check().
 */
import path from 'node:path';
import { registry as builtins, type PluginRegistry } from '../../adapters/registry.js';
import type { SourceConfigBase } from '../../adapters/kit/plugin.js';
import type { Config } from './schema.js';

/** Human-readable warnings about a valid config. */
export async function configWarnings(config: Config, registry: PluginRegistry = builtins): Promise<string[]> {
  const warnings: string[] = [];
  const m = config.metastudio;
  if (!m.dry_run && m.auth === undefined) {
    warnings.push('metastudio.auth is not set: requests will be sent without credentials (only the emulator accepts that)');
  }
  if (m.dry_run) warnings.push('metastudio.dry_run is true: requests are printed, not sent');
  const names = new Set<string>();
  const sources = config.sources as readonly SourceConfigBase[];
  for (const s of sources) {
    const { name } = registry.identity(s);
    if (names.has(name)) warnings.push(`two sources are both named "${name}": give them distinct \`name\`s`);
    names.add(name);
  }
  for (const s of sources) {
    const plugin = registry.of(s);
    if (!plugin.check) continue;
    const { name } = registry.identity(s);
    for (const w of await plugin.check(s, { stateDir: path.resolve(config.state_dir), name })) warnings.push(`source "${name}": ${w}`);
  }
  return warnings;
}
