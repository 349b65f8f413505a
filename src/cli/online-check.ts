/**
 * `check --online` for one loaded config: MetaStudio (credentials, clock, project, room, job)
 * through the sink's own client, then each source's room through its plugin's probe(), all
 * without connecting a socket or reporting an event. Every finding is one line.
 */
import type { KitDeps, SourceConfigBase } from '../../adapters/kit/plugin.js';
import { registry as builtins, type PluginRegistry } from '../../adapters/registry.js';
import { systemClock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { describeNetworkError } from '../core/net-error.js';
import type { LoadedConfig } from '../config/load.js';
import type { Finding } from '../metastudio/probe.js';
import { Redactor } from '../ops/redact.js';

/** How long one source may take to resolve its room. */
export const DEFAULTS = { sourceTimeoutMs: 20_000 } as const;

/** A finding and what it is about (`metastudio`, `source <name>`). */
export interface ScopedFinding extends Finding {
  scope: string;
}

/** One source's room, looked up once through its plugin. */
async function probeSource(config: SourceConfigBase, registry: PluginRegistry, deps: KitDeps, signal: AbortSignal): Promise<Finding> {
  const module = await registry.of(config).load();
  if (!module.probe)
    return { level: 'warn', text: `platform ${config.platform} cannot look its rooms up without running the source: not checked` };
  try {
    const found = await module.probe(config, { plugins: (p) => registry.get(p), ...deps }, signal);
    switch (found.state) {
      case 'live':
        return { level: 'ok', text: `live: ${found.detail}` };
      case 'offline':
        return { level: 'warn', text: `room offline: ${found.reason} (the bridge waits for the broadcast)` };
      case 'not_found':
        return { level: 'fail', text: `room not found: ${found.reason}` };
      case 'blocked':
        return { level: 'fail', text: `blocked: ${found.reason}` };
    }
  } catch (err) {
    if (signal.aborted) return { level: 'fail', text: `no answer within ${DEFAULTS.sourceTimeoutMs / 1000} s` };
    const net = describeNetworkError(err);
    const code = (err as { code?: unknown }).code;
    return {
      level: 'fail',
      text:
        net.failure !== 'other'
          ? `unreachable: ${net.text}`
          : `${(err as Error).message ?? String(err)}${typeof code === 'string' ? ` (${code})` : ''}`,
    };
  }
}

/** Every online finding for one config, MetaStudio first; secrets masked. */
export async function onlineFindings(
  loaded: LoadedConfig,
  options: { logger: Logger; signal: AbortSignal; registry?: PluginRegistry },
): Promise<ScopedFinding[]> {
  const registry = options.registry ?? builtins;
  const redactor = new Redactor();
  redactor.addSecrets(loaded.secrets);
  const { probeMetaStudio } = await import('../metastudio/probe.js');
  const out: ScopedFinding[] = (
    await probeMetaStudio(loaded.config.metastudio, { clock: systemClock, logger: options.logger, signal: options.signal })
  ).map((f) => ({ ...f, scope: 'metastudio' }));
  for (const s of loaded.config.sources as readonly SourceConfigBase[]) {
    const signal = AbortSignal.any([options.signal, AbortSignal.timeout(DEFAULTS.sourceTimeoutMs)]);
    const deps: KitDeps = { logger: options.logger, clock: systemClock, stateDir: loaded.config.state_dir };
    out.push({ ...(await probeSource(s, registry, deps, signal)), scope: `source ${registry.identity(s).name}` });
  }
  return out.map((f) => ({ ...f, text: redactor.redactString(f.text) }));
}
