/**
 * The source registry: config section → Source, by platform. Each adapter is imported only
 * when a source of its platform is configured, so a plain Douyin room never loads a browser.
 */
import type { SourceConfig } from '../config/sources.js';
import type { Source, SourceDeps } from '../core/source.js';

/** Creates the Source for one `sources[]` entry. */
export async function createSource(config: SourceConfig, deps: SourceDeps): Promise<Source> {
  switch (config.platform) {
    case 'simulate':
      return (await import('../../adapters/simulate/index.js')).createSimulateSource(config, deps);
    case 'douyin':
      return (await import('../../adapters/douyin/index.js')).createDouyinSource(config, deps);
    case 'douyin-browser':
      return (await import('../../adapters/douyin-browser/index.js')).createDouyinBrowserSource(config, deps);
    case 'replay':
      return (await import('../../adapters/replay/index.js')).createReplaySource(config, deps);
    case 'bilibili':
      return (await import('../../adapters/bilibili/index.js')).createBilibiliSource(config, deps);
    case 'bilibili-open':
      return (await import('../../adapters/bilibili/index.js')).createBilibiliOpenSource(config, deps);
    default: {
      const unknown: never = config;
      throw new Error(`no adapter for platform ${JSON.stringify((unknown as { platform: string }).platform)}`);
    }
  }
}

/** The room a source follows, as operators name it (for logs and metrics labels). */
export function sourceRoom(config: SourceConfig): string {
  return 'room' in config && typeof config.room === 'string' ? config.room : config.platform;
}

/** The name a source reports under: its configured name or `<platform>:<room>`. */
export function sourceName(config: SourceConfig): string {
  return config.name ?? `${config.platform}:${sourceRoom(config)}`;
}
