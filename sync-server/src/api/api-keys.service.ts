import { createHash, randomBytes } from 'node:crypto';
import { DEFAULT_ENTRY, PERMISSION_ENTITIES } from '../../../src-shared/auth/permissions';
import { auditLogEntity } from '../../../src-shared/entities/audit.entity';
import type { Database, Queryable } from '../db/database';
import { HttpError } from '../http/errors';
import { insertRow } from '../sync/row-writer';
import { serverAuditEntry } from '../sync/server-audit';

/**
 * API keys of the public API: an administrator creates one for a user (whose records 'own' and
 * 'team' scopes measure), a role, and per-entity grants ('read' or 'write', '*' for every entity);
 * the secret is shown once and only its SHA-256 is stored. Creating and revoking are audited.
 */

export type Grant = 'read' | 'write';
export type KeyScopes = Readonly<Record<string, Grant>>;

export interface ApiKey {
  id: string;
  name: string;
  /** The secret's first characters, to tell keys apart in lists and logs. */
  prefix: string;
  userId: string;
  roleId: string;
  scopes: KeyScopes;
  expiresAt: string | null;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export interface NewApiKey {
  name: string;
  userId: string;
  roleId: string;
  scopes: KeyScopes;
  expiresAt?: string | undefined;
}

export interface KeyContext {
  now: () => Date;
  newId: () => string;
}

/** Secrets start with this, so secret scanners and people recognise them. */
export const SECRET_PREFIX = 'crm_';
const SECRET_FORM = /^crm_[A-Za-z0-9_-]{43}$/;
export const MAX_KEY_NAME = 100;

export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

interface KeyRow {
  id: string;
  name: string;
  prefix: string;
  user_id: string;
  role_id: string;
  scopes: KeyScopes;
  expires_at: Date | string | null;
  created_at: Date | string;
  created_by: string;
  revoked_at: Date | string | null;
  last_used_at: Date | string | null;
}

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

function keyOf(row: KeyRow): ApiKey {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    userId: row.user_id,
    roleId: row.role_id,
    scopes: row.scopes,
    expiresAt: iso(row.expires_at),
    createdAt: iso(row.created_at) ?? '',
    createdBy: row.created_by,
    revokedAt: iso(row.revoked_at),
    lastUsedAt: iso(row.last_used_at),
  };
}

const COLUMNS =
  'id, name, prefix, user_id, role_id, scopes, expires_at, created_at, created_by, revoked_at, last_used_at';

/** The key's grants, checked: every entity a role can name, or '*'; 'read' or 'write'. */
export function parseScopes(value: unknown): KeyScopes {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(400, 'must be an object of { entity: "read" | "write" }', 'scopes');
  }
  const scopes: Record<string, Grant> = {};
  for (const [name, grant] of Object.entries(value)) {
    if (name !== DEFAULT_ENTRY && !PERMISSION_ENTITIES.has(name)) {
      throw new HttpError(400, `scopes.${name} is not an entity`, `scopes.${name}`);
    }
    if (grant !== 'read' && grant !== 'write') {
      throw new HttpError(400, `scopes.${name} must be "read" or "write"`, `scopes.${name}`);
    }
    scopes[name] = grant;
  }
  if (Object.keys(scopes).length === 0) throw new HttpError(400, 'must grant at least one entity', 'scopes');
  return scopes;
}

/** A create request's body, checked field by field; unknown fields are refused. */
export function parseNewKey(body: unknown, defaultUserId: string, now: Date): NewApiKey {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'the body must be a JSON object');
  }
  const input = body as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!['name', 'userId', 'roleId', 'scopes', 'expiresAt'].includes(key)) {
      throw new HttpError(400, `${key} is not a field of an API key`, key);
    }
  }
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (name === '' || name.length > MAX_KEY_NAME) {
    throw new HttpError(400, `name must be 1 to ${MAX_KEY_NAME} characters`, 'name');
  }
  if (typeof input.roleId !== 'string' || input.roleId === '') throw new HttpError(400, 'roleId is required', 'roleId');
  const userId = input.userId === undefined ? defaultUserId : input.userId;
  if (typeof userId !== 'string' || userId === '') throw new HttpError(400, 'userId must be a user id', 'userId');
  let expiresAt: string | undefined;
  if (input.expiresAt !== undefined && input.expiresAt !== null) {
    const at = typeof input.expiresAt === 'string' ? Date.parse(input.expiresAt) : Number.NaN;
    if (Number.isNaN(at)) throw new HttpError(400, 'expiresAt must be an ISO date-time', 'expiresAt');
    if (at <= now.getTime()) throw new HttpError(400, 'expiresAt must be in the future', 'expiresAt');
    expiresAt = new Date(at).toISOString();
  }
  return { name, userId, roleId: input.roleId, scopes: parseScopes(input.scopes), expiresAt };
}

