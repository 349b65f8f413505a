/**
 * Chooses the signer from config `signer.type`.
 */
import type { DouyinSignerConfig } from '../config.js';
import type { HttpDeps } from '../../common/http.js';
import { NativeSigner } from './native.js';
import { ScriptSigner } from './script.js';
import { ServiceSigner } from './service.js';
import type { Signer } from './types.js';

export type { Signer } from './types.js';
export { SignerError } from './types.js';
export { xMsStub, stubSource, type StubInput } from './stub.js';

/** Builds the configured signer. */
export function createSigner(config: DouyinSignerConfig, options: { userAgent: string; http?: HttpDeps }): Signer {
  switch (config.type) {
    case 'native':
      return new NativeSigner();
    case 'script':
      return new ScriptSigner({ path: config.path, timeoutMs: config.timeout_ms, userAgent: options.userAgent });
    case 'service':
      return new ServiceSigner({ url: config.url, token: config.token, timeoutMs: config.timeout_ms }, options.http);
  }
}
