import { describe, expect, it } from 'vitest';
import { builtInPermissions } from '../../../../src-shared/auth/built-in-roles';
import { type Actor, parsePermissions, type RolePermissions } from '../../../../src-shared/auth/permissions';
import {
  type Decision,
  type EntityRules,
  mayAssign,
  mayRead,
  mayWrite,
  type RecordState,
  writeActionOf,
} from '../../../../src-shared/auth/record-access';
import { getEntity } from '../../../../src-shared/entities/registry';

const ROLES: Record<string, RolePermissions> = {
  admin: parsePermissions(builtInPermissions('admin')),
  manager: parsePermissions(builtInPermissions('manager')),
  rep: parsePermissions(builtInPermissions('rep')),
  /** Reads the team's contacts, writes only their own; may update products they own (which must not help). */
  teamReader: parsePermissions({
    contact: { read: 'team', create: 'own', update: 'own', delete: 'none' },
    product: { read: 'all', create: 'own', update: 'own', delete: 'own' },
  }),
};

const ACTORS: Record<string, Actor> = {
  rep: { userId: 'u_rep', teamUserIds: new Set(['u_mate', 'u_boss']) },
  manager: { userId: 'u_boss', teamUserIds: new Set(['u_rep', 'u_mate']) },
  admin: { userId: 'u_admin', teamUserIds: new Set() },
};

const contact = getEntity('contact'); // assigned
const note = getEntity('note'); // creator
const product = getEntity('product'); // admin
const dealProduct = getEntity('dealProduct'); // parent, via dealId
const auditLog = getEntity('auditLog'); // creator, immutable for non-admins

type Outcome = true | string;

function outcome(decision: Decision): Outcome {
  return decision.allowed ? true : `${decision.field ?? '-'}: ${decision.reason}`;
}

describe('mayRead', () => {
  it.each<[string, string, EntityRules, RecordState, RegExp | true]>([
    ['rep', 'rep', contact, { ownerId: 'u_rep' }, true],
    ['rep', 'rep', contact, { ownerId: 'u_mate' }, /ownerId: .*only your own contact records/],
    ['teamReader', 'rep', contact, { ownerId: 'u_mate' }, true],
    ['teamReader', 'rep', contact, { ownerId: 'u_stranger' }, /only your team’s contact records/],
    ['manager', 'manager', contact, { ownerId: 'u_mate' }, true],
    ['manager', 'manager', contact, { ownerId: 'u_stranger' }, /ownerId/],
    ['admin', 'admin', contact, { ownerId: 'u_stranger' }, true],
    // Settings are read by everyone, whoever owns them.
    ['rep', 'rep', product, { ownerId: 'u_admin' }, true],
    // A parent-ruled record is measured on its parent's owner, not its own ownerId:
    [
      'rep',
      'rep',
      dealProduct,
      { ownerId: 'u_rep', parentOwnerId: 'u_stranger' },
      /dealId: the record dealId points to/,
    ],
    ['rep', 'rep', dealProduct, { ownerId: 'u_stranger', parentOwnerId: 'u_rep' }, true],
    ['rep', 'rep', dealProduct, { ownerId: 'u_rep', parentOwnerId: undefined }, /dealId: .*unknown or not visible/],
    ['admin', 'admin', dealProduct, { ownerId: 'u_rep', parentOwnerId: undefined }, true],
    ['teamReader', 'rep', note, { ownerId: 'u_rep' }, /^-: your role may not read note records/],
    ['rep', 'rep', auditLog, { ownerId: 'u_rep' }, true],
    ['rep', 'rep', auditLog, { ownerId: 'u_mate' }, /ownerId/],
    ['manager', 'manager', auditLog, { ownerId: 'u_mate' }, true],
  ])('%s as %s reads %s %o → %s', (role, actor, entity, record, expected) => {
    const result = outcome(mayRead(ROLES[role]!, entity, ACTORS[actor]!, record));
    if (expected === true) expect(result).toBe(true);
    else expect(result).toMatch(expected);
  });
});

