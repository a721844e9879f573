import { defineEntity } from '../schema/define-entity';
import { f } from '../schema/field';

export const userEntity = defineEntity({
  name: 'user',
  label: 'User',
  plural: 'Users',
  description: 'A person who signs in: rep, manager or admin.',
  table: 'users',
  collection: 'users',
  version: 0,
  owner: 'admin',
  display: ['firstName', 'lastName'],
  fields: {
    email: f.email({ required: true, pii: true, label: 'Email' }),
    firstName: f.string({ required: true, pii: true, maxLength: 100, label: 'First name' }),
    lastName: f.string({ required: true, pii: true, maxLength: 100, label: 'Last name' }),
    roleId: f.ref('userRole', { required: true, label: 'Role' }),
    status: f.enum(['active', 'invited', 'disabled'], { required: true, default: 'active', label: 'Status' }),
    title: f.string({ maxLength: 120, label: 'Job title' }),
    phone: f.phone({ pii: true, label: 'Phone' }),
    managerId: f.ref('user', { label: 'Manager' }),
    territory: f.string({ maxLength: 100, label: 'Territory' }),
    timezone: f.string({ maxLength: 64, label: 'Time zone' }),
    locale: f.string({ maxLength: 16, label: 'Locale' }),
    defaultCurrency: f.currency({ label: 'Default currency' }),
    quota: f.money('defaultCurrency', { min: 0, label: 'Quarterly quota' }),
    lastLoginAt: f.datetime({ label: 'Last login' }),
  },
  indexes: [['email'], ['status', 'isDeleted', 'newest']],
});

export const userRoleEntity = defineEntity({
  name: 'userRole',
  label: 'Role',
  plural: 'Roles',
  description: 'A named set of permissions per entity and action, each with a scope (own/team/all).',
  table: 'user_roles',
  collection: 'settings',
  version: 0,
  owner: 'admin',
  display: ['name'],
  fields: {
    name: f.string({ required: true, maxLength: 80, label: 'Name' }),
    description: f.text({ maxLength: 1000, label: 'Description' }),
    /** `{ [entity]: { read|create|update|delete: 'none'|'own'|'team'|'all' } }` */
    permissions: f.json({ required: true, label: 'Permissions' }),
    isSystem: f.boolean({ required: true, default: false, label: 'Built-in' }),
  },
  indexes: [['isDeleted', 'newest']],
});

export const userGroupEntity = defineEntity({
  name: 'userGroup',
  label: 'Group',
  plural: 'Groups',
  description: 'A team (region, office, squad); managers see their groups\u2019 records.',
  table: 'user_groups',
  collection: 'settings',
  version: 0,
  owner: 'admin',
  display: ['name'],
  fields: {
    name: f.string({ required: true, maxLength: 120, label: 'Name' }),
    description: f.text({ maxLength: 1000, label: 'Description' }),
    managerId: f.ref('user', { label: 'Manager' }),
    parentGroupId: f.ref('userGroup', { label: 'Parent group' }),
    region: f.string({ maxLength: 80, label: 'Region' }),
  },
  indexes: [['isDeleted', 'newest']],
});

export const userGroupMemberEntity = defineEntity({
  name: 'userGroupMember',
  label: 'Group member',
  plural: 'Group members',
  description: 'Membership of a user in a group.',
  table: 'user_group_members',
  collection: 'settings',
  version: 0,
  owner: 'admin',
  display: ['userId'],
  fields: {
    groupId: f.ref('userGroup', { required: true, label: 'Group' }),
    userId: f.ref('user', { required: true, label: 'User' }),
    role: f.enum(['member', 'lead'], { required: true, default: 'member', label: 'Role in group' }),
    joinedAt: f.date({ label: 'Joined' }),
  },
  indexes: [
    ['groupId', 'isDeleted', 'newest'],
    ['userId', 'isDeleted', 'newest'],
  ],
});
