/**
 * The signer boundary: X-MS-STUB in, the push URL's `signature` (frontierSign's X-Bogus) out.
 */
import { BridgeError } from '../../../src/core/errors.js';

/** What the session needs from a signer, whichever implementation `signer.type` picks. */
export interface Signer {
  /** Which implementation, for logs: `native`, `script` or `service`. */
  readonly kind: string;
  /** Signs one connection: returns the 16-character `signature` for the push URL. */
  sign(stub: string, signal?: AbortSignal): Promise<string>;
  /** Releases what the signer holds (a vm context, sockets). */
  close?(): void;
}

/** The signer could not produce a signature (script missing, service down, bad answer). */
export class SignerError extends BridgeError {
  declare readonly code: 'douyin_signer';

  constructor(message: string, options?: { cause?: unknown }) {
    super('douyin_signer', message, options);
  }
}
