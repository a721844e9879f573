import { ENTITIES } from '../entities/registry';
import { ACTIONS, type Action, DEFAULT_ENTRY, type Scope } from './permissions';

/**
 * The roles every installation starts with (`npm run crm -- bootstrap-admin` creates the missing
 * ones). Ids are fixed so that creating them is idempotent and every server agrees on them.
 * - admin: every action on every entity, 'all' scope (the `'*'` entry covers entities added later);
 * - manager: the team's CRM records, organisation settings read-only;
 * - rep: their own CRM records, organisation settings read-only.
 * Settings are the entities with the `admin` owner rule; CRM entities are the others. The audit
 * trail is immutable: devices only add entries about their own writes.
 */

export const BUILT_IN_ROLES = ['admin', 'manager', 'rep'] as const;
export type BuiltInRole = (typeof BUILT_IN_ROLES)[number];

export const BUILT_IN_ROLE_IDS: Readonly<Record<BuiltInRole, string>> = {
  admin: 'role_admin',
  manager: 'role_manager',
  rep: 'role_rep',
};

export const BUILT_IN_ROLE_TEXT: Readonly<Record<BuiltInRole, { name: string; description: string }>> = {
  admin: {
    name: 'Administrator',
    description: 'Every record and every setting, including users, roles and the audit log.',
  },
  manager: { name: 'Sales manager', description: 'Reads and changes the records of their teams; reads the settings.' },
  rep: { name: 'Sales rep', description: 'Reads and changes their own records; reads the settings.' },
};

type Scopes = Record<Action, Scope>;

function each(scope: Scope): Scopes {
  return Object.fromEntries(ACTIONS.map((a) => [a, scope])) as Scopes;
}

function scopesOf(role: BuiltInRole, entity: (typeof ENTITIES)[number]): Scopes {
  if (role === 'admin') return each('all');
  const crm: Scope = role === 'manager' ? 'team' : 'own';
  if (entity.name === 'auditLog') return { read: crm, create: 'own', update: 'none', delete: 'none' };
  if (entity.owner === 'admin') return { read: 'all', create: 'none', update: 'none', delete: 'none' };
  return each(crm);
}

/** The `userRole.permissions` value of a built-in role. */
export function builtInPermissions(role: BuiltInRole): Record<string, Scopes> {
  const permissions: Record<string, Scopes> = {};
  if (role === 'admin') permissions[DEFAULT_ENTRY] = each('all');
  for (const entity of ENTITIES) {
    if (entity.storage === 'document') permissions[entity.name] = scopesOf(role, entity);
  }
  return permissions;
}
