/**
 * The WebSocket seam shared by the socket-based sources: a factory injected so that tests (and
 * proxies) can provide their own sockets.
 */
import WebSocket from 'ws';

/** Opens a WebSocket; injected so that tests (and proxies) can provide their own. */
export type SocketFactory = (url: string, options: { headers: Record<string, string>; handshakeTimeoutMs: number }) => WebSocket;

/**
 * The default factory: ws without compression extensions (the platforms compress bodies
 * themselves) and with auto-pong on (Douyin closes unponged sockets in ~20 s).
 */
export const defaultSocketFactory: SocketFactory = (url, options) =>
  new WebSocket(url, { headers: options.headers, perMessageDeflate: false, autoPong: true, handshakeTimeout: options.handshakeTimeoutMs });
