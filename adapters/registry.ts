/**
 * Every platform, listed once. The config union, the source factory, `check`'s warnings, secret
 * masking and record/replay all read this list; adding a platform is one plugin.ts in its folder
 * and one line here, and nothing under src/.
 */
import { z } from 'zod';
import { bilibiliOpenPlugin, bilibiliPlugin } from './bilibili/plugin.js';
import { douyinBrowserPlugin } from './douyin-browser/plugin.js';
import { douyinPlugin } from './douyin/plugin.js';
import { sourceIdentity, type SourceConfigBase, type SourceIdentity, type SourcePlugin } from './kit/plugin.js';
import { replayPlugin } from './replay/plugin.js';
import { simulatePlugin } from './simulate/plugin.js';
import { youtubePlugin } from './youtube/plugin.js';
import { twitchEventSubPlugin, twitchPlugin } from './twitch/plugin.js';
import { tiktokPlugin } from './tiktok/plugin.js';

/** The built-in platforms, in the order `check` lists them. */
export const PLUGINS = [
  simulatePlugin,
  douyinPlugin,
  replayPlugin,
  douyinBrowserPlugin,
  bilibiliPlugin,
  bilibiliOpenPlugin,
  youtubePlugin,
  twitchPlugin,
  twitchEventSubPlugin,
  tiktokPlugin,
] as const;

/** A parsed `sources[]` entry of any built-in platform. */
export type BuiltinSourceConfig = z.infer<(typeof PLUGINS)[number]['schema']>;

/** A set of plugins, looked up by platform. Immutable: with() makes a new one, so nothing is global. */
export class PluginRegistry {
  readonly plugins: readonly SourcePlugin[];
  readonly #byPlatform: ReadonlyMap<string, SourcePlugin>;
  #schema: z.ZodType | undefined;

  constructor(plugins: readonly SourcePlugin[]) {
    const map = new Map<string, SourcePlugin>();
    for (const p of plugins) {
      if (map.has(p.platform)) throw new TypeError(`two plugins for platform "${p.platform}"`);
      map.set(p.platform, p);
    }
    this.plugins = [...plugins];
    this.#byPlatform = map;
  }

  /** This registry plus `more` (a test's own platform, a fork's). */
  with(...more: SourcePlugin[]): PluginRegistry {
    return new PluginRegistry([...this.plugins, ...more]);
  }

  get(platform: string): SourcePlugin | undefined {
    return this.#byPlatform.get(platform);
  }

  /** The plugin of a validated config section; a missing one is a programming error. */
  of(config: SourceConfigBase): SourcePlugin {
    const plugin = this.get(config.platform);
    if (!plugin) throw new TypeError(`no plugin for platform ${JSON.stringify(config.platform)}`);
    return plugin;
  }

  /** The source's name, room and platform, by the one formula. */
  identity(config: SourceConfigBase): SourceIdentity {
    return sourceIdentity(this.of(config), config);
  }

  /** Every plugin's stream-level refusals for these parsed sections (see SourcePlugin.checkStream). */
  streamProblems(sources: readonly SourceConfigBase[]): string[] {
    return this.plugins.flatMap((p) => p.checkStream?.(sources) ?? []);
  }

  /** The `sources[]` entry schema: the plugins' schemas, discriminated on `platform`. */
  sourceSchema(): z.ZodType {
    this.#schema ??= z.discriminatedUnion(
      'platform',
      this.plugins.map((p) => p.schema) as unknown as [z.ZodObject<{ platform: z.ZodLiteral<string> }>, ...z.ZodObject[]],
    );
    return this.#schema;
  }
}

/** The built-in platforms. */
export const registry = new PluginRegistry(PLUGINS as unknown as readonly SourcePlugin[]);
