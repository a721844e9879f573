import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createCustomField,
  keyFromLabel,
  setCustomFieldActive,
  updateCustomField,
} from '../../../../../src-renderer/features/settings/custom-fields.service';
import {
  cellScope,
  createRole,
  deleteRole,
  duplicateRole,
  saveRolePermissions,
  setRoleCell,
  withCell,
} from '../../../../../src-renderer/features/settings/roles.service';
import { getEntity } from '../../../../../src-shared/entities/registry';
import { ValidationError } from '../../../../../src-shared/schema/validation-error';
import { openTestDb, type TestDb } from '../../../../support/local-db';

let t: TestDb;
beforeEach(async () => {
  t = await openTestDb();
});
afterEach(async () => {
  await t.close();
});

async function problemsOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).problems;
}

const REP = { contact: { read: 'own', create: 'own', update: 'own', delete: 'none' } } as const;

describe('roles and permissions', () => {
  it('reads and sets matrix cells, falling back to the * entry', () => {
    const perms = { '*': { read: 'all' as const }, contact: { read: 'own' as const } };
    expect(cellScope(perms, 'contact', 'read')).toBe('own');
    expect(cellScope(perms, 'deal', 'read')).toBe('all');
    expect(cellScope(perms, 'deal', 'delete')).toBe('none');
    const next = withCell(perms, 'deal', 'update', 'team');
    expect(next.deal).toEqual({ read: 'all', create: 'none', update: 'team', delete: 'none' });
    expect(perms).not.toHaveProperty('deal');
  });

  it('creates a role and edits one cell', async () => {
    const role = await createRole(t.repos, { name: ' Field rep ', permissions: REP });
    expect(role).toMatchObject({ name: 'Field rep', isSystem: false });
    const saved = await setRoleCell(t.repos, role.id, 'contact', 'delete', 'own');
    expect((saved.permissions as typeof REP).contact.delete).toBe('own');
  });

  it('refuses an invalid scope, naming the entity and action; nothing is written', async () => {
    const role = await createRole(t.repos, { name: 'Field rep', permissions: REP });
    expect(await problemsOf(setRoleCell(t.repos, role.id, 'contact', 'read', 'everyone'))).toEqual([
      { field: 'permissions.contact.read', problem: 'must be one of none, own, team, all' },
    ]);
    expect(
      await problemsOf(
        saveRolePermissions(t.repos, role.id, { contact: { read: 'everyone' }, contacts: { read: 'all' } }),
      ),
    ).toEqual([
      { field: 'permissions.contact.read', problem: 'must be one of none, own, team, all' },
      { field: 'permissions.contacts', problem: 'is not an entity (did you mean "contact"?)' },
    ]);
    expect(await problemsOf(createRole(t.repos, { name: 'Bad', permissions: { deal: { approve: 'all' } } }))).toEqual([
      { field: 'permissions.deal.approve', problem: 'is not an action (read, create, update, delete)' },
    ]);
    expect((await t.repos.userRole.require(role.id)).permissions).toEqual(REP);
    expect(await t.repos.userRole.count()).toBe(1);
  });

  it('keeps built-in roles read-only, offers a copy instead', async () => {
    const builtIn = await t.repos.userRole.create({ name: 'Sales rep', permissions: REP, isSystem: true });
    expect((await problemsOf(setRoleCell(t.repos, builtIn.id, 'contact', 'read', 'all')))[0]?.field).toBe('isSystem');
    expect((await problemsOf(deleteRole(t.repos, builtIn.id)))[0]?.field).toBe('isSystem');
    const copy = await duplicateRole(t.repos, builtIn.id, 'Sales rep (EMEA)');
    expect(copy).toMatchObject({ isSystem: false, permissions: REP });
  });

  it('refuses a duplicate name and deleting a role someone holds', async () => {
    const role = await createRole(t.repos, { name: 'Field rep', permissions: REP });
    expect(await problemsOf(createRole(t.repos, { name: 'field REP' }))).toEqual([
      { field: 'name', problem: '"field REP" is already the name of another role' },
    ]);
    expect(await problemsOf(createRole(t.repos, { name: '  ' }))).toEqual([{ field: 'name', problem: 'is required' }]);
    await t.repos.user.create({ email: 'a@b.example', firstName: 'A', lastName: 'B', roleId: role.id });
    expect((await problemsOf(deleteRole(t.repos, role.id)))[0]).toMatchObject({ field: 'id' });
  });
});

