/**
 * What a configured `room` names: one video (its id or a watch / youtu.be / live URL), or a
 * channel (its UC… id, an @handle, or a channel URL, with or without `/live`). A channel is
 * followed from broadcast to broadcast; a video is its one broadcast (and, with follow_channel,
 * its channel's next ones).
 */

/** A parsed room. */
export type RoomTarget = { kind: 'video'; videoId: string } | { kind: 'channel'; channelId: string } | { kind: 'handle'; handle: string };

/** A video id: 11 characters of the URL-safe base64 alphabet. */
export const VIDEO_ID = /^[A-Za-z0-9_-]{11}$/;
/** A channel id: `UC` and 22 more characters. */
export const CHANNEL_ID = /^UC[A-Za-z0-9_-]{22}$/;
/** A handle without its `@`: 3 to 30 letters, digits, `_`, `-` or `.` (YouTube allows non-Latin letters too). */
const HANDLE = /^[\p{L}\p{N}_.-]{3,30}$/u;

const HOSTS = new Set(['youtube.com', 'www.youtube.com', 'm.youtube.com', 'youtu.be']);

function fromUrl(text: string): RoomTarget | undefined {
  let url: URL;
  try {
    url = new URL(/^https?:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    return undefined;
  }
  if (!HOSTS.has(url.hostname.toLowerCase())) return undefined;
  const parts = url.pathname.split('/').filter((p) => p !== '');
  if (url.hostname.toLowerCase() === 'youtu.be') {
    return parts.length === 1 && VIDEO_ID.test(parts[0]!) ? { kind: 'video', videoId: parts[0]! } : undefined;
  }
  const [first, second] = parts;
  if (first === 'watch') {
    const v = url.searchParams.get('v') ?? '';
    return VIDEO_ID.test(v) ? { kind: 'video', videoId: v } : undefined;
  }
  if (first === 'live' && second !== undefined && VIDEO_ID.test(second)) return { kind: 'video', videoId: second };
  if (first === 'channel' && second !== undefined && CHANNEL_ID.test(second)) return { kind: 'channel', channelId: second };
  if (first?.startsWith('@')) return fromHandle(decodeURIComponent(first));
  return undefined;
}

function fromHandle(text: string): RoomTarget | undefined {
  const handle = text.slice(1);
  return HANDLE.test(handle) ? { kind: 'handle', handle } : undefined;
}

/** Parses a configured room; undefined when it names nothing YouTube has. */
export function parseRoom(room: string): RoomTarget | undefined {
  const text = room.trim();
  if (VIDEO_ID.test(text)) return { kind: 'video', videoId: text };
  if (CHANNEL_ID.test(text)) return { kind: 'channel', channelId: text };
  if (text.startsWith('@')) return fromHandle(text);
  return fromUrl(text);
}

/** The room as logs and the default source name show it: the id or `@handle`. */
export function roomLabel(target: RoomTarget): string {
  switch (target.kind) {
    case 'video':
      return target.videoId;
    case 'channel':
      return target.channelId;
    case 'handle':
      return `@${target.handle}`;
  }
}
