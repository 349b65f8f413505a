/**
 * `http:` and `log:` — the operations surface of one stream process.
 */
import { z } from 'zod';
import { isLoopback, LISTEN_PATTERN as LISTEN } from '../../ops/listen.js';

/** `http:` — the ops server's address; one beyond loopback must be asked for with `allow_remote`. */
export const HttpSchema = z
  .strictObject({
    /** host:port for /healthz, /readyz and /metrics; `false` turns the server off. */
    listen: z
      .union([
        z
          .string()
          .regex(LISTEN, 'expected host:port')
          .refine((v) => Number(LISTEN.exec(v)?.[3]) <= 65_535, 'expected a port up to 65535'),
        z.literal(false),
      ])
      .default('127.0.0.1:9464'),
    /** Binding to a non-loopback address must be asked for explicitly. */
    allow_remote: z.boolean().default(false),
  })
  // Checked here, not only when the server starts, so that `check` fails too and points at the line.
  .superRefine((http, ctx) => {
    const m = typeof http.listen === 'string' ? LISTEN.exec(http.listen) : null;
    const host = m?.[1] ?? m?.[2];
    if (host !== undefined && !http.allow_remote && !isLoopback(host)) {
      ctx.addIssue({
        code: 'custom',
        path: ['listen'],
        message: `${String(http.listen)} is reachable from other hosts; use 127.0.0.1:<port> or set http.allow_remote: true`,
      });
    }
  });

/** `log:`: the level and line format. */
export const LogSchema = z.strictObject({
  level: z.enum(['error', 'warn', 'info', 'debug']).default('info'),
  /** `auto`: readable lines on a TTY, JSON lines otherwise (what pm2 and journald collect). */
  format: z.enum(['auto', 'json', 'pretty']).default('auto'),
  /** One `status` info line this often (events, drops, queue, latency, sources); 0 turns it off. */
  status_interval_ms: z.number().int().min(0).default(60_000),
});
