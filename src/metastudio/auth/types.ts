/**
 * How a request gets its credentials. One Authenticator per mode; the client calls `authorize`
 * on every request just before sending it.
 */

/** A request ready to send; `authorize` adds headers to it. */
export interface PreparedRequest {
  method: 'GET' | 'POST';
  url: URL;
  headers: Record<string, string>;
  /** The exact body sent ('' for none): AK/SK signs its SHA-256. */
  body: string;
}

/** One way of crediting MetaStudio requests; the client does not care which. */
export interface Authenticator {
  readonly kind: 'aksk' | 'token' | 'password' | 'none';
  /** Adds credentials (may log in to IAM first). */
  authorize(req: PreparedRequest, signal?: AbortSignal): Promise<void>;
  /** Adds credentials as `authorize` would, with every secret masked, without any network (dry run). */
  preview(req: PreparedRequest): void;
  /** Drops cached credentials and obtains fresh ones; at most one IAM login. */
  reauthenticate(): Promise<void>;
  /** Lets the authenticator learn from a refusal (clock skew). */
  noteError(err: unknown): void;
  /** Added to the local clock when dating requests (AK/SK after a measured skew); 0 otherwise. */
  clockOffsetMs(): number;
}

/** The mask written in place of secrets in printed requests. */
export const MASK = '***';
