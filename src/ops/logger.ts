/**
 * The process logger: winston, JSON lines on stdout when not a TTY (what pm2 and journald
 * collect), readable coloured lines on a TTY. Every line carries `stream`; source loggers add
 * `platform` and `room`. All output goes through the redaction format, last, so nothing can
 * put a secret on stdout.
 */
import winston from 'winston';
import type { Logger } from '../core/logger.js';
import type { Redactor } from './redact.js';

/** The stream name, level, format and redactor every line passes through. */
export interface LoggerOptions {
  stream: string;
  level: 'error' | 'warn' | 'info' | 'debug';
  format: 'auto' | 'json' | 'pretty';
  redactor: Redactor;
  /** Where lines go; stdout by default (never a file: supervisors own log files). */
  out?: NodeJS.WritableStream & { isTTY?: boolean };
}

const SYMBOLS = [Symbol.for('level'), Symbol.for('message'), Symbol.for('splat')] as const;

/** A winston format that redacts every field and the message of an info object. */
function redactFormat(redactor: Redactor) {
  return winston.format((info) => {
    const redacted = redactor.redact({ ...info }) as Record<string | symbol, unknown>;
    // Symbols are not copied by the plain-object walk; winston needs `level` back.
    for (const s of SYMBOLS) if (s in info) redacted[s] = (info as Record<symbol, unknown>)[s];
    return redacted as winston.Logform.TransformableInfo;
  })();
}

/** Turns an Error found in the metadata into a plain object before redaction walks it. */
const errorsToObjects = winston.format((info) => {
  for (const [k, v] of Object.entries(info)) {
    if (v instanceof Error)
      info[k] = { name: v.name, message: v.message, code: (v as { code?: unknown }).code, stack: v.stack, cause: v.cause };
  }
  return info;
});

function prettyLine(info: winston.Logform.TransformableInfo): string {
  const { timestamp, level, message, stream: _stream, component, platform, room, ...rest } = info as Record<string, unknown>;
  const where = [component, platform, room].filter((x) => typeof x === 'string' && x !== '').join(' ');
  const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
  return `${String(timestamp)} ${String(level)}${where ? ` [${where}]` : ''} ${String(message)}${extra}`;
}

/** Whether lines written to `out` in this format are JSON (`auto`: JSON unless `out` is a terminal). */
export function writesJson(format: LoggerOptions['format'], out: { isTTY?: boolean }): boolean {
  return format === 'json' || (format === 'auto' && out.isTTY !== true);
}

/** Creates the root logger of one stream process. */
export function createLogger(options: LoggerOptions): Logger {
  const out = options.out ?? process.stdout;
  const pretty = !writesJson(options.format, out);
  const base = [winston.format.errors({ stack: true }), errorsToObjects(), winston.format.timestamp(), redactFormat(options.redactor)];
  const format = pretty
    ? winston.format.combine(...base, winston.format.colorize({ level: true }), winston.format.printf(prettyLine))
    : winston.format.combine(...base, winston.format.json());
  return winston.createLogger({
    level: options.level,
    defaultMeta: { stream: options.stream },
    format,
    transports: [new winston.transports.Stream({ stream: out })],
  });
}
