import { randomUUID } from 'node:crypto';
import { auditEntry } from '../../../src-shared/audit/audit-changes';
import { passwordProblem } from '../../../src-shared/auth/password-policy';
import { can } from '../../../src-shared/auth/permissions';
import { auditLogEntity } from '../../../src-shared/entities/audit.entity';
import type { Database, Queryable } from '../db/database';
import { HttpError } from '../http/errors';
import { insertRow } from '../sync/row-writer';
import { SERVER_DEVICE } from '../sync/server-audit';
import { type Access, loadAccess } from './access';
import type { Principal } from './authenticate';
import { setPasswordHash } from './credentials';
import { hashPassword, verifyPassword } from './passwords';

/**
 * Setting a password (DESIGN.md §6): users change their own with their current one; an administrator
 * (a role that updates every user record) sets anyone's, which is how a user created in the app's
 * settings gets their first password. Either way every sign-in of that user ends (their refresh
 * tokens are revoked: a stolen session does not survive a password change), and a server audit
 * entry says who did it, without any password material.
 */

export interface SetPasswordInput {
  /** Whose password; the caller's own when absent. */
  userId?: string;
  /** Required to change one's own password. */
  currentPassword?: string;
  newPassword: string;
}

export interface SetPasswordContext {
  now(): Date;
  newId?(): string;
}

interface Target {
  id: string;
  email: string;
  password_hash: string | null;
}

async function targetOf(db: Queryable, userId: string): Promise<Target | undefined> {
  const { rows } = await db.query<Target>(
    `SELECT u.id, u.email, c.password_hash FROM users u LEFT JOIN user_credentials c ON c.user_id = u.id
     WHERE u.id = $1 AND NOT u.is_deleted AND NOT u.sync_removed`,
    [userId],
  );
  return rows[0];
}

function mayManageUsers(access: Access): boolean {
  return access.kind === 'unrestricted' || can(access.permissions, 'user', 'update') === 'all';
}

/** Sets the password; throws HttpError naming the field (400), the refusal (401/403) or an unknown user (404). */
export async function setPassword(
  db: Database,
  principal: Principal,
  input: SetPasswordInput,
  context: SetPasswordContext,
): Promise<void> {
  const problem = passwordProblem(input.newPassword);
  if (problem) throw new HttpError(400, `newPassword ${problem}`, 'newPassword');
  const access = await loadAccess(db, principal);
  const userId = input.userId ?? principal.userId;
  const own = userId === principal.userId;
  if (!own && !mayManageUsers(access)) {
    throw new HttpError(403, "only an administrator may set another user's password", 'userId');
  }
  const target = await targetOf(db, userId);
  if (target === undefined) throw new HttpError(404, `user ${userId} does not exist`, 'userId');
  if (own) {
    if (input.currentPassword === undefined) {
      throw new HttpError(400, 'currentPassword is required to change your own password', 'currentPassword');
    }
    const ok = target.password_hash !== null && (await verifyPassword(target.password_hash, input.currentPassword));
    if (!ok) throw new HttpError(401, 'currentPassword is wrong', 'currentPassword');
  }
  const hash = await hashPassword(input.newPassword);
  const at = context.now();
  await db.transaction(async (tx) => {
    await setPasswordHash(tx, userId, hash, at);
    await tx.query('UPDATE refresh_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL', [
      userId,
      at.toISOString(),
    ]);
    const entry = {
      ...auditEntry(
        {
          id: context.newId?.() ?? `srv_${randomUUID().replaceAll('-', '')}`,
          at,
          actorId: principal.userId,
          deviceId: SERVER_DEVICE,
          collection: 'users',
        },
        [{ id: userId, kind: 'user', action: 'update', changes: {} }],
      ),
      source: 'server',
      reason: own
        ? 'changed their own password; every sign-in ended'
        : 'password set by an administrator; every sign-in ended',
    };
    await insertRow(tx, auditLogEntity, { ...entry, _deleted: false });
  });
}
