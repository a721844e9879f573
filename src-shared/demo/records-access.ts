import { ENTITIES } from '../entities/registry';
import type { JsonValue } from '../schema/field';
import type { DemoContext } from './demo-context';
import { convertFromUsd } from './demo-money';
import type { DemoRecords } from './demo-record';
import { type DemoRole, demoGroups, demoUsers, ROLE_INDEX } from './plan-users';

type Scope = 'none' | 'own' | 'team' | 'all';
type Actions = { read: Scope; create: Scope; update: Scope; delete: Scope };

const HOUR_MS = 3_600_000;

function scopesFor(role: DemoRole, owner: string, entity: string): Actions {
  const all = (read: Scope, write: Scope): Actions => ({ read, create: write, update: write, delete: write });
  if (role === 'admin') return all('all', 'all');
  if (entity === 'auditLog') return all(role === 'manager' ? 'team' : 'own', 'none');
  if (owner === 'admin') return all('all', 'none');
  if (role === 'manager') return all('all', 'team');
  // Reps see their team's records and change their own; lists are shared, so everyone reads them.
  return all(owner === 'creator' && entity === 'leadList' ? 'all' : 'team', 'own');
}

/** `{ [entity]: { read|create|update|delete: scope } }` over every stored entity, as userRole.permissions documents. */
export function permissionsFor(role: DemoRole): JsonValue {
  const permissions: Record<string, JsonValue> = {};
  for (const entity of ENTITIES) {
    if (entity.storage === 'document') permissions[entity.name] = scopesFor(role, entity.owner, entity.name);
  }
  return permissions;
}

const ROLE_TEXT: Record<DemoRole, [string, string]> = {
  admin: ['Administrator', 'Full access, including organisation settings and the audit log.'],
  manager: ['Sales manager', 'Reads everything; changes records of their teams.'],
  rep: ['Sales rep', 'Reads their teams\u2019 records; changes their own.'],
};

export function* roleRecords(ctx: DemoContext): DemoRecords<'userRole'> {
  const adminId = ctx.id('user', 0);
  for (const role of ['admin', 'manager', 'rep'] as const) {
    const index = ROLE_INDEX[role];
    const [name, description] = ROLE_TEXT[role];
    yield {
      id: ctx.id('userRole', index),
      ownerId: adminId,
      createdAt: ctx.clock.iso(ctx.clock.startMs + index * 60_000),
      name,
      description,
      permissions: permissionsFor(role),
      isSystem: true,
    };
  }
}

const TITLE: Record<DemoRole, string> = {
  admin: 'Revenue Operations Admin',
  manager: 'Regional Sales Manager',
  rep: 'Account Executive',
};

export function* userRecords(ctx: DemoContext): DemoRecords<'user'> {
  const groups = demoGroups(ctx);
  const { clock } = ctx;
  const stream = ctx.stream('user');
  for (const user of demoUsers(ctx)) {
    const { rand } = stream.at(user.index);
    // The last rep has been invited but never signed in.
    const invited = user.role === 'rep' && user.index === ctx.counts.user - 1;
    const currency = user.country.currency;
    const quota = user.role === 'manager' ? 60_000_000 : user.role === 'rep' ? 15_000_000 : undefined;
    yield {
      id: user.id,
      ownerId: ctx.id('user', 0),
      createdAt: clock.iso(clock.startMs + user.index * HOUR_MS),
      email: user.email,
      firstName: user.firstName,
      lastName: user.lastName,
      roleId: ctx.id('userRole', ROLE_INDEX[user.role]),
      status: invited ? 'invited' : 'active',
      title: TITLE[user.role],
      phone: user.phone,
      ...(user.managerIndex === undefined ? {} : { managerId: ctx.id('user', user.managerIndex) }),
      ...(user.groupIndex === undefined ? {} : { territory: groups[user.groupIndex]?.region }),
      timezone: user.country.cities[0]?.timezone ?? 'UTC',
      locale: user.country.locale,
      defaultCurrency: currency,
      ...(quota === undefined
        ? {}
        : { quota: currency === 'USD' ? quota : Math.round(convertFromUsd(quota, currency)) }),
      ...(invited ? {} : { lastLoginAt: clock.iso(clock.nowMs - rand.int(1, 72) * HOUR_MS) }),
    };
  }
}

export function* groupRecords(ctx: DemoContext): DemoRecords<'userGroup'> {
  for (const group of demoGroups(ctx)) {
    yield {
      id: ctx.id('userGroup', group.index),
      ownerId: ctx.id('user', 0),
      createdAt: ctx.clock.iso(ctx.clock.startMs + (ctx.counts.user + group.index) * HOUR_MS),
      name: group.name,
      description:
        group.parentIndex === undefined ? `Sales team for ${group.region}.` : `${group.name} within ${group.region}.`,
      ...(group.managerIndex === undefined ? {} : { managerId: ctx.id('user', group.managerIndex) }),
      ...(group.parentIndex === undefined ? {} : { parentGroupId: ctx.id('userGroup', group.parentIndex) }),
      region: group.region,
    };
  }
}

/** Each group's manager as its lead, then the reps working in it. */
export function* groupMemberRecords(ctx: DemoContext): DemoRecords<'userGroupMember'> {
  const users = demoUsers(ctx);
  let index = 0;
  const joinedMs = ctx.clock.startMs + (ctx.counts.user + ctx.counts.userGroup + 1) * HOUR_MS;
  for (const group of demoGroups(ctx)) {
    const members = users.filter(
      (u) => u.index === group.managerIndex || (u.role === 'rep' && u.groupIndex === group.index),
    );
    for (const user of members) {
      yield {
        id: ctx.id('userGroupMember', index++),
        ownerId: ctx.id('user', 0),
        createdAt: ctx.clock.iso(joinedMs + index * 60_000),
        groupId: ctx.id('userGroup', group.index),
        userId: user.id,
        role: user.index === group.managerIndex ? 'lead' : 'member',
        joinedAt: ctx.clock.date(joinedMs),
      };
    }
  }
}
