import {
  ACTIONS,
  type Action,
  DEFAULT_ENTRY,
  PERMISSION_ENTITIES,
  SCOPES,
  type Scope,
  validatePermissions,
} from '../../../src-shared/auth/permissions';
import { ValidationError } from '../../../src-shared/schema/validation-error';
import type { Repositories } from '../../db/repositories';
import { refuse, text } from './settings-errors';

/** A role's permissions as stored: `{ [entity | '*']: { [action]: scope } }`. */
export type RawPermissions = Record<string, Partial<Record<Action, Scope>>>;

/** Entities a role can name, in the registry's order (the matrix rows). */
export const MATRIX_ENTITIES: readonly string[] = [...PERMISSION_ENTITIES];

/** The scope a cell shows: the entity's own entry, else the `'*'` entry, else none (as `can` reads it). */
export function cellScope(permissions: RawPermissions, entity: string, action: Action): Scope {
  return permissions[entity]?.[action] ?? permissions[DEFAULT_ENTRY]?.[action] ?? 'none';
}

/** The permissions with one cell set; every other cell keeps the scope it showed. */
export function withCell(permissions: RawPermissions, entity: string, action: Action, scope: Scope): RawPermissions {
  const entry = Object.fromEntries(ACTIONS.map((a) => [a, cellScope(permissions, entity, a)]));
  return { ...permissions, [entity]: { ...entry, [action]: scope } };
}

/** Throws a ValidationError naming `permissions.<entity>.<action>` for each bad cell. */
export function assertPermissions(value: unknown): asserts value is RawPermissions {
  const problems = validatePermissions(value);
  if (problems.length > 0) throw new ValidationError('userRole', problems);
}

async function assertNameFree(repos: Repositories, name: string, exceptId?: string): Promise<void> {
  const roles = await repos.userRole.list();
  const taken = roles.find((r) => r.id !== exceptId && r.name.toLowerCase() === name.toLowerCase());
  if (taken) refuse('userRole', 'name', `"${name}" is already the name of another role`);
}

async function editableRole(repos: Repositories, id: string) {
  const role = await repos.userRole.require(id);
  if (role.isSystem) {
    refuse('userRole', 'isSystem', 'a built-in role cannot be changed; duplicate it and edit the copy');
  }
  return role;
}

/** Saves a role's whole permission matrix after checking every cell; a built-in role is refused. */
export async function saveRolePermissions(repos: Repositories, id: string, permissions: unknown) {
  await editableRole(repos, id);
  assertPermissions(permissions);
  return repos.userRole.update(id, { permissions });
}

/** Sets one cell of a role's matrix. */
export async function setRoleCell(repos: Repositories, id: string, entity: string, action: Action, scope: string) {
  const role = await editableRole(repos, id);
  if (!(SCOPES as readonly string[]).includes(scope)) {
    refuse('userRole', `permissions.${entity}.${action}`, `must be one of ${SCOPES.join(', ')}`);
  }
  const next = withCell(role.permissions as RawPermissions, entity, action, scope as Scope);
  assertPermissions(next);
  return repos.userRole.update(id, { permissions: next });
}

export interface RoleInput {
  name?: unknown;
  description?: unknown;
  permissions?: unknown;
}

/** A new custom role (never built-in); its permissions are checked cell by cell. */
export async function createRole(repos: Repositories, input: RoleInput) {
  const name = text(input.name);
  if (!name) refuse('userRole', 'name', 'is required');
  const permissions = input.permissions ?? {};
  assertPermissions(permissions);
  await assertNameFree(repos, name);
  const description = text(input.description);
  return repos.userRole.create({ name, permissions, isSystem: false, ...(description ? { description } : {}) });
}

/** Renames or re-describes a custom role. */
export async function updateRole(repos: Repositories, id: string, input: RoleInput) {
  await editableRole(repos, id);
  const name = text(input.name);
  if (!name) refuse('userRole', 'name', 'is required');
  await assertNameFree(repos, name, id);
  return repos.userRole.update(id, { name, description: text(input.description) ?? null });
}

/** A custom copy of any role (built-in ones included), to edit. */
export async function duplicateRole(repos: Repositories, sourceId: string, name: string) {
  const source = await repos.userRole.require(sourceId);
  return createRole(repos, {
    name,
    description: source.description ?? `Based on ${source.name}.`,
    permissions: source.permissions,
  });
}

/** Deletes a custom role no user holds (soft delete; Undo restores it). */
export async function deleteRole(repos: Repositories, id: string) {
  await editableRole(repos, id);
  const users = await repos.user.list();
  const holders = users.filter((u) => u.roleId === id).length;
  if (holders > 0)
    refuse('userRole', 'id', `is held by ${holders} user${holders === 1 ? '' : 's'}; give them another role first`);
  return repos.userRole.softDelete(id);
}
