import type { EntityDef } from '../schema/define-entity';
import { type Action, type Actor, can, inScope, type RolePermissions, type Scope } from './permissions';

/**
 * Whether a user may read or write one record, from their role, their team and the entity's owner
 * rule (`define-entity.ts`):
 * - `assigned`: the scope is measured on `ownerId`; changing it is an assignment, allowed when the
 *   update scope covers both the current and the new owner;
 * - `creator`: measured on `ownerId`, which is whoever created the record and never changes;
 * - `admin`: organisation settings: only an 'all' scope writes them (reads follow the read scope);
 * - `parent`: measured on the owner of the record `parentField` points to; the record's own
 *   `ownerId` grants nothing and never changes.
 * On create, a record that is not `assigned` must be owned by its creator unless the scope is 'all'.
 * Pure: the caller looks up the parent's owner and the actor's team.
 */

export type EntityRules = Pick<EntityDef, 'name' | 'owner' | 'parentField'>;

/** What a record's scope depends on. */
export interface RecordOwnership {
  readonly ownerId: string | undefined;
  /** For `parent` entities: the owner of the parent record; undefined when it is unknown or missing. */
  readonly parentOwnerId?: string | undefined;
}

/** A state of a record being written. */
export interface RecordState extends RecordOwnership {
  readonly isDeleted?: boolean;
  /** A hard removal (RxDB's `_deleted`). */
  readonly removed?: boolean;
}

/** Allowed, or refused with a reason the user can read and the field at fault (none when the role lacks the action). */
export type Decision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly field?: string; readonly reason: string };

const ALLOWED: Decision = Object.freeze({ allowed: true });

function refuse(field: string | undefined, reason: string): Decision {
  return field === undefined ? { allowed: false, reason } : { allowed: false, field, reason };
}

/** Whose records a limited scope covers, for messages. */
function whose(scope: Scope): string {
  return scope === 'own' ? 'your own' : scope === 'team' ? 'your team\u2019s' : 'no';
}

/** The user whose ownership decides the record's scope. */
export function effectiveOwner(entity: EntityRules, record: RecordOwnership): string | undefined {
  return entity.owner === 'parent' ? record.parentOwnerId : record.ownerId;
}

/** The field a scope refusal is about: `ownerId`, or the reference to the parent. */
function scopeField(entity: EntityRules): string {
  return entity.owner === 'parent' ? (entity.parentField ?? 'ownerId') : 'ownerId';
}

/** The action's scope, or the refusal when the role grants none (or, for settings, less than 'all'). */
function scopeFor(permissions: RolePermissions, entity: EntityRules, action: Action): Scope | Decision {
  const scope = can(permissions, entity.name, action);
  if (scope === 'none') return refuse(undefined, `your role may not ${action} ${entity.name} records`);
  if (action !== 'read' && entity.owner === 'admin' && scope !== 'all') {
    return refuse(
      undefined,
      `${entity.name} records are organisation settings: only an administrator may ${action} them`,
    );
  }
  return scope;
}

function covers(entity: EntityRules, scope: Scope, actor: Actor, record: RecordOwnership, action: Action): Decision {
  const owner = effectiveOwner(entity, record);
  if (inScope(scope, actor, owner)) return ALLOWED;
  const field = scopeField(entity);
  if (entity.owner === 'parent' && owner === undefined) {
    return refuse(field, `the record ${field} points to is unknown or not visible to you`);
  }
  const subject = entity.owner === 'parent' ? `the record ${field} points to belongs` : 'the record belongs';
  return refuse(
    field,
    `${subject} to another user; your role may ${action} only ${whose(scope)} ${entity.name} records`,
  );
}

export function mayRead(
  permissions: RolePermissions,
  entity: EntityRules,
  actor: Actor,
  record: RecordOwnership,
): Decision {
  const scope = scopeFor(permissions, entity, 'read');
  return typeof scope === 'string' ? covers(entity, scope, actor, record, 'read') : scope;
}

/**
 * Whether the actor may move a record of `entity` from one owner to another: only `assigned`
 * entities are reassigned, and the update scope must cover both owners (a rep with 'own' can
 * neither give a record away nor take one; a manager with 'team' moves records within the team).
 */
export function mayAssign(
  permissions: RolePermissions,
  entity: EntityRules,
  actor: Actor,
  fromOwnerId: string | undefined,
  toOwnerId: string | undefined,
): Decision {
  if (fromOwnerId === toOwnerId) return ALLOWED;
  if (entity.owner !== 'assigned') {
    return refuse('ownerId', `cannot be changed: ${entity.name} records keep the owner they were created with`);
  }
  const scope = scopeFor(permissions, entity, 'update');
  if (typeof scope !== 'string') return scope;
  if (!inScope(scope, actor, fromOwnerId)) {
    return refuse('ownerId', `the record belongs to another user; your role may reassign only ${whose(scope)} records`);
  }
  if (!inScope(scope, actor, toOwnerId)) {
    return refuse(
      'ownerId',
      `your role may assign ${entity.name} records only to ${scope === 'own' ? 'yourself' : 'your team'}`,
    );
  }
  return ALLOWED;
}

/** The action a write amounts to: a soft delete or restore, or a hard removal, is a delete. */
export function writeActionOf(before: RecordState | undefined, after: RecordState): Exclude<Action, 'read'> {
  if (before === undefined) return 'create';
  if (after.removed === true || (before.isDeleted ?? false) !== (after.isDeleted ?? false)) return 'delete';
  return 'update';
}

function mayCreate(scope: Scope, entity: EntityRules, actor: Actor, after: RecordState): Decision {
  const decision = covers(entity, scope, actor, after, 'create');
  if (!decision.allowed) return decision;
  if (entity.owner !== 'assigned' && scope !== 'all' && after.ownerId !== actor.userId) {
    return refuse('ownerId', `must be your own user id: a new ${entity.name} record belongs to whoever creates it`);
  }
  return ALLOWED;
}

/**
 * Whether the actor may write `after` over `before` (undefined: a new record). An update must be in
 * scope before and after (so a record cannot be moved out of reach, nor a child under another
 * parent), and a changed owner must be an assignment the actor may make.
 */
export function mayWrite(
  permissions: RolePermissions,
  entity: EntityRules,
  actor: Actor,
  before: RecordState | undefined,
  after: RecordState,
): Decision {
  const action = writeActionOf(before, after);
  const scope = scopeFor(permissions, entity, action);
  if (typeof scope !== 'string') return scope;
  if (before === undefined) return mayCreate(scope, entity, actor, after);
  const was = covers(entity, scope, actor, before, action);
  if (!was.allowed) return was;
  if (before.ownerId !== after.ownerId) {
    const assign = mayAssign(permissions, entity, actor, before.ownerId, after.ownerId);
    if (!assign.allowed) return assign;
  }
  return covers(entity, scope, actor, after, action);
}