describe('custom fields', () => {
  const field = { entityKind: 'contact', key: 'shoeSize', label: 'Shoe size', fieldType: 'integer' };

  it('creates a field that contact writes then validate against', async () => {
    const def = await createCustomField(t.repos, field);
    expect(def).toMatchObject({ key: 'shoeSize', active: true, required: false });
    const contact = await t.repos.contact.create({
      firstName: 'Ada',
      lastName: 'Lovelace',
      customFields: { shoeSize: 38 },
    } as never);
    expect(contact.customFields).toEqual({ shoeSize: 38 });
    expect(
      (
        await problemsOf(
          t.repos.contact.create({ firstName: 'B', lastName: 'C', customFields: { shoeSize: 'big' } } as never),
        )
      )[0]?.field,
    ).toBe('customFields.shoeSize');
  });

  it('refuses a key with bad characters by the registry rule, naming the key', async () => {
    expect(await problemsOf(createCustomField(t.repos, { ...field, key: 'Shoe size!' }))).toEqual([
      { field: 'key', problem: 'must start with a lower-case letter and contain only letters, digits and _' },
    ]);
    expect(await problemsOf(createCustomField(t.repos, { ...field, fieldType: 'enum' }))).toEqual([
      { field: 'options', problem: 'an enum field needs at least one option' },
    ]);
    expect(await t.repos.customField.count()).toBe(0);
  });

  it('refuses a key already used for the same entity (even deactivated) or a built-in field', async () => {
    const def = await createCustomField(t.repos, field);
    await setCustomFieldActive(t.repos, def.id, false);
    expect(await problemsOf(createCustomField(t.repos, { ...field, label: 'Other' }))).toEqual([
      { field: 'key', problem: '"shoeSize" is already used by the field “Shoe size” of Contacts' },
    ]);
    expect(await problemsOf(createCustomField(t.repos, { ...field, key: 'email' }))).toEqual([
      { field: 'key', problem: '"email" is a built-in field of Contacts' },
    ]);
    // Another entity may use the same key.
    await createCustomField(t.repos, { ...field, entityKind: 'deal' });
    expect(await t.repos.customField.count()).toBe(2);
  });

  it('edits label and options but never key, entity or type', async () => {
    const def = await createCustomField(t.repos, {
      entityKind: 'deal',
      key: 'tier',
      label: 'Tier',
      fieldType: 'enum',
      options: ['Gold', ' Gold', 'Silver', ''],
    });
    expect(def.options).toEqual(['Gold', 'Silver']);
    const edited = await updateCustomField(t.repos, def.id, {
      label: 'Account tier',
      options: ['Gold', 'Silver', 'Bronze'],
    });
    expect(edited).toMatchObject({ label: 'Account tier', options: ['Gold', 'Silver', 'Bronze'] });
    expect((await problemsOf(updateCustomField(t.repos, def.id, { key: 'level' })))[0]?.field).toBe('key');
    expect((await problemsOf(updateCustomField(t.repos, def.id, { fieldType: 'string' })))[0]?.field).toBe('fieldType');
    expect((await problemsOf(updateCustomField(t.repos, def.id, { options: [] })))[0]?.field).toBe('options');
  });
});

describe('keyFromLabel (the key a new custom field suggests)', () => {
  it('is a valid key: camel case, accents dropped, a leading digit prefixed', () => {
    expect(keyFromLabel('Favourite sport')).toBe('favouriteSport');
    expect(keyFromLabel('Région (EU)')).toBe('regionEu');
    expect(keyFromLabel('2nd phone')).toBe('field2ndPhone');
    expect(keyFromLabel('NPS score')).toBe('npsScore');
    expect(keyFromLabel('  ')).toBe('');
    expect(keyFromLabel('顧客')).toBe('');
    expect(keyFromLabel('x'.repeat(80))).toHaveLength(60);
    const custom = getEntity('customField');
    for (const label of ['Favourite sport', 'Région (EU)', '2nd phone']) {
      const rules = (custom.rules ?? []).flatMap((rule) => rule({ key: keyFromLabel(label), fieldType: 'string' }));
      expect(rules, label).toEqual([]);
    }
  });
});
