import { createHash } from 'node:crypto';
import {
  type Actor,
  can,
  PermissionsError,
  parsePermissions,
  type RolePermissions,
  type Scope,
} from '../../../src-shared/auth/permissions';
import type { EntityDef } from '../../../src-shared/schema/define-entity';
import type { Queryable } from '../db/database';
import { HttpError } from '../http/errors';
import type { Principal } from './authenticate';

/**
 * What a caller may reach, loaded from the database on every sync request (DESIGN.md §6): their
 * role's permissions as they are NOW (a token issued before a role change carries the old role id,
 * so the token is never trusted for it) and their team. A disabled or removed user is refused here
 * even while their access token is still valid.
 *
 * The team of a user: every member of the groups they belong to or manage, and of those groups'
 * sub-groups (a regional manager sees the offices under the region), plus those groups' managers.
 */

export type Access =
  /** The test and development seam (`headerAuthenticate`): every record, every action. */
  | { readonly kind: 'unrestricted'; readonly userId: string }
  | {
      readonly kind: 'user';
      readonly userId: string;
      readonly roleId: string;
      readonly permissions: RolePermissions;
      readonly actor: Actor;
    };

interface UserRow {
  status: string;
  is_deleted: boolean;
  sync_removed: boolean;
  role_id: string;
  role_found: boolean;
  role_gone: boolean | null;
  permissions: unknown;
}

const USER_SQL = `SELECT u.status, u.is_deleted, u.sync_removed, u.role_id,
  r.id IS NOT NULL AS role_found, (r.is_deleted OR r.sync_removed) AS role_gone, r.permissions
FROM users u LEFT JOIN user_roles r ON r.id = u.role_id
WHERE u.id = $1`;

/** Members and managers of the groups the user belongs to or manages, and of their sub-groups. */
const TEAM_SQL = `WITH RECURSIVE mine AS (
  SELECT g.id FROM user_groups g
   WHERE g.manager_id = $1 AND NOT g.is_deleted AND NOT g.sync_removed
  UNION
  SELECT m.group_id FROM user_group_members m
   WHERE m.user_id = $1 AND NOT m.is_deleted AND NOT m.sync_removed
), tree AS (
  SELECT id FROM mine
  UNION
  SELECT g.id FROM user_groups g JOIN tree ON g.parent_group_id = tree.id
   WHERE NOT g.is_deleted AND NOT g.sync_removed
)
SELECT m.user_id AS id FROM user_group_members m JOIN tree ON m.group_id = tree.id
 WHERE NOT m.is_deleted AND NOT m.sync_removed
UNION
SELECT g.manager_id FROM user_groups g JOIN tree ON g.id = tree.id WHERE g.manager_id IS NOT NULL`;

/** The caller's access; throws a 403 naming why when their account or role cannot be used. */
export async function loadAccess(db: Queryable, principal: Principal): Promise<Access> {
  if (principal.unrestricted === true) return { kind: 'unrestricted', userId: principal.userId };
  const user = (await db.query<UserRow>(USER_SQL, [principal.userId])).rows[0];
  if (user === undefined || user.sync_removed || user.is_deleted) {
    throw new HttpError(403, 'your user account no longer exists: ask an administrator');
  }
  if (user.status === 'disabled') throw new HttpError(403, 'your user account is disabled: ask an administrator');
  if (!user.role_found || user.role_gone === true) {
    throw new HttpError(403, `your role "${user.role_id}" no longer exists: ask an administrator`);
  }
  let permissions: RolePermissions;
  try {
    permissions = parsePermissions(user.permissions);
  } catch (error) {
    if (!(error instanceof PermissionsError)) throw error;
    throw new HttpError(403, `your role "${user.role_id}" cannot be used: ${error.message}`);
  }
  const team = await db.query<{ id: string }>(TEAM_SQL, [principal.userId]);
  const teamUserIds = new Set(team.rows.map((r) => r.id));
  teamUserIds.delete(principal.userId);
  return {
    kind: 'user',
    userId: principal.userId,
    roleId: user.role_id,
    permissions,
    actor: { userId: principal.userId, teamUserIds },
  };
}

/** The scope in which the caller may read records of `entity`. */
export function readScope(access: Access, entity: EntityDef): Scope {
  return access.kind === 'unrestricted' ? 'all' : can(access.permissions, entity.name, 'read');
}

/**
 * What the caller can read among a collection's tables: each table's read scope, and the owners
 * its 'own' and 'team' scopes cover. Remembered by fingerprint (scope-history.ts) so that a pull can
 * tell what a device was allowed to see when its checkpoint was issued.
 */
export interface ScopeDefinition {
  readonly userId: string;
  /** Read scope by entity name. */
  readonly scopes: Readonly<Record<string, Scope>>;
  /** The caller and their team, sorted; only where a 'team' scope uses it (else empty). */
  readonly team: readonly string[];
}

export function scopeDefinition(access: Access, entities: readonly EntityDef[]): ScopeDefinition {
  const scopes = Object.fromEntries(entities.map((e) => [e.name, readScope(access, e)]));
  const usesTeam = Object.values(scopes).includes('team');
  const team = access.kind === 'user' && usesTeam ? [access.userId, ...access.actor.teamUserIds].sort() : [];
  return { userId: access.userId, scopes, team };
}

/**
 * A short fingerprint of a scope definition: part of the pull checkpoint, so that a device whose
 * reach changed (new role, team change) pulls afresh: it receives what it could not see before and
 * drops what it may no longer see.
 */
export function scopeFingerprint(definition: ScopeDefinition): string {
  const scopes = Object.entries(definition.scopes)
    .map(([name, scope]) => `${name}=${scope}`)
    .join(';');
  const limited = Object.values(definition.scopes).some((s) => s === 'own' || s === 'team');
  return createHash('sha256')
    .update(`${limited ? definition.userId : ''}|${scopes}|${definition.team.join(',')}`)
    .digest('base64url')
    .slice(0, 12);
}
