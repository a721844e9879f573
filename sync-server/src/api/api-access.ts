import type { FastifyRequest } from 'fastify';
import {
  ACTIONS,
  type Action,
  can,
  PERMISSION_ENTITIES,
  PermissionsError,
  parsePermissions,
  type RolePermissions,
  SCOPES,
  type Scope,
} from '../../../src-shared/auth/permissions';
import { type Access, loadAccess } from '../auth/access';
import type { Database } from '../db/database';
import { HttpError } from '../http/errors';
import type { RateLimiter } from '../http/rate-limit';
import { type ApiKey, type KeyScopes, keyForSecret } from './api-keys.service';

/**
 * Who a public API request acts as. A key reaches no further than sync would let its user: its
 * permissions are, action by action, the narrowest of the user's role now, the key's role and the
 * key's grant, and the result is an ordinary `Access`, so reads filter with scope-sql.ts and writes
 * pass write-access.ts exactly as a device's pull and push do: one permission model, not two.
 */

export interface ApiCaller {
  readonly key: ApiKey;
  readonly access: Access & { kind: 'user' };
}

const narrower = (a: Scope, b: Scope): Scope => (SCOPES.indexOf(a) <= SCOPES.indexOf(b) ? a : b);

/** Whether the key's grant for `entity` allows `action` ('write' covers create, update and delete). */
export function granted(scopes: KeyScopes, entity: string, action: Action): boolean {
  const grant = scopes[entity] ?? scopes['*'];
  return grant === 'write' || (grant === 'read' && action === 'read');
}

/** The key's permissions: the narrowest of the user's role, the key's role and the key's grants. */
export function keyPermissions(user: RolePermissions, role: RolePermissions, scopes: KeyScopes): RolePermissions {
  const entities = new Map<string, Partial<Record<Action, Scope>>>();
  for (const entity of PERMISSION_ENTITIES) {
    const entry: Partial<Record<Action, Scope>> = {};
    for (const action of ACTIONS) {
      entry[action] = granted(scopes, entity, action)
        ? narrower(can(user, entity, action), can(role, entity, action))
        : 'none';
    }
    entities.set(entity, Object.freeze(entry));
  }
  return { entities, fallback: {} };
}

async function rolePermissions(db: Database, roleId: string): Promise<RolePermissions> {
  const { rows } = await db.query<{ permissions: unknown }>(
    'SELECT permissions FROM user_roles WHERE id = $1 AND NOT is_deleted AND NOT sync_removed',
    [roleId],
  );
  const row = rows[0];
  if (row === undefined) throw new HttpError(403, `the API key's role "${roleId}" no longer exists`);
  try {
    return parsePermissions(row.permissions);
  } catch (error) {
    if (!(error instanceof PermissionsError)) throw error;
    throw new HttpError(403, `the API key's role "${roleId}" cannot be used: ${error.message}`);
  }
}

const BEARER = /^Bearer +(\S+) *$/i;

/** The secret from `Authorization: Bearer <key>` or `X-API-Key: <key>`. */
export function secretOf(request: FastifyRequest): string {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header !== '') return header.trim();
  const authorization = request.headers.authorization;
  const match = authorization === undefined ? null : BEARER.exec(authorization);
  if (!match?.[1]) {
    throw new HttpError(401, 'send an API key: Authorization: Bearer <key> or X-API-Key: <key>', 'authorization');
  }
  return match[1];
}

export type ApiAuthenticator = (request: FastifyRequest) => Promise<ApiCaller>;

/** Authenticates API requests by key, each key limited to `limiter`'s allowance per window. */
export function apiAuthenticator(db: Database, now: () => Date, limiter: RateLimiter): ApiAuthenticator {
  return async (request) => {
    const key = await keyForSecret(db, secretOf(request), now());
    limiter.take(`key:${key.id}`, 'too many requests for this API key');
    const user = await loadAccess(db, { userId: key.userId });
    if (user.kind !== 'user') throw new Error('an API key never acts unrestricted');
    const role = await rolePermissions(db, key.roleId);
    return { key, access: { ...user, permissions: keyPermissions(user.permissions, role, key.scopes) } };
  };
}
