import { ENTITIES } from '../entities/registry';
import type { FieldProblem } from '../schema/define-entity';

/**
 * The permission model of a role (DESIGN.md §6): `userRole.permissions` is
 * `{ [entityName]: { read|create|update|delete: 'none'|'own'|'team'|'all' } }`, plus an optional `'*'`
 * entry for every entity not listed. An action an entry leaves out falls back to the `'*'` entry's,
 * then to `'none'`: whatever is not granted is refused.
 */

export const ACTIONS = ['read', 'create', 'update', 'delete'] as const;
export type Action = (typeof ACTIONS)[number];

/** Widening order: each scope covers the ones before it. */
export const SCOPES = ['none', 'own', 'team', 'all'] as const;
export type Scope = (typeof SCOPES)[number];

/** The entry that applies to entities a role does not list. */
export const DEFAULT_ENTRY = '*';

/** One entity's scopes, action by action. */
export type EntityScopes = Readonly<Partial<Record<Action, Scope>>>;

/** A role's permissions, parsed: look them up with `can`, never by indexing the raw JSON. */
export interface RolePermissions {
  readonly entities: ReadonlyMap<string, EntityScopes>;
  readonly fallback: EntityScopes;
}

/** Entities a role can name: those stored as documents (custom field values travel inside their record). */
export const PERMISSION_ENTITIES: ReadonlySet<string> = new Set(
  ENTITIES.filter((e) => e.storage === 'document').map((e) => e.name),
);

/** A role's permissions that cannot be used, named field by field (`permissions.contact.read`). */
export class PermissionsError extends Error {
  override readonly name = 'PermissionsError';
  readonly field: string;
  readonly reason: string;
  constructor(readonly problems: readonly [FieldProblem, ...FieldProblem[]]) {
    super(problems.map((p) => `${p.field} ${p.problem}`).join('; '));
    this.field = problems[0].field;
    this.reason = problems[0].problem;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

const isAction = (key: string): key is Action => (ACTIONS as readonly string[]).includes(key);
const isScope = (value: unknown): value is Scope => (SCOPES as readonly unknown[]).includes(value);

/** "did you mean" for the usual slips: a collection, table or plural name, or another case. */
function suggestion(key: string, known: ReadonlySet<string>): string {
  const lower = key.toLowerCase();
  const entity = ENTITIES.find(
    (e) =>
      known.has(e.name) &&
      [e.name, e.table, e.collection ?? '', e.plural].some((n) => n.toLowerCase().replaceAll(' ', '') === lower),
  );
  return entity ? ` (did you mean "${entity.name}"?)` : '';
}

function entryProblems(field: string, entry: unknown): FieldProblem[] {
  if (!isPlainObject(entry)) {
    return [{ field, problem: `must be an object of { ${ACTIONS.join('|')}: scope }` }];
  }
  const problems: FieldProblem[] = [];
  for (const [action, scope] of Object.entries(entry)) {
    if (!isAction(action)) {
      problems.push({ field: `${field}.${action}`, problem: `is not an action (${ACTIONS.join(', ')})` });
    } else if (!isScope(scope)) {
      problems.push({ field: `${field}.${action}`, problem: `must be one of ${SCOPES.join(', ')}` });
    }
  }
  return problems;
}

/** Every problem of a role's `permissions` value; none means `parsePermissions` accepts it. */
export function validatePermissions(value: unknown, known: ReadonlySet<string> = PERMISSION_ENTITIES): FieldProblem[] {
  if (!isPlainObject(value)) {
    return [{ field: 'permissions', problem: 'must be an object of { entity: { read|create|update|delete: scope } }' }];
  }
  const problems: FieldProblem[] = [];
  for (const [name, entry] of Object.entries(value)) {
    const field = `permissions.${name}`;
    if (name !== DEFAULT_ENTRY && !known.has(name)) {
      problems.push({ field, problem: `is not an entity${suggestion(name, known)}` });
      continue;
    }
    problems.push(...entryProblems(field, entry));
  }
  return problems;
}

function scopesOf(entry: Record<string, unknown>): EntityScopes {
  const scopes: Partial<Record<Action, Scope>> = {};
  for (const action of ACTIONS) {
    const scope = entry[action];
    if (Object.hasOwn(entry, action) && isScope(scope)) scopes[action] = scope;
  }
  return Object.freeze(scopes);
}

/** The role's permissions, checked; throws PermissionsError naming every bad field. */
export function parsePermissions(value: unknown, known: ReadonlySet<string> = PERMISSION_ENTITIES): RolePermissions {
  const [first, ...rest] = validatePermissions(value, known);
  if (first) throw new PermissionsError([first, ...rest]);
  const entities = new Map<string, EntityScopes>();
  let fallback: EntityScopes = {};
  for (const [name, entry] of Object.entries(value as Record<string, Record<string, unknown>>)) {
    if (name === DEFAULT_ENTRY) fallback = scopesOf(entry);
    else entities.set(name, scopesOf(entry));
  }
  return { entities, fallback };
}

/** The scope in which the role may do `action` on records of `entity`. */
export function can(permissions: RolePermissions, entity: string, action: Action): Scope {
  return permissions.entities.get(entity)?.[action] ?? permissions.fallback[action] ?? 'none';
}

/** An administrator's role: every action on every entity in the 'all' scope. */
export function isAdminRole(permissions: RolePermissions, known: ReadonlySet<string> = PERMISSION_ENTITIES): boolean {
  return [...known].every((entity) => ACTIONS.every((action) => can(permissions, entity, action) === 'all'));
}

/** Who is asking, for scope checks: themselves and the users of their teams. */
export interface Actor {
  readonly userId: string;
  /** Users whose records the actor's 'team' scope covers (the actor's own are always covered). */
  readonly teamUserIds: ReadonlySet<string>;
}

/** Whether a record owned by `ownerId` (undefined: unknown) lies within `scope` for `actor`. */
export function inScope(scope: Scope, actor: Actor, ownerId: string | undefined): boolean {
  switch (scope) {
    case 'all':
      return true;
    case 'none':
      return false;
    case 'own':
      return ownerId !== undefined && ownerId !== '' && ownerId === actor.userId;
    case 'team':
      return ownerId !== undefined && ownerId !== '' && (ownerId === actor.userId || actor.teamUserIds.has(ownerId));
  }
}
