/**
 * `live-bridge check <config>...`: validate configs and print them resolved (defaults filled,
 * ${ENV} substituted) with every secret masked; with several files, one summary line each, and
 * warnings about what they share (an ops port, a state_dir). With --online, also look up
 * MetaStudio and every source's room without sending anything. Exit 0 when all is well, 78 when
 * a config is invalid, 1 when an online check failed.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import winston from 'winston';
import { parse, stringify } from 'yaml';
import { ConfigError, EXIT } from '../../core/errors.js';
import { loadConfig, type LoadedConfig } from '../../config/load.js';
import { rawWarnings } from '../../config/raw-warnings.js';
import { maskSecrets } from '../../config/secrets.js';
import { configWarnings } from '../../config/warnings.js';
import type { Command } from '../command.js';

/** One file's outcome. */
interface Checked {
  file: string;
  loaded?: LoadedConfig;
  /** The parsed text (for what only the text says: an explicit state_dir). */
  raw?: unknown;
  problems: readonly string[];
  warnings: string[];
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function opsPort(loaded: LoadedConfig): number | undefined {
  const listen = loaded.config.http.listen;
  const port = typeof listen === 'string' ? Number(/:(\d+)$/.exec(listen)?.[1]) : 0;
  return port > 0 ? port : undefined;
}

/** Two configs on one host must not share an ops port or (when they name one) a state_dir. */
function sharedWarnings(valid: Checked[]): Map<Checked, string[]> {
  const out = new Map<Checked, string[]>();
  const pairUp = (key: (c: Checked) => string | undefined, say: (other: Checked, value: string) => string) => {
    const seen = new Map<string, Checked>();
    for (const c of valid) {
      const value = key(c);
      if (value === undefined) continue;
      const first = seen.get(value);
      if (first) out.set(c, [...(out.get(c) ?? []), say(first, value)]);
      else seen.set(value, c);
    }
  };
  pairUp(
    (c) => (c.loaded && opsPort(c.loaded) !== undefined ? String(opsPort(c.loaded)) : undefined),
    (o, port) => `ops port ${port} is also ${o.file}'s (http.listen): two streams on one host need their own ports`,
  );
  pairUp(
    (c) => {
      const dir = (c.raw as { state_dir?: unknown } | undefined)?.state_dir;
      return typeof dir === 'string' ? path.resolve(c.loaded?.config.state_dir ?? dir) : undefined;
    },
    (o, dir) => `state_dir ${dir} is also ${o.file}'s: two streams must not share a spool`,
  );
  return out;
}

/** `live-bridge check`: validates configs, prints them resolved with secrets masked, and optionally checks them online. */
const check: Command = {
  usage: 'check <config.yaml>... [--quiet] [--online] [--strict]',
  help: `Validates stream configs: YAML syntax, \${ENV} substitution, every key and value.
With one file, prints it resolved (defaults filled in, secrets masked); with several, one
summary line each. Warnings go to stderr: a \`$VAR\` without braces (taken literally), a
platform that withholds gifts or names without a cookie, two configs sharing an ops port or a
state_dir. Problems are printed as file:line:col: key.path: what was expected (exit 78).

Options:
  --online  also check against the real services, sending nothing: MetaStudio accepts the
            credentials (AK/SK signature, token, IAM login), this host's clock is within the
            signature window of the gateway's, the project, room and job exist (and the job's
            state), and each source's room resolves (live, offline, not found, blocked).
            One line per finding; exit 1 when one failed.
  --strict  with --online, warnings (an offline room, a job not running, a skewed clock
            within the window) fail too
  --quiet   print only problems, warnings and failed online checks`,
  options: { quiet: { type: 'boolean', short: 'q' }, online: { type: 'boolean' }, strict: { type: 'boolean' } },
  positionals: { min: 1, max: Infinity },
  async run(args, io) {
    const files = args.positionals;
    const quiet = args.values.quiet === true;
    const several = files.length > 1;
    const results: Checked[] = [];
    for (const file of files) {
      try {
        const loaded = await loadConfig(file, io.env, io.registry);
        const text = await readFile(file, 'utf8');
        const warnings = [...rawWarnings(text, file), ...(await configWarnings(loaded.config, io.registry))];
        results.push({ file, loaded, raw: parse(text) as unknown, problems: [], warnings });
      } catch (err) {
        // One file alone keeps the CLI's own handling (problems on stderr, exit 78).
        if (!(err instanceof ConfigError) || !several) throw err;
        results.push({ file, problems: err.problems, warnings: [] });
      }
    }
    const shared = sharedWarnings(results.filter((r) => r.loaded));
    for (const r of results) {
      r.warnings.push(...(shared.get(r) ?? []));
      for (const p of r.problems) io.stderr.write(`${p}\n`);
      for (const w of r.warnings) io.stderr.write(`warning: ${several ? `${r.file}: ` : ''}${w}\n`);
    }

    for (const r of results) {
      if (!r.loaded) io.stdout.write(`${r.file}: invalid (${plural(r.problems.length, 'problem')})\n`);
      else if (quiet) continue;
      else if (several || args.values.online) {
        const c = r.loaded.config;
        const extra = r.warnings.length > 0 ? `, ${plural(r.warnings.length, 'warning')}` : '';
        io.stdout.write(`${r.file}: valid (stream ${c.stream}, ${plural(c.sources.length, 'source')}${extra})\n`);
      } else io.stdout.write(`# ${r.file}: valid\n${stringify(maskSecrets(r.loaded.config, io.registry))}`);
    }
    if (results.some((r) => !r.loaded)) return EXIT.config;
    if (!args.values.online) return EXIT.ok;

    const { onlineFindings } = await import('../online-check.js');
    // The client's own log lines would repeat the findings: check says each thing once.
    const logger = winston.createLogger({ silent: true });
    let failed = false;
    for (const r of results) {
      const findings = await onlineFindings(r.loaded as LoadedConfig, {
        logger,
        signal: io.signal,
        ...(io.registry ? { registry: io.registry } : {}),
      });
      for (const f of findings) {
        const bad = f.level === 'fail' || (f.level === 'warn' && args.values.strict === true);
        failed ||= bad;
        if (quiet && f.level === 'ok') continue;
        io.stdout.write(`${r.file}: ${f.level === 'fail' ? 'FAIL' : f.level} ${f.scope}: ${f.text}\n`);
      }
    }
    return failed ? EXIT.crash : EXIT.ok;
  },
};
export default check;
