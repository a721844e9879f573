import { describe, expect, it } from 'vitest';
import {
  type Actor,
  can,
  inScope,
  isAdminRole,
  PERMISSION_ENTITIES,
  PermissionsError,
  parsePermissions,
  type Scope,
  validatePermissions,
} from '../../../../src-shared/auth/permissions';

describe('validatePermissions', () => {
  it.each<[string, unknown, string, RegExp]>([
    ['not an object', 'all', 'permissions', /must be an object/],
    ['null', null, 'permissions', /must be an object/],
    ['an array', [{ contact: { read: 'all' } }], 'permissions', /must be an object/],
    [
      'a collection name for an entity',
      { contacts: { read: 'all' } },
      'permissions.contacts',
      /did you mean "contact"/,
    ],
    ['a table name', { user_roles: { read: 'all' } }, 'permissions.user_roles', /did you mean "userRole"/],
    ['another case', { Contact: { read: 'all' } }, 'permissions.Contact', /did you mean "contact"/],
    ['an embedded entity', { customFieldValue: { read: 'all' } }, 'permissions.customFieldValue', /not an entity/],
    [
      '__proto__ as parsed from JSON',
      JSON.parse('{"__proto__": {"read": "all"}}'),
      'permissions.__proto__',
      /not an entity/,
    ],
    ['a scope for a whole entity', { contact: 'all' }, 'permissions.contact', /must be an object/],
    ['an unknown action', { deal: { write: 'own' } }, 'permissions.deal.write', /not an action/],
    ['a scope with capitals', { deal: { read: 'All' } }, 'permissions.deal.read', /one of none, own, team, all/],
    ['a boolean for a scope', { deal: { read: true } }, 'permissions.deal.read', /one of none, own, team, all/],
    ['a bad default entry', { '*': { read: 'everyone' } }, 'permissions.*.read', /one of/],
  ])('refuses %s, naming %s', (_, value, field, problem) => {
    const problems = validatePermissions(value);
    expect(problems.map((p) => p.field)).toEqual([field]);
    expect(problems[0]?.problem).toMatch(problem);
  });

  it('names every bad field at once, and parsePermissions throws them', () => {
    const value = { contact: { read: 'al', create: 'own' }, deals: {}, task: { remove: 'all' } };
    expect(validatePermissions(value).map((p) => p.field)).toEqual([
      'permissions.contact.read',
      'permissions.deals',
      'permissions.task.remove',
    ]);
    let error: unknown;
    try {
      parsePermissions(value);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PermissionsError);
    expect(error).toMatchObject({ field: 'permissions.contact.read', reason: 'must be one of none, own, team, all' });
    expect((error as PermissionsError).problems).toHaveLength(3);
  });

  it('accepts empty roles, partial entries and a default entry', () => {
    expect(validatePermissions({})).toEqual([]);
    expect(validatePermissions({ contact: {} })).toEqual([]);
    expect(validatePermissions({ '*': { read: 'all' }, deal: { update: 'own' } })).toEqual([]);
  });
});

describe('can', () => {
  const role = parsePermissions({
    '*': { read: 'all', update: 'none' },
    contact: { read: 'team', update: 'own' },
    deal: {},
    task: { delete: 'none' },
  });
  it.each<[string, 'read' | 'create' | 'update' | 'delete', Scope]>([
    ['contact', 'read', 'team'], // the entry wins over the default
    ['contact', 'update', 'own'],
    ['contact', 'create', 'none'], // neither the entry nor the default grants it
    ['deal', 'read', 'all'], // an empty entry falls back to the default, action by action
    ['company', 'read', 'all'], // unlisted: the default entry
    ['company', 'delete', 'none'],
    ['task', 'delete', 'none'],
    ['task', 'read', 'all'],
    ['toString', 'read', 'all'], // not Object.prototype.toString: only the default entry
    ['constructor', 'create', 'none'],
  ])('%s %s → %s', (entity, action, scope) => {
    expect(can(role, entity, action)).toBe(scope);
  });

  it('grants nothing when the role lists nothing', () => {
    const empty = parsePermissions({});
    expect(can(empty, 'contact', 'read')).toBe('none');
  });

  it('ignores what the parsed JSON is changed into afterwards', () => {
    const raw = { contact: { read: 'own' } };
    const role = parsePermissions(raw);
    raw.contact.read = 'all';
    expect(can(role, 'contact', 'read')).toBe('own');
  });
});

describe('isAdminRole', () => {
  const everything = Object.fromEntries(
    [...PERMISSION_ENTITIES].map((e) => [e, { read: 'all', create: 'all', update: 'all', delete: 'all' }]),
  );
  it.each<[string, unknown, boolean]>([
    ['every entity listed with all', everything, true],
    ['only a default entry of all', { '*': { read: 'all', create: 'all', update: 'all', delete: 'all' } }, true],
    [
      'all but one action on one entity',
      { ...everything, auditLog: { read: 'all', create: 'all', update: 'all' } },
      false,
    ],
    ['team everywhere', { '*': { read: 'team', create: 'team', update: 'team', delete: 'team' } }, false],
    ['a default of all overridden by one entity', { '*': everything.contact, user: { update: 'own' } }, false],
  ])('%s → %s', (_, value, expected) => {
    expect(isAdminRole(parsePermissions(value))).toBe(expected);
  });
});

describe('inScope', () => {
  const rep: Actor = { userId: 'u_rep', teamUserIds: new Set(['u_mate']) };
  const loner: Actor = { userId: 'u_solo', teamUserIds: new Set() };
  const blank: Actor = { userId: '', teamUserIds: new Set(['']) };
  it.each<[Scope, Actor, string | undefined, boolean]>([
    ['all', rep, 'u_stranger', true],
    ['all', rep, undefined, true],
    ['none', rep, 'u_rep', false], // not even their own
    ['own', rep, 'u_rep', true],
    ['own', rep, 'u_mate', false],
    ['own', rep, 'U_REP', false], // ids are compared exactly
    ['own', rep, 'u_rep ', false],
    ['own', rep, undefined, false],
    ['team', rep, 'u_mate', true],
    ['team', rep, 'u_rep', true], // the team scope covers one's own records
    ['team', loner, 'u_solo', true], // even with no team at all
    ['team', rep, 'u_stranger', false],
    ['team', rep, undefined, false],
    ['own', blank, '', false], // an empty owner is nobody's
    ['team', blank, '', false],
  ])('%s for %o covers owner %s: %s', (scope, actor, ownerId, expected) => {
    expect(inScope(scope, actor, ownerId)).toBe(expected);
  });
});
