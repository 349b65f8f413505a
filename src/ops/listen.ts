/**
 * The ops server's `http.listen` address: parsing `host:port` / `[v6]:port` and deciding whether
 * it stays on this host. /metrics and /readyz say a lot about a stream (rooms, job state, error
 * text), so serving them beyond loopback must be asked for with `http.allow_remote: true`.
 */
import { isIP } from 'node:net';
import { ConfigError } from '../core/errors.js';

/** A parsed `http.listen` address. */
export interface ListenAddress {
  /** The host without IPv6 brackets. */
  host: string;
  port: number;
}

/** `host:port` or `[v6]:port`: groups 1 (v6 host) or 2 (host), and 3 (port). Shared with the config schema. */
export const LISTEN_PATTERN = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s[\]]+)):(\d{1,5})$/;

/** Parses `host:port` or `[v6]:port`; a malformed value is a config error (exit 78). */
export function parseListen(text: string): ListenAddress {
  const match = LISTEN_PATTERN.exec(text);
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65_535)
    throw new ConfigError([`http.listen: expected host:port or [ipv6]:port with a port up to 65535, got "${text}"`]);
  return { host: (match[1] ?? match[2]) as string, port };
}

/** True for addresses that only this host can reach: localhost, 127.0.0.0/8, ::1 (also IPv4-mapped). */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  if (h === 'localhost') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice('::ffff:'.length) : h;
  if (isIP(v4) === 4) return v4.split('.')[0] === '127';
  if (isIP(h) === 6) return /^(0{0,4}:){2,7}0{0,3}1$/.test(h) || h === '::1';
  return false;
}

/**
 * Checks that `listen` may be served: a non-loopback address without `allowRemote` is refused
 * with a ConfigError (code config_invalid, so the process exits 78 and is not restarted).
 */
export function checkListen(text: string, allowRemote: boolean): ListenAddress & { remote: boolean } {
  const address = parseListen(text);
  const remote = !isLoopback(address.host);
  if (remote && !allowRemote) {
    throw new ConfigError([
      `http.listen: ${text} is reachable from other hosts; /metrics and /readyz would be exposed. ` +
        'Use 127.0.0.1:<port>, or set http.allow_remote: true (containers, Kubernetes probes) and firewall the port.',
    ]);
  }
  return { ...address, remote };
}

/** The URL of a listening address (brackets around IPv6 hosts). */
export function listenUrl(host: string, port: number): string {
  return `http://${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}
