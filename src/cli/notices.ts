/**
 * What the process itself says on stderr (signal notices, a config that does not load, a
 * crash): plain lines for a person at a terminal, one JSON object per line when the daemon's
 * stdout carries JSON log lines, so a log collector that reads both streams never meets a
 * stray text line.
 */

/** The stderr writer of the process; `json` may be switched on once the log format is known. */
export interface Notices {
  json: boolean;
  write(level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>): void;
}

/** A notices writer on `out` (stderr). */
export function createNotices(out: NodeJS.WritableStream, json: boolean): Notices {
  return {
    json,
    write(level, message, fields = {}) {
      if (this.json) out.write(`${JSON.stringify({ level, message, ...fields, timestamp: new Date().toISOString() })}\n`);
      else out.write(`live-bridge: ${message}\n`);
    },
  };
}
