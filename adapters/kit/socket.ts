/**
 * The WebSocket seam of every socket source: a factory injected so that tests (and proxies) can
 * provide their own sockets.
 */
import WebSocket from 'ws';

/** What a socket session asks of the factory. */
export interface SocketOpenOptions {
  headers: Record<string, string>;
  handshakeTimeoutMs: number;
  /** Sub-protocols to offer (none when empty). */
  protocols?: readonly string[];
}

/** Opens a WebSocket; injected so that tests (and proxies) can provide their own. */
export type SocketFactory = (url: string, options: SocketOpenOptions) => WebSocket;

const DEFAULTS = {
  /** The largest message accepted: platform frames are kilobytes; this bounds a hostile one's memory. */
  maxPayloadBytes: 16 * 1024 * 1024,
} as const;

/**
 * The default factory: ws without compression extensions (the platforms compress bodies
 * themselves), auto-pong on (Douyin closes unponged sockets in ~20 s) and a 16 MiB message limit.
 */
export const defaultSocketFactory: SocketFactory = (url, options) =>
  new WebSocket(url, options.protocols ? [...options.protocols] : [], {
    headers: options.headers,
    perMessageDeflate: false,
    autoPong: true,
    handshakeTimeout: options.handshakeTimeoutMs,
    maxPayload: DEFAULTS.maxPayloadBytes,
  });
