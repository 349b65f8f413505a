/**
 * Command-line parsing and dispatch, separate from process wiring so tests call it directly.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { BridgeError, ConfigError, EXIT, UsageError } from '../core/errors.js';
import { packagePath } from '../core/paths.js';
import type { CommandIO } from './command.js';
import { COMMANDS } from './commands/index.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    'live-bridge: livestream room events into a Huawei Cloud MetaStudio smart-live job',
    '',
    'Usage: live-bridge <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    "Run `live-bridge <command> --help` for a command's options.",
    'Exit codes: 0 ok, 1 crash, 64 usage error, 78 bad config.',
    '',
  ].join('\n');
}

/** Runs the CLI with `argv` (without node and script) and resolves to the exit code. */
export async function runCli(argv: string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout).write(mainHelp());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${version()}\n`);
    return EXIT.ok;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    io.stderr.write(`live-bridge: unknown command "${name}"\n\n${mainHelp()}`);
    return EXIT.usage;
  }
  const command = (await entry.load()).default;
  const usage = `Usage: live-bridge ${command.usage}\n`;
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    io.stderr.write(`live-bridge ${name}: ${(err as Error).message}\n${usage}Run \`live-bridge ${name} --help\` for details.\n`);
    return EXIT.usage;
  }
  if (parsed.values.help) {
    io.stdout.write(`${usage}\n${command.help.trimEnd()}\n`);
    return EXIT.ok;
  }
  const { min, max } = command.positionals;
  if (parsed.positionals.length < min || parsed.positionals.length > max) {
    io.stderr.write(
      `live-bridge ${name}: expected ${min === max ? min : max === Infinity ? `at least ${min}` : `${min} to ${max}`} argument${max === 1 ? '' : 's'}, got ${parsed.positionals.length}\n${usage}`,
    );
    return EXIT.usage;
  }
  try {
    return await command.run({ values: parsed.values, positionals: parsed.positionals }, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`live-bridge ${name}: ${err.message}\n${usage}`);
      return EXIT.usage;
    }
    if (err instanceof BridgeError && err.code === 'config_invalid') {
      if (io.notices?.json) {
        const problems = err instanceof ConfigError ? [...err.problems] : err.message.split('\n');
        io.notices.write('error', 'invalid config', { code: err.code, problems });
      } else io.stderr.write(`${err.message}\n`);
      return EXIT.config;
    }
    throw err;
  }
}
