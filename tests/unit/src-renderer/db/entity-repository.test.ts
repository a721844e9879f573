import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../src-shared/schema/validation-error';
import { openTestDb, type TestDb } from '../../../support/local-db';

let t: TestDb;
beforeEach(async () => {
  t = await openTestDb();
});
afterEach(async () => {
  await t.close();
});

describe('EntityRepository writes', () => {
  it('creates a record with defaults and system fields stamped', async () => {
    const c = await t.repos.contact.create({ firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' });
    expect(c).toMatchObject({
      kind: 'contact',
      status: 'active',
      ownerId: 'user-rep-1',
      createdBy: 'user-rep-1',
      isDeleted: false,
      createdAt: '2026-11-01T09:00:00.000Z',
    });
    expect(await t.repos.contact.get(c.id)).toMatchObject({ firstName: 'Ada' });
  });

  it('rejects bad input naming each field, and stores nothing', async () => {
    const attempt = t.repos.contact.create({
      firstName: '',
      email: 'not-an-email',
      status: 'dormant' as 'active',
      phone: 'call me',
    });
    await expect(attempt).rejects.toThrow(ValidationError);
    const error = (await attempt.catch((e: unknown) => e)) as ValidationError;
    expect(error.problems.map((p) => p.field).sort()).toEqual(['email', 'firstName', 'phone', 'status']);
    expect(error.message).toContain('email must be a valid email address');
    expect(await t.db.rx.contacts.count().exec()).toBe(0);
    expect(await t.db.rx.audit.count().exec()).toBe(0);
  });

  it('refuses system fields and unknown fields from callers', async () => {
    await expect(
      t.repos.contact.create({ firstName: 'A', updatedBy: 'someone' } as unknown as { firstName: string }),
    ).rejects.toThrow('updatedBy is set by the system');
    await expect(
      t.repos.contact.create({ firstName: 'A', shoeSize: 44 } as unknown as { firstName: string }),
    ).rejects.toThrow('shoeSize is not a field of Contact');
  });

  it('rejects a duplicate id without touching the stored record', async () => {
    await t.repos.contact.create({ id: 'c-1', firstName: 'First' });
    await expect(t.repos.contact.create({ id: 'c-1', firstName: 'Second' })).rejects.toThrow('id "c-1" already exists');
    expect((await t.repos.contact.require('c-1')).firstName).toBe('First');
  });

  it('updates with validation; a bad patch leaves the record as it was', async () => {
    const c = await t.repos.contact.create({ firstName: 'Ada', jobTitle: 'Analyst' });
    t.tick();
    const updated = await t.repos.contact.update(c.id, { jobTitle: 'Engineer', lastName: 'King' });
    expect(updated).toMatchObject({ jobTitle: 'Engineer', lastName: 'King', updatedAt: '2026-11-01T09:00:01.000Z' });
    await expect(t.repos.contact.update(c.id, { email: 'broken' })).rejects.toThrow(
      'email must be a valid email address',
    );
    await expect(t.repos.contact.update(c.id, { firstName: null })).rejects.toThrow('firstName is required');
    expect(await t.repos.contact.require(c.id)).toMatchObject({ jobTitle: 'Engineer', firstName: 'Ada' });
    const cleared = await t.repos.contact.update(c.id, { jobTitle: null });
    expect(cleared.jobTitle).toBeUndefined();
  });

  it('enforces cross-field rules', async () => {
    await expect(
      t.repos.deal.create({ name: 'Big one', stage: 'closedWon', amount: 100, currency: 'EUR', probability: 100 }),
    ).rejects.toThrow('closedAt is required when the deal is closed');
    await expect(
      t.repos.exchangeRate.create({ baseCurrency: 'EUR', quoteCurrency: 'EUR', rate: 1, effectiveDate: '2026-01-01' }),
    ).rejects.toThrow('quoteCurrency must differ from the base currency');
  });

  it('soft-deletes and restores', async () => {
    const c = await t.repos.contact.create({ firstName: 'Gone' });
    await t.repos.contact.softDelete(c.id);
    expect(await t.repos.contact.list()).toHaveLength(0);
    expect(await t.repos.contact.list({ includeDeleted: true })).toHaveLength(1);
    expect((await t.repos.contact.require(c.id)).deletedAt).toBeDefined();
    await t.repos.contact.restore(c.id);
    const back = await t.repos.contact.list();
    expect(back).toHaveLength(1);
    expect(back[0]?.deletedAt).toBeUndefined();
  });

  it('bulk-creates after validating every record; one bad record writes nothing', async () => {
    const good = Array.from({ length: 20 }, (_, i) => ({ firstName: `P${i}` }));
    const bad = [...good, { firstName: 'Bad', email: 'nope' }];
    const attempt = t.repos.contact.bulkCreate(bad);
    await expect(attempt).rejects.toThrow('contact #21: email must be a valid email address');
    expect(await t.db.rx.contacts.count().exec()).toBe(0);
    const result = await t.repos.contact.bulkCreate(good);
    expect(result).toEqual({ written: 20, conflicts: [] });
  });

  it('reports bulk ids that already exist and leaves those records untouched', async () => {
    await t.repos.contact.create({ id: 'c-1', firstName: 'Kept' });
    const result = await t.repos.contact.bulkCreate([
      { id: 'c-1', firstName: 'Overwrite?' },
      { id: 'c-2', firstName: 'New' },
    ]);
    expect(result).toEqual({ written: 1, conflicts: ['c-1'] });
    expect((await t.repos.contact.require('c-1')).firstName).toBe('Kept');
  });
});

describe('custom fields', () => {
  it('validates values against the definitions of the entity', async () => {
    await t.repos.customField.create({
      entityKind: 'contact',
      key: 'tShirt',
      label: 'T-shirt size',
      fieldType: 'enum',
      options: ['S', 'M', 'L'],
    });
    await t.repos.customField.create({ entityKind: 'contact', key: 'nps', label: 'NPS', fieldType: 'integer' });
    await t.repos.customField.create({
      entityKind: 'deal',
      key: 'region',
      label: 'Region',
      fieldType: 'string',
      required: true,
    });
    const c = await t.repos.contact.create({ firstName: 'Ann', customFields: { tShirt: 'M', nps: 9 } });
    expect(c.customFields).toEqual({ tShirt: 'M', nps: 9 });
    await expect(t.repos.contact.create({ firstName: 'Bo', customFields: { tShirt: 'XXL' } })).rejects.toThrow(
      'customFields.tShirt must be one of S, M, L',
    );
    await expect(t.repos.contact.create({ firstName: 'Bo', customFields: { nps: 7.5 } })).rejects.toThrow(
      'customFields.nps must be a whole number',
    );
    await expect(t.repos.contact.create({ firstName: 'Bo', customFields: { shoe: 1 } })).rejects.toThrow(
      'customFields.shoe is not a defined custom field',
    );
    await expect(t.repos.deal.create({ name: 'D' })).rejects.toThrow('customFields.region (Region) is required');
    await expect(
      t.repos.customField.create({ entityKind: 'contact', key: 'Bad Key', label: 'x', fieldType: 'string' }),
    ).rejects.toThrow('key must start with a lower-case letter');
  });
});

describe('lists', () => {
  it('serves newest first from an index, filtered by owner and status, paged', async () => {
    for (let i = 0; i < 30; i++) {
      await t.repos.contact.create({
        firstName: `C${i}`,
        ownerId: i % 2 ? 'user-a' : 'user-b',
        status: i % 3 ? 'active' : 'inactive',
      });
      t.tick();
    }
    const page = await t.repos.contact.list({ where: { ownerId: 'user-a', status: 'active' }, limit: 5 });
    expect(page.map((c) => c.firstName)).toEqual(['C29', 'C25', 'C23', 'C19', 'C17']);
    const next = await t.repos.contact.list({ where: { ownerId: 'user-a', status: 'active' }, limit: 5, skip: 5 });
    expect(next.map((c) => c.firstName)).toEqual(['C13', 'C11', 'C7', 'C5', 'C1']);
    const oldest = await t.repos.contact.list({ order: 'oldest', limit: 2 });
    expect(oldest.map((c) => c.firstName)).toEqual(['C0', 'C1']);
    await expect(t.repos.contact.list({ where: { shoe: 'x' } })).rejects.toThrow('shoe is not a field of Contact');
  });

  it('finds every record of a kind in a collection shared with other kinds', async () => {
    const list = await t.repos.leadList.create({ name: 'Webinar' });
    const leads = [];
    for (let i = 0; i < 3; i++) leads.push(await t.repos.lead.create({ lastName: `L${i}`, source: 'webinar' }));
    for (const lead of leads)
      await t.repos.leadListMember.create({
        leadListId: list.id,
        leadId: lead.id,
        addedAt: '2026-11-01T09:00:00.000Z',
      });
    expect(await t.repos.leadListMember.list()).toHaveLength(3);
    expect(await t.repos.leadListMember.list({ where: { leadListId: list.id } })).toHaveLength(3);
    expect(await t.repos.lead.list({ where: { status: 'new' } })).toHaveLength(3);
    expect(await t.repos.lead.list()).toHaveLength(3);
    expect(await t.repos.lead.count({ includeDeleted: true })).toBe(3);
  });

  it('re-emits an observed list when a record changes', async () => {
    const seen: number[] = [];
    const sub = t.repos.task.observe({ where: { status: 'open' } }).subscribe((tasks) => seen.push(tasks.length));
    const task = await t.repos.task.create({ title: 'Call back' });
    await t.repos.task.create({ title: 'Send quote' });
    await t.repos.task.update(task.id, { status: 'completed', completedAt: '2026-11-01T10:00:00.000Z' });
    await new Promise((r) => setTimeout(r, 50));
    sub.unsubscribe();
    expect(seen.at(-1)).toBe(1);
    expect(seen).toContain(2);
  });
});

describe('EntityRepository list filters', () => {
  it('refuses a filter on a field stored encrypted, each time it is asked, and keeps plain filters', async () => {
    await t.repos.contact.create({ firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' });
    for (let i = 0; i < 2; i++) {
      const error = (await t.repos.contact.list({ where: { email: 'ada@example.com' } }).catch((e: unknown) => e)) as
        | ValidationError
        | undefined;
      expect(error).toBeInstanceOf(ValidationError);
      expect(error?.problems).toEqual([
        { field: 'email', problem: 'is encrypted on this device and cannot be filtered on; use search' },
      ]);
    }
    expect(() => t.repos.contact.observe({ where: { lastName: 'Lovelace' } })).toThrow(ValidationError);
    expect(await t.repos.contact.list({ where: { status: 'active' } })).toHaveLength(1);
    expect(await t.repos.company.list({ where: { name: 'Acme' } })).toEqual([]);
  });
});
