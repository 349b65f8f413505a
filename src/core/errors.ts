/**
 * The base of every error the bridge raises on purpose. `code` is stable: logs, metrics and
 * tests match on it, never on the message text.
 */
export class BridgeError extends Error {
  /** A stable snake_case identifier of what went wrong (`^[a-z0-9_]+$`). */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** The configuration cannot work: the process exits 78 and its supervisor must not restart it. */
export class ConfigError extends BridgeError {
  declare readonly code: 'config_invalid';
  /** Each problem as `file:line:col: key.path: what was expected`. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super('config_invalid', problems.join('\n'));
    this.problems = problems;
  }
}

/** The command line is wrong: unknown command, flag or missing argument (exit 64). */
export class UsageError extends BridgeError {
  declare readonly code: 'usage';

  constructor(message: string) {
    super('usage', message);
  }
}

/** Exit codes of the live-bridge process, as supervisors see them. */
export const EXIT = { ok: 0, crash: 1, usage: 64, config: 78 } as const;
