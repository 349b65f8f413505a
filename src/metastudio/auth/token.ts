/**
 * Token mode (a fixed IAM token in X-Auth-Token) and the no-credentials mode (emulator only).
 */
import type { Logger } from '../../core/logger.js';
import { MASK, type Authenticator, type PreparedRequest } from './types.js';

/** A fixed IAM token in X-Auth-Token; it cannot be renewed. */
export class TokenAuth implements Authenticator {
  readonly kind = 'token' as const;

  constructor(
    readonly token: string,
    readonly logger: Logger,
  ) {}

  async authorize(req: PreparedRequest): Promise<void> {
    req.headers['X-Auth-Token'] = this.token;
  }

  preview(req: PreparedRequest): void {
    req.headers['X-Auth-Token'] = MASK;
  }

  async reauthenticate(): Promise<void> {
    this.logger.warn(
      'a fixed token cannot be renewed: replace metastudio.auth.token (IAM tokens last 24 h) or use the password or aksk mode',
      { code: 'metastudio_token_fixed' },
    );
  }

  noteError(): void {}

  clockOffsetMs(): number {
    return 0;
  }
}

/** No credentials at all: only an emulator started with allow_anonymous accepts this. */
export class NoAuth implements Authenticator {
  readonly kind = 'none' as const;
  async authorize(): Promise<void> {}
  preview(): void {}
  async reauthenticate(): Promise<void> {}
  noteError(): void {}
  clockOffsetMs(): number {
    return 0;
  }
}
