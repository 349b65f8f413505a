/**
 * `live-bridge check <config>`: validate a config and print it resolved (defaults filled,
 * ${ENV} substituted) with every secret masked. Exit 0 when valid, 78 when not.
 */
import { stringify } from 'yaml';
import { EXIT } from '../../core/errors.js';
import { loadConfig } from '../../config/load.js';
import { maskSecrets } from '../../config/secrets.js';
import { configWarnings } from '../../config/warnings.js';
import type { Command } from '../command.js';

/** `live-bridge check`: validates a config and prints it resolved, secrets masked. */
const check: Command = {
  usage: 'check <config.yaml> [--quiet]',
  help: `Validates one stream config: YAML syntax, \${ENV} substitution, every key and value.
Prints the resolved config (defaults filled in, secrets masked) and any warnings.
Problems are printed as file:line:col: key.path: what was expected, and the exit code is 78.

Options:
  --quiet   print nothing when the config is valid`,
  options: { quiet: { type: 'boolean', short: 'q' } },
  positionals: { min: 1, max: 1 },
  async run(args, io) {
    const file = args.positionals[0] as string;
    // A ConfigError propagates: the CLI prints its problems and exits 78.
    const { config } = await loadConfig(file, io.env, io.registry);
    for (const warning of await configWarnings(config, io.registry)) io.stderr.write(`warning: ${warning}\n`);
    if (!args.values.quiet) io.stdout.write(`# ${file}: valid\n${stringify(maskSecrets(config, io.registry))}`);
    return EXIT.ok;
  },
};
export default check;