async function audit(
  tx: Queryable,
  context: KeyContext,
  actorId: string,
  previous: Record<string, unknown> | undefined,
  next: Record<string, unknown>,
): Promise<void> {
  const stamp = { id: context.newId(), at: context.now(), actorId, collection: 'settings' };
  await insertRow(tx, auditLogEntity, { ...serverAuditEntry(stamp, previous, next), _deleted: false });
}

/** What the audit trail says of a key: never its secret or hash. */
const audited = (key: ApiKey) => ({
  id: key.id,
  kind: 'apiKey',
  name: key.name,
  userId: key.userId,
  roleId: key.roleId,
  scopes: key.scopes,
  ...(key.expiresAt ? { expiresAt: key.expiresAt } : {}),
  ...(key.revokedAt ? { revokedAt: key.revokedAt } : {}),
});

async function mustExist(tx: Queryable, input: NewApiKey): Promise<void> {
  const role = await tx.query('SELECT 1 FROM user_roles WHERE id = $1 AND NOT is_deleted AND NOT sync_removed', [
    input.roleId,
  ]);
  if (role.rows.length === 0) throw new HttpError(400, `roleId: no role "${input.roleId}"`, 'roleId');
  const user = await tx.query<{ status: string }>(
    'SELECT status FROM users WHERE id = $1 AND NOT is_deleted AND NOT sync_removed',
    [input.userId],
  );
  const status = user.rows[0]?.status;
  if (status === undefined) throw new HttpError(400, `userId: no user "${input.userId}"`, 'userId');
  if (status === 'disabled') throw new HttpError(400, `userId: user "${input.userId}" is disabled`, 'userId');
}

/** Creates a key; the secret is in the answer and nowhere else. */
export async function createApiKey(
  db: Database,
  input: NewApiKey,
  actorId: string,
  context: KeyContext,
): Promise<{ key: ApiKey; secret: string }> {
  const secret = `${SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
  const id = `key_${randomBytes(12).toString('hex')}`;
  return db.transaction(async (tx) => {
    await mustExist(tx, input);
    const { rows } = await tx.query<KeyRow>(
      `INSERT INTO api_keys (id, name, prefix, secret_hash, user_id, role_id, scopes, expires_at, created_at, created_by)
VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10) RETURNING ${COLUMNS}`,
      [
        id,
        input.name,
        secret.slice(0, 12),
        hashSecret(secret),
        input.userId,
        input.roleId,
        JSON.stringify(input.scopes),
        input.expiresAt ?? null,
        context.now(),
        actorId,
      ],
    );
    const key = keyOf(rows[0] as KeyRow);
    await audit(tx, context, actorId, undefined, audited(key));
    return { key, secret };
  });
}

export async function listApiKeys(db: Queryable): Promise<ApiKey[]> {
  const { rows } = await db.query<KeyRow>(`SELECT ${COLUMNS} FROM api_keys ORDER BY created_at DESC, id`);
  return rows.map(keyOf);
}

/** Revokes a key at once (the next request with it is refused); revoking twice changes nothing. */
export async function revokeApiKey(db: Database, id: string, actorId: string, context: KeyContext): Promise<ApiKey> {
  return db.transaction(async (tx) => {
    const found = await tx.query<KeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE id = $1 FOR UPDATE`, [id]);
    const row = found.rows[0];
    if (row === undefined) throw new HttpError(404, `no API key "${id.slice(0, 60)}"`, 'id');
    const before = keyOf(row);
    if (before.revokedAt !== null) return before;
    const { rows } = await tx.query<KeyRow>(
      `UPDATE api_keys SET revoked_at = $2, revoked_by = $3 WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, context.now(), actorId],
    );
    const key = keyOf(rows[0] as KeyRow);
    await audit(tx, context, actorId, audited(before), audited(key));
    return key;
  });
}

/** The key a secret belongs to, or a 401 saying why it cannot be used. */
export async function keyForSecret(db: Queryable, secret: string, now: Date): Promise<ApiKey> {
  if (!SECRET_FORM.test(secret)) throw new HttpError(401, 'the API key is not valid', 'authorization');
  const { rows } = await db.query<KeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE secret_hash = $1`, [
    hashSecret(secret),
  ]);
  const row = rows[0];
  if (row === undefined) throw new HttpError(401, 'the API key is not valid', 'authorization');
  const key = keyOf(row);
  if (key.revokedAt !== null) throw new HttpError(401, 'the API key has been revoked', 'authorization');
  if (key.expiresAt !== null && Date.parse(key.expiresAt) <= now.getTime()) {
    throw new HttpError(401, `the API key expired at ${key.expiresAt}`, 'authorization');
  }
  // At most one write a minute per key: "last used" is for people, not an access log.
  await db.query(
    `UPDATE api_keys SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2::timestamptz - interval '1 minute')`,
    [key.id, now],
  );
  return key;
}
