import {
  BUILT_IN_ROLE_IDS,
  BUILT_IN_ROLE_TEXT,
  BUILT_IN_ROLES,
  builtInPermissions,
} from '../../../src-shared/auth/built-in-roles';
import { passwordProblem } from '../../../src-shared/auth/password-policy';
import { isAdminRole, parsePermissions } from '../../../src-shared/auth/permissions';
import { userEntity, userRoleEntity } from '../../../src-shared/entities/access.entity';
import { auditLogEntity } from '../../../src-shared/entities/audit.entity';
import { type EntityDef, NEWEST_MAX } from '../../../src-shared/schema/define-entity';
import { validateRecord } from '../../../src-shared/schema/validate';
import type { Database, Queryable } from '../db/database';
import { insertRow } from '../sync/row-writer';
import { serverAuditEntry } from '../sync/server-audit';
import { setPasswordHash } from './credentials';
import { hashPassword } from './passwords';

/**
 * First run: the built-in roles (those missing) and one administrator who can sign in, in one
 * transaction with a server audit entry per record, so devices pull them like any other change.
 * Refused while an administrator who can sign in exists: an active user whose role grants every
 * action on every entity and who has a password. (An administrator imported without a password,
 * e.g. from the demo data set, cannot sign in, so it does not block the bootstrap.)
 */

export interface BootstrapAdminInput {
  email: string;
  password: string;
  firstName?: string;
  lastName?: string;
}

export interface BootstrapContext {
  now(): Date;
  newId(): string;
}

export interface BootstrapResult {
  userId: string;
  email: string;
  /** Ids of the built-in roles this run created (the others existed). */
  rolesCreated: string[];
}

/** Input the bootstrap cannot use (`field` names it), or a state in which it must not run (no field). */
export class BootstrapError extends Error {
  override readonly name = 'BootstrapError';
  constructor(
    readonly field: keyof BootstrapAdminInput | undefined,
    readonly reason: string,
  ) {
    super(field === undefined ? reason : `${field} ${reason}`);
  }
}

/** Any constant: two bootstraps at once on one database run one after the other. */
const BOOTSTRAP_LOCK = 7_240_114;

function newDoc(entity: EntityDef, id: string, fields: Record<string, unknown>, actorId: string, at: Date) {
  const doc: Record<string, unknown> = {
    id,
    kind: entity.name,
    ownerId: actorId,
    createdAt: at.toISOString(),
    updatedAt: at.toISOString(),
    createdBy: actorId,
    updatedBy: actorId,
    isDeleted: false,
    newest: NEWEST_MAX - at.getTime(),
    ...fields,
  };
  const [first, ...rest] = validateRecord(entity, doc);
  if (first) {
    const field = first.field as keyof BootstrapAdminInput;
    const problems = [first, ...rest].map((p) => `${p.field} ${p.problem}`).join('; ');
    throw new BootstrapError(['email', 'firstName', 'lastName'].includes(field) ? field : undefined, problems);
  }
  return doc;
}

/** Writes the record and its server audit entry, as a push would. */
async function write(tx: Queryable, doc: Record<string, unknown>, entity: EntityDef, ctx: BootstrapContext) {
  await insertRow(tx, entity, { ...doc, _deleted: false });
  const collection = entity.collection ?? entity.name;
  const entry = serverAuditEntry(
    { id: ctx.newId(), at: ctx.now(), actorId: String(doc.createdBy), collection },
    undefined,
    doc,
  );
  await insertRow(tx, auditLogEntity, { ...entry, reason: 'bootstrap-admin', _deleted: false });
}

async function existingAdmin(tx: Queryable): Promise<string | undefined> {
  const { rows } = await tx.query<{ email: string; permissions: unknown }>(
    `SELECT u.email, r.permissions FROM users u
     JOIN user_roles r ON r.id = u.role_id AND NOT r.is_deleted AND NOT r.sync_removed
     JOIN user_credentials c ON c.user_id = u.id
     WHERE NOT u.is_deleted AND NOT u.sync_removed AND u.status = 'active'`,
  );
  const admin = rows.find((row) => {
    try {
      return isAdminRole(parsePermissions(row.permissions));
    } catch {
      return false; // A role whose permissions do not parse grants nothing.
    }
  });
  return admin?.email;
}

async function createMissingRoles(tx: Queryable, adminId: string, ctx: BootstrapContext): Promise<string[]> {
  const ids = BUILT_IN_ROLES.map((r) => BUILT_IN_ROLE_IDS[r]);
  const { rows } = await tx.query<{ id: string }>('SELECT id FROM user_roles WHERE id = ANY($1::text[])', [ids]);
  const existing = new Set(rows.map((r) => r.id));
  const created: string[] = [];
  for (const role of BUILT_IN_ROLES) {
    const id = BUILT_IN_ROLE_IDS[role];
    if (existing.has(id)) continue;
    const fields = { ...BUILT_IN_ROLE_TEXT[role], permissions: builtInPermissions(role), isSystem: true };
    await write(tx, newDoc(userRoleEntity, id, fields, adminId, ctx.now()), userRoleEntity, ctx);
    created.push(id);
  }
  return created;
}

/** The admin role must (still) be one: a built-in role an administrator has since edited or deleted is not. */
async function checkAdminRole(tx: Queryable): Promise<void> {
  const id = BUILT_IN_ROLE_IDS.admin;
  const { rows } = await tx.query<{ permissions: unknown; live: boolean }>(
    'SELECT permissions, NOT (is_deleted OR sync_removed) AS live FROM user_roles WHERE id = $1',
    [id],
  );
  const row = rows[0];
  let admin = false;
  try {
    admin = row?.live === true && isAdminRole(parsePermissions(row.permissions));
  } catch {
    admin = false;
  }
  if (!admin)
    throw new BootstrapError(undefined, `the role ${id} exists but is deleted or no longer grants everything`);
}

export async function bootstrapAdmin(
  db: Database,
  input: BootstrapAdminInput,
  ctx: BootstrapContext,
): Promise<BootstrapResult> {
  const problem = passwordProblem(input.password);
  if (problem) throw new BootstrapError('password', problem);
  const email = input.email.trim().toLowerCase();
  const userId = ctx.newId();
  const user = newDoc(
    userEntity,
    userId,
    {
      email,
      firstName: input.firstName?.trim() || 'Admin',
      lastName: input.lastName?.trim() || 'User',
      roleId: BUILT_IN_ROLE_IDS.admin,
      status: 'active',
      title: 'Administrator',
    },
    userId,
    ctx.now(),
  );
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [BOOTSTRAP_LOCK]);
    const admin = await existingAdmin(tx);
    if (admin !== undefined) {
      throw new BootstrapError(
        undefined,
        `an administrator who can sign in already exists (${admin}): sign in as them to add users`,
      );
    }
    const taken = await tx.query('SELECT 1 FROM users WHERE lower(email) = $1', [email]);
    if (taken.rows.length > 0) throw new BootstrapError('email', `is already the email of another user (${email})`);
    const rolesCreated = await createMissingRoles(tx, userId, ctx);
    await checkAdminRole(tx);
    await write(tx, user, userEntity, ctx);
    await setPasswordHash(tx, userId, passwordHash, ctx.now());
    return { userId, email, rolesCreated };
  });
}
