/**
 * Things that are valid but probably not what the operator wants; `check` and `run` print them.
 */
import type { Config } from './schema.js';

/** Human-readable warnings about a valid config. */
export async function configWarnings(config: Config): Promise<string[]> {
  const warnings: string[] = [];
  const m = config.metastudio;
  if (!m.dry_run && m.auth === undefined) {
    warnings.push('metastudio.auth is not set: requests will be sent without credentials (only the emulator accepts that)');
  }
  if (m.dry_run) warnings.push('metastudio.dry_run is true: requests are printed, not sent');
  const names = new Set<string>();
  for (const s of config.sources) {
    const name = s.name ?? `${s.platform}:${'room' in s ? String(s.room) : ''}`;
    if (names.has(name)) warnings.push(`two sources are both named "${name}": give them distinct \`name\`s`);
    names.add(name);
  }
  for (const s of config.sources) {
    if (s.platform !== 'douyin-browser') continue;
    // Only loads the profile helper (no browser): check must stay cheap.
    const { describeProfile, profileDirFor } = await import('../../adapters/douyin-browser/profile.js');
    const profile = await describeProfile(profileDirFor(s, config.state_dir));
    if (!profile.loggedIn) warnings.push(`source "${s.name ?? `douyin-browser:${s.room}`}": ${profile.detail}`);
  }
  return warnings;
}
