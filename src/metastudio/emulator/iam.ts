/**
 * A small IAM: POST /v3/auth/tokens with the password method, scoped to the emulator's project.
 * Issues a random token in X-Subject-Token with `token.expires_at`, as IAM does.
 */
import { randomBytes } from 'node:crypto';
import type { Answer } from './answer.js';
import type { World } from './world.js';

const iamError = (status: number, message: string): Answer => ({
  status,
  body: { error: { code: status, message, title: status === 401 ? 'Unauthorized' : 'Bad Request' } },
});

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined);

/** IAM's password login: checks the user against `iam_users` and issues a token that expires after `token_ttl_ms`. */
export function issueToken(world: World, body: Buffer): Answer {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return iamError(400, 'The request body is not valid JSON.');
  }
  const auth = obj(obj(parsed)?.auth);
  const identity = obj(auth?.identity);
  const methods = identity?.methods;
  const user = obj(obj(identity?.password)?.user);
  const domain = obj(user?.domain);
  const project = obj(obj(auth?.scope)?.project);
  if (!Array.isArray(methods) || !methods.includes('password') || !user || !domain) {
    return iamError(400, 'auth.identity must use the password method with user.name, user.password and user.domain.name.');
  }
  const match = world.config.iam_users.find((u) => u.name === user.name && u.password === user.password && u.domain === domain.name);
  if (!match) return iamError(401, 'The username or password is wrong.');
  if (!project || (project.id !== world.config.project_id && project.name === undefined)) {
    return iamError(400, `auth.scope.project must name project ${world.config.project_id}.`);
  }
  const token = `MIIemu${randomBytes(24).toString('hex')}`;
  const issuedAt = world.now();
  const expiresAt = issuedAt + world.config.token_ttl_ms;
  world.tokens.set(token, expiresAt);
  world.issue(token);
  return {
    status: 201,
    headers: { 'X-Subject-Token': token },
    body: {
      token: {
        methods: ['password'],
        issued_at: new Date(issuedAt).toISOString(),
        expires_at: new Date(expiresAt).toISOString(),
        project: { id: world.config.project_id, name: world.config.project_id },
        user: { name: match.name, domain: { name: match.domain } },
      },
    },
  };
}
