import { describe, expect, it } from 'vitest';
import {
  BUILT_IN_ROLE_IDS,
  BUILT_IN_ROLES,
  type BuiltInRole,
  builtInPermissions,
} from '../../../../src-shared/auth/built-in-roles';
import { passwordProblem } from '../../../../src-shared/auth/password-policy';
import {
  type Action,
  can,
  isAdminRole,
  parsePermissions,
  type Scope,
  validatePermissions,
} from '../../../../src-shared/auth/permissions';
import { permissionsFor } from '../../../../src-shared/demo/records-access';
import { getEntity } from '../../../../src-shared/entities/registry';
import { validateRecord } from '../../../../src-shared/schema/validate';

describe('built-in roles', () => {
  it.each(BUILT_IN_ROLES)('%s is a valid userRole.permissions value', (role) => {
    expect(validatePermissions(builtInPermissions(role))).toEqual([]);
    const problems = validateRecord(getEntity('userRole'), {
      id: BUILT_IN_ROLE_IDS[role],
      kind: 'userRole',
      ownerId: 'u1',
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      createdBy: 'u1',
      updatedBy: 'u1',
      isDeleted: false,
      newest: 1,
      name: role,
      permissions: builtInPermissions(role),
      isSystem: true,
    });
    expect(problems).toEqual([]);
  });

  it.each<[BuiltInRole, string, Action, Scope]>([
    ['admin', 'user', 'create', 'all'],
    ['admin', 'auditLog', 'delete', 'all'],
    ['admin', 'someEntityAddedLater', 'update', 'all'],
    ['manager', 'contact', 'update', 'team'],
    ['manager', 'dealProduct', 'delete', 'team'],
    ['manager', 'leadList', 'create', 'team'],
    ['manager', 'product', 'read', 'all'],
    ['manager', 'product', 'update', 'none'],
    ['manager', 'userRole', 'create', 'none'],
    ['manager', 'auditLog', 'read', 'team'],
    ['manager', 'auditLog', 'update', 'none'],
    ['rep', 'deal', 'read', 'own'],
    ['rep', 'task', 'delete', 'own'],
    ['rep', 'user', 'read', 'all'],
    ['rep', 'user', 'update', 'none'],
    ['rep', 'auditLog', 'create', 'own'],
    ['rep', 'someEntityAddedLater', 'read', 'none'],
  ])('%s: %s %s in scope %s', (role, entity, action, scope) => {
    const permissions = parsePermissions(
      builtInPermissions(role),
      new Set([...Object.keys(builtInPermissions('admin')), 'someEntityAddedLater']),
    );
    expect(can(permissions, entity, action)).toBe(scope);
  });

  it('only the admin role is an administrator’s', () => {
    expect(BUILT_IN_ROLES.filter((r) => isAdminRole(parsePermissions(builtInPermissions(r))))).toEqual(['admin']);
  });

  it('accepts the demo data set’s roles', () => {
    for (const role of ['admin', 'manager', 'rep'] as const)
      expect(validatePermissions(permissionsFor(role))).toEqual([]);
    expect(isAdminRole(parsePermissions(permissionsFor('admin')))).toBe(true);
  });
});

describe('passwordProblem', () => {
  it.each<[string, string | undefined]>([
    ['', 'must be at least 12 characters long (this one has 0)'],
    ['elevenchars', 'must be at least 12 characters long (this one has 11)'],
    ['twelve chars', undefined],
    ['🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑', 'must be at least 12 characters long (this one has 11)'], // 22 UTF-16 units, 11 characters
    ['x'.repeat(1025), 'must be at most 1024 characters long'],
    ['Password1234', 'is too common: it is among the first an attacker tries; choose another'],
    ['abcabcabcabc', 'is too common: it is among the first an attacker tries; choose another'],
    ['345678901234', 'is too common: it is among the first an attacker tries; choose another'],
    ['rep password 1234', undefined],
  ])('%j → %s', (password, problem) => {
    expect(passwordProblem(password)).toBe(problem);
  });
});
