/**
 * `http:` and `log:` — the operations surface of one stream process.
 */
import { z } from 'zod';

export const HttpSchema = z.strictObject({
  /** host:port for /healthz, /readyz and /metrics; `false` turns the server off. */
  listen: z.union([z.string().regex(/^(\[[0-9a-fA-F:]+\]|[^:\s]+):\d{1,5}$/, 'expected host:port'), z.literal(false)]).default('127.0.0.1:9464'),
  /** Binding to a non-loopback address must be asked for explicitly. */
  allow_remote: z.boolean().default(false),
});

export const LogSchema = z.strictObject({
  level: z.enum(['error', 'warn', 'info', 'debug']).default('info'),
  /** `auto`: readable lines on a TTY, JSON lines otherwise (what pm2 and journald collect). */
  format: z.enum(['auto', 'json', 'pretty']).default('auto'),
});