describe('mayWrite', () => {
  const live = (ownerId: string, extra: Partial<RecordState> = {}): RecordState => ({
    ownerId,
    isDeleted: false,
    ...extra,
  });
  it.each<[string, string, string, EntityRules, RecordState | undefined, RecordState, RegExp | true]>([
    // Creating an assigned record: the create scope must cover the owner it is given.
    ['creates their own contact', 'rep', 'rep', contact, undefined, live('u_rep'), true],
    ['creates a contact for a teammate', 'rep', 'rep', contact, undefined, live('u_mate'), /ownerId: .*only your own/],
    ['creates a contact for the team', 'manager', 'manager', contact, undefined, live('u_mate'), true],
    ['creates for someone outside the team', 'manager', 'manager', contact, undefined, live('u_x'), /ownerId/],
    // Creator-owned records belong to whoever creates them, even within a team scope.
    [
      'creates a note for a teammate',
      'manager',
      'manager',
      note,
      undefined,
      live('u_rep'),
      /ownerId: must be your own/,
    ],
    ['creates a note for someone else', 'admin', 'admin', note, undefined, live('u_rep'), true],
    // Updates must be in scope before and after.
    ['updates their contact', 'rep', 'rep', contact, live('u_rep'), live('u_rep'), true],
    [
      'updates a teammate’s contact',
      'rep',
      'rep',
      contact,
      live('u_mate'),
      live('u_mate'),
      /ownerId: the record belongs/,
    ],
    // Taking a record over is not a way into scope:
    ['claims a teammate’s contact', 'rep', 'rep', contact, live('u_mate'), live('u_rep'), /ownerId/],
    ['gives their contact away', 'rep', 'rep', contact, live('u_rep'), live('u_mate'), /only to yourself/],
    ['reassigns within the team', 'manager', 'manager', contact, live('u_rep'), live('u_mate'), true],
    ['reassigns out of the team', 'manager', 'manager', contact, live('u_rep'), live('u_x'), /only to your team/],
    ['reassigns a note', 'admin', 'admin', note, live('u_rep'), live('u_admin'), /ownerId: cannot be changed/],
    // Deletes (soft, restore or hard removal) need the delete scope.
    [
      'soft-deletes their contact',
      'teamReader',
      'rep',
      contact,
      live('u_rep'),
      live('u_rep', { isDeleted: true }),
      /^-: your role may not delete contact/,
    ],
    [
      'restores their contact',
      'teamReader',
      'rep',
      contact,
      live('u_rep', { isDeleted: true }),
      live('u_rep'),
      /may not delete/,
    ],
    ['hard-removes their contact', 'rep', 'rep', contact, live('u_rep'), live('u_rep', { removed: true }), true],
    [
      'deletes and reassigns at once',
      'rep',
      'rep',
      contact,
      live('u_rep'),
      live('u_mate', { isDeleted: true }),
      /ownerId/,
    ],
    // Settings: only an 'all' scope writes, even for a record the user owns.
    ['updates a product they own', 'teamReader', 'rep', product, live('u_rep'), live('u_rep'), /organisation settings/],
    ['creates a product', 'rep', 'rep', product, undefined, live('u_rep'), /may not create product records/],
    ['updates a product', 'admin', 'admin', product, live('u_x'), live('u_x'), true],
    // Parent-ruled records follow the parent, before and after.
    [
      'adds a line to their deal',
      'rep',
      'rep',
      dealProduct,
      undefined,
      { ownerId: 'u_rep', parentOwnerId: 'u_rep' },
      true,
    ],
    [
      'adds a line to a stranger’s deal',
      'rep',
      'rep',
      dealProduct,
      undefined,
      { ownerId: 'u_rep', parentOwnerId: 'u_x' },
      /dealId/,
    ],
    [
      'adds a line owned by a teammate',
      'manager',
      'manager',
      dealProduct,
      undefined,
      { ownerId: 'u_rep', parentOwnerId: 'u_rep' },
      /ownerId: must be your own/,
    ],
    [
      'moves a line to a stranger’s deal',
      'rep',
      'rep',
      dealProduct,
      { ownerId: 'u_rep', parentOwnerId: 'u_rep' },
      { ownerId: 'u_rep', parentOwnerId: 'u_x' },
      /dealId/,
    ],
    [
      'moves a stranger’s line into their own deal',
      'rep',
      'rep',
      dealProduct,
      { ownerId: 'u_rep', parentOwnerId: 'u_x' },
      { ownerId: 'u_rep', parentOwnerId: 'u_rep' },
      /dealId: the record dealId points to belongs to another user/,
    ],
    [
      'adds a line to an unknown deal',
      'rep',
      'rep',
      dealProduct,
      undefined,
      { ownerId: 'u_rep', parentOwnerId: undefined },
      /dealId: .*unknown/,
    ],
    [
      'changes a line’s ownerId',
      'rep',
      'rep',
      dealProduct,
      { ownerId: 'u_rep', parentOwnerId: 'u_rep' },
      { ownerId: 'u_mate', parentOwnerId: 'u_rep' },
      /ownerId: cannot be changed/,
    ],
    // The audit trail: entries about one's own writes, never changed.
    ['adds an audit entry', 'rep', 'rep', auditLog, undefined, live('u_rep'), true],
    ['adds an entry as someone else', 'manager', 'manager', auditLog, undefined, live('u_rep'), /ownerId/],
    ['edits an audit entry', 'manager', 'manager', auditLog, live('u_boss'), live('u_boss'), /may not update auditLog/],
  ])('%s (%s as %s)', (_, role, actor, entity, before, after, expected) => {
    const result = outcome(mayWrite(ROLES[role]!, entity, ACTORS[actor]!, before, after));
    if (expected === true) expect(result).toBe(true);
    else expect(result).toMatch(expected);
  });
});

