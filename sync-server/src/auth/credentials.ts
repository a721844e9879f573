import type { Queryable } from '../db/database';
import { refreshTokenHash } from './tokens';

/**
 * SQL over the server-only credential tables (`1795986786047_auth_credentials`). Times are passed
 * in, never `now()`, so the injected clock decides expiry (tests move it).
 */

/** A user who may try to sign in: live, with a password. */
export interface SignInCandidate {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  roleId: string;
  status: string;
  passwordHash: string;
}

const CANDIDATE = `SELECT u.id, u.email, u.first_name AS "firstName", u.last_name AS "lastName", u.role_id AS "roleId",
  u.status, c.password_hash AS "passwordHash"
FROM users u JOIN user_credentials c ON c.user_id = u.id
WHERE NOT u.is_deleted AND NOT u.sync_removed`;

/** The users with this email (compared case-insensitively) who have a password: none, one, or (a data error) more. */
export async function candidatesByEmail(db: Queryable, email: string): Promise<SignInCandidate[]> {
  const { rows } = await db.query<SignInCandidate>(`${CANDIDATE} AND lower(u.email) = lower($1) LIMIT 2`, [email]);
  return rows;
}

export async function candidateById(db: Queryable, userId: string): Promise<SignInCandidate | undefined> {
  const { rows } = await db.query<SignInCandidate>(`${CANDIDATE} AND u.id = $1`, [userId]);
  return rows[0];
}

/** Sets (or replaces) the user's password hash. */
export async function setPasswordHash(db: Queryable, userId: string, passwordHash: string, at: Date): Promise<void> {
  await db.query(
    `INSERT INTO user_credentials (user_id, password_hash, updated_at) VALUES ($1, $2, $3)
     ON CONFLICT (user_id) DO UPDATE SET password_hash = EXCLUDED.password_hash, updated_at = EXCLUDED.updated_at`,
    [userId, passwordHash, at.toISOString()],
  );
}

export interface NewRefreshToken {
  id: string;
  userId: string;
  familyId: string;
  token: string;
  expiresAt: Date;
  /** The device the sign-in was made on (x-device-id); none for scripts. */
  deviceId: string | undefined;
}

export async function insertRefreshToken(db: Queryable, row: NewRefreshToken, at: Date): Promise<void> {
  await db.query(
    `INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, created_at, expires_at, device_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      row.id,
      row.userId,
      row.familyId,
      refreshTokenHash(row.token),
      at.toISOString(),
      row.expiresAt.toISOString(),
      row.deviceId ?? null,
    ],
  );
}

export interface StoredRefreshToken {
  id: string;
  userId: string;
  familyId: string;
  /** The device the sign-in belongs to; null for a script's, or one made before devices were kept. */
  deviceId: string | null;
  revoked: boolean;
  expired: boolean;
  /**
   * For a token rotated less than `graceSeconds` ago: its successor's id (the answer carrying it may
   * have been lost on the way to the device; `revokeUnusedSuccessor` tells whether it was used).
   */
  recentSuccessorId: string | null;
}

/**
 * The stored token `token` hashes to, locked until the transaction ends; undefined if unknown.
 * One table, no join: under concurrent refreshes the row is re-read after the lock wait, and a
 * joined row would not be.
 */
export async function refreshTokenForUpdate(
  tx: Queryable,
  token: string,
  at: Date,
  graceSeconds = 0,
): Promise<StoredRefreshToken | undefined> {
  const { rows } = await tx.query<StoredRefreshToken>(
    `SELECT id, user_id AS "userId", family_id AS "familyId", device_id AS "deviceId", revoked_at IS NOT NULL AS revoked,
       expires_at <= $2::timestamptz AS expired,
       CASE WHEN revoked_at > $2::timestamptz - make_interval(secs => $3) THEN replaced_by END AS "recentSuccessorId"
     FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE`,
    [refreshTokenHash(token), at.toISOString(), graceSeconds],
  );
  return rows[0];
}

/**
 * Revokes a successor nobody used, so its rotated predecessor can be rotated once more (the device
 * never received it); false if it was used or revoked meanwhile (then the predecessor's reuse is theft).
 */
export async function revokeUnusedSuccessor(tx: Queryable, id: string, at: Date): Promise<boolean> {
  const { rows } = await tx.query<{ id: string }>(
    `UPDATE refresh_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING id`,
    [id, at.toISOString()],
  );
  return rows.length === 1;
}

/** Points a rotated token at its new successor, keeping the time it was first rotated (the grace does not grow). */
export async function replaceSuccessor(tx: Queryable, id: string, replacedBy: string): Promise<void> {
  await tx.query('UPDATE refresh_tokens SET replaced_by = $2 WHERE id = $1', [id, replacedBy]);
}

/** Revokes one token, naming its successor. */
export async function revokeRefreshToken(tx: Queryable, id: string, at: Date, replacedBy: string): Promise<void> {
  await tx.query(`UPDATE refresh_tokens SET revoked_at = $2, replaced_by = $3 WHERE id = $1`, [
    id,
    at.toISOString(),
    replacedBy,
  ]);
}

/** Revokes every token of a sign-in still in use; returns how many. */
export async function revokeFamily(tx: Queryable, familyId: string, at: Date): Promise<number> {
  const { rows } = await tx.query<{ id: string }>(
    `UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL RETURNING id`,
    [familyId, at.toISOString()],
  );
  return rows.length;
}
