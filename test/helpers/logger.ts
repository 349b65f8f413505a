/**
 * Loggers for tests: a silent one, and one that records every entry (after the same formats
 * production uses are applied by the caller, if any) for assertions.
 */
import winston from 'winston';
import Transport from 'winston-transport';
import type { Logger } from '../../src/core/logger.js';

/** A logger that writes nothing. */
export function silentLogger(): Logger {
  return winston.createLogger({ silent: true });
}

/** A logger whose entries land in `entries` (info objects, as winston hands them to a transport). */
export function captureLogger(level = 'debug'): { logger: Logger; entries: Record<string, unknown>[] } {
  const entries: Record<string, unknown>[] = [];
  class Capture extends Transport {
    override log(info: Record<string, unknown>, next: () => void): void {
      entries.push(info);
      next();
    }
  }
  const logger = winston.createLogger({ level, transports: [new Capture()] });
  return { logger, entries };
}