describe('mayAssign', () => {
  it.each<[string, string, EntityRules, string | undefined, string | undefined, Outcome | RegExp]>([
    ['rep', 'rep', contact, 'u_rep', 'u_rep', true], // not a change
    ['rep', 'rep', contact, 'u_rep', 'u_mate', /only to yourself/],
    ['manager', 'manager', contact, 'u_mate', 'u_boss', true],
    ['manager', 'manager', contact, 'u_x', 'u_mate', /reassign only your team’s/],
    ['manager', 'manager', contact, 'u_mate', undefined, /only to your team/],
    ['admin', 'admin', contact, 'u_x', 'u_y', true],
    ['admin', 'admin', product, 'u_x', 'u_y', /cannot be changed/],
    ['teamReader', 'rep', note, 'u_rep', 'u_rep', true],
  ])('%s as %s: %s from %s to %s', (role, actor, entity, from, to, expected) => {
    const result = outcome(mayAssign(ROLES[role]!, entity, ACTORS[actor]!, from, to));
    if (expected instanceof RegExp) expect(result).toMatch(expected);
    else expect(result).toBe(expected);
  });
});

describe('writeActionOf', () => {
  it.each<[RecordState | undefined, RecordState, string]>([
    [undefined, { ownerId: 'u', isDeleted: true }, 'create'],
    [{ ownerId: 'u', isDeleted: false }, { ownerId: 'u', isDeleted: false }, 'update'],
    [{ ownerId: 'u' }, { ownerId: 'u', isDeleted: false }, 'update'], // absent is not deleted
    [{ ownerId: 'u', isDeleted: false }, { ownerId: 'u', isDeleted: true }, 'delete'],
    [{ ownerId: 'u', isDeleted: true }, { ownerId: 'u', isDeleted: false }, 'delete'], // a restore undoes a delete
    [{ ownerId: 'u', isDeleted: true }, { ownerId: 'u', isDeleted: true, removed: true }, 'delete'],
  ])('%o → %o is a %s', (before, after, action) => {
    expect(writeActionOf(before, after)).toBe(action);
  });
});
