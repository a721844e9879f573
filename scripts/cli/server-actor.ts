import { BUILT_IN_ROLE_IDS } from '../../src-shared/auth/built-in-roles';
import { isAdminRole, parsePermissions } from '../../src-shared/auth/permissions';
import type { Queryable } from '../../sync-server/src/db/database';

/** The user a headless command acts as: its writes and audit entries carry this id. */
export interface ServerActor {
  readonly id: string;
  readonly email: string;
}

/** A `--as` user the server does not know, or no administrator to act as by default. */
export class ActorError extends Error {
  override readonly name = 'ActorError';
}

/**
 * The active user with that email (any case), or, without one, the oldest active administrator
 * (the one `bootstrap-admin` made), so a first import on a new server needs no flag.
 */
export async function resolveActor(db: Queryable, email: string | undefined): Promise<ServerActor> {
  if (email !== undefined) {
    const { rows } = await db.query<{ id: string; email: string; status: string }>(
      `SELECT id, email, status FROM users
        WHERE lower(email) = lower($1) AND NOT is_deleted AND NOT sync_removed ORDER BY created_at LIMIT 1`,
      [email.trim()],
    );
    const user = rows[0];
    if (!user) throw new ActorError(`--as: no user with email "${email}" on this server`);
    if (user.status === 'disabled') throw new ActorError(`--as: the user "${email}" is disabled`);
    return { id: user.id, email: user.email };
  }
  const { rows } = await db.query<{ id: string; email: string; roleId: string; permissions: unknown }>(
    `SELECT u.id, u.email, r.id AS "roleId", r.permissions FROM users u JOIN user_roles r ON r.id = u.role_id
      WHERE u.status = 'active' AND NOT u.is_deleted AND NOT u.sync_removed AND NOT r.is_deleted
      ORDER BY u.created_at, u.id`,
  );
  const admin = rows.find((r) => {
    // The built-in role counts even when its stored grants predate an entity added since.
    if (r.roleId === BUILT_IN_ROLE_IDS.admin) return true;
    try {
      return isAdminRole(parsePermissions(r.permissions));
    } catch {
      return false;
    }
  });
  if (!admin) throw new ActorError('no active administrator to act as: pass --as <userEmail> (or run bootstrap-admin)');
  return { id: admin.id, email: admin.email };
}
