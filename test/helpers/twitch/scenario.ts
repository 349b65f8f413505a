/**
 * The Twitch world the tests share: one channel, its viewers, and harnesses that run the real
 * chat or EventSub source (through its plugin) against the fakes with a manual clock.
 */
import { twitchEventSubPlugin, twitchPlugin } from '../../../adapters/twitch/plugin.js';
import { startHarness, type Harness } from '../source-harness.js';

export const CHANNEL = { login: 'somechan', roomId: '71092938', displayName: 'SomeChan' };
export const T0 = 1_764_000_000_000;
export const VIEWERS = {
  cjk: { login: 'xiaoming', userId: '123456789012345678', displayName: '小明;\\ the 1st' },
  quiet: { login: 'quiet_one', userId: '42', displayName: '' },
  fan: { login: 'cheerfan', userId: '7000', displayName: 'CheerFan' },
  whale: { login: 'whale', userId: '300', displayName: 'Whale' },
  loyal: { login: 'loyal', userId: '101', displayName: '老粉' },
  raider: { login: 'raider', userId: '400', displayName: 'Raider' },
} as const;

/** Runs a `platform: twitch` source built from `section` (parsed by the plugin's schema). */
export async function startChat(section: Record<string, unknown>): Promise<Harness> {
  const mod = await twitchPlugin.load();
  const config = twitchPlugin.schema.parse({ platform: 'twitch', channel: CHANNEL.login, ...section });
  return startHarness((deps) => mod.create(config, deps));
}

/**
 * Runs a `platform: twitch-eventsub` source built from `section`; `frames` counts the frames its
 * sockets received (through the recorder seam), so a test can wait for a keepalive to land.
 */
export async function startEventSub(section: Record<string, unknown>): Promise<Harness & { frames(): number }> {
  const mod = await twitchEventSubPlugin.load();
  const config = twitchEventSubPlugin.schema.parse({ platform: 'twitch-eventsub', channel: CHANNEL.login, ...section });
  let frames = 0;
  const h = startHarness((deps) => mod.create(config, { ...deps, recorder: () => (frames += 1) }));
  return Object.assign(h, { frames: () => frames });
}

/**
 * The two Twitch sources of a stream config as YAML lines (unindented, for writeBridgeConfig):
 * `tw-chat` on the fake chat server and `tw-es` on the fake API, the client id and token taken
 * from ${TWITCH_CLIENT_ID} and ${TWITCH_TOKEN}; `chat` and `eventsub` add lines to each.
 */
export function twitchSourceLines(o: {
  ircUrl: string;
  urls: { eventsub: string; helix: string; oauth?: string };
  channel?: string;
  chat?: string[];
  eventsub?: string[];
}): string[] {
  return [
    '- platform: twitch',
    '  name: tw-chat',
    `  channel: ${o.channel ?? CHANNEL.login}`,
    ...(o.chat ?? []).map((l) => `  ${l}`),
    '  urls:',
    `    irc: ${o.ircUrl}`,
    '- platform: twitch-eventsub',
    '  name: tw-es',
    `  channel: ${CHANNEL.login}`,
    '  client_id: ${TWITCH_CLIENT_ID}',
    '  token: ${TWITCH_TOKEN}',
    ...(o.eventsub ?? []).map((l) => `  ${l}`),
    '  urls:',
    `    eventsub: ${o.urls.eventsub}`,
    `    helix: ${o.urls.helix}`,
    ...(o.urls.oauth ? [`    oauth: ${o.urls.oauth}`] : []),
  ];
}
