/**
 * `${VAR}` substitution on parsed scalar values (never on raw text, so a secret cannot inject
 * YAML). Grammar, as Vector's: `${VAR}`, `${VAR:-default}` (default when unset or empty),
 * `${VAR:?message}` (error when unset or empty), `$VAR` is left alone, and `$$` is a literal `$`.
 */

/** A substitution that could not be made; the loader adds the file position. */
export class EnvSubstitutionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnvSubstitutionError';
  }
}

const TOKEN = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:-|:\?)([^}]*))?\}|\$\{([^}]*)\}?/g;

/** The result of substituting one scalar. */
export interface Substituted {
  value: string;
  /** Whether any `${...}` was replaced (values that came from the environment are candidates for secrets). */
  fromEnv: boolean;
}

/** Substitutes one scalar string against `env`. Throws EnvSubstitutionError with a readable message. */
export function substituteEnv(input: string, env: NodeJS.ProcessEnv): Substituted {
  let fromEnv = false;
  const value = input.replace(
    TOKEN,
    (whole, name: string | undefined, op: string | undefined, arg: string | undefined, bad: string | undefined) => {
      if (whole === '$$') return '$';
      if (name === undefined) {
        throw new EnvSubstitutionError(
          `malformed variable reference "${whole}" (expected \${NAME}, \${NAME:-default} or \${NAME:?message}; write $$ for a literal $)`,
        );
      }
      void bad;
      fromEnv = true;
      const raw = env[name];
      const set = raw !== undefined && raw !== '';
      if (op === ':-') return set ? raw : (arg ?? '');
      if (op === ':?') {
        if (!set) throw new EnvSubstitutionError(`environment variable ${name} is required: ${arg || 'not set'}`);
        return raw;
      }
      if (raw === undefined)
        throw new EnvSubstitutionError(
          `environment variable ${name} is not set: export it, or put ${name}=... in the stream's env file ` +
            "(pm2: $LIVE_BRIDGE_ENV_DIR/<stream>.env; systemd: /etc/live-bridge/<stream>.env; Kubernetes: the stream's Secret)",
        );
      return raw;
    },
  );
  if (fromEnv && /[\r\n]/.test(value)) {
    throw new EnvSubstitutionError('a substituted value contains a newline, which is not allowed');
  }
  return { value, fromEnv };
}
