import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoredDoc } from '../../../../src-shared/schema/to-rx-schema';
import { openTestDb, type TestDb } from '../../../support/local-db';

let t: TestDb;
beforeEach(async () => {
  t = await openTestDb();
});
afterEach(async () => {
  await t.close();
});

type Entry = Record<string, unknown> & { action: string; changes?: Record<string, [unknown, unknown]> };

async function entries(): Promise<Entry[]> {
  const docs = await t.db.rx.audit.find({ sort: [{ newest: 'desc' }, { id: 'asc' }] }).exec();
  return docs.map((d) => d.toJSON() as unknown as Entry);
}

/** Audit entries about one record, single or inside a batch, oldest first. */
async function trailOf(id: string): Promise<{ action: string; changes: Record<string, [unknown, unknown]> }[]> {
  const out: { action: string; changes: Record<string, [unknown, unknown]> }[] = [];
  for (const e of await entries()) {
    if (e.action === 'batch') {
      for (const r of e.records as { id: string; action: string; changes: Record<string, [unknown, unknown]> }[]) {
        if (r.id === id) out.push({ action: r.action, changes: r.changes });
      }
    } else if (e.entityId === id) {
      out.push({ action: e.action, changes: e.changes ?? {} });
    }
  }
  return out;
}

/** A valid stored contact, for writes that go around the repository. */
function rawContact(id: string, firstName: string): StoredDoc {
  return {
    id,
    kind: 'contact',
    ownerId: 'user-rep-1',
    createdAt: '2026-11-01T09:00:00.000Z',
    updatedAt: '2026-11-01T09:00:00.000Z',
    createdBy: 'user-rep-1',
    updatedBy: 'user-rep-1',
    isDeleted: false,
    newest: 1,
    status: 'active',
    firstName,
  };
}

describe('audit of the repository write paths', () => {
  it('records actor, device, time and field-level before/after for each write', async () => {
    const c = await t.repos.contact.create({ firstName: 'Ada', email: 'ada@example.com' });
    t.tick(5000);
    await t.repos.contact.update(c.id, { email: 'ada@lovelace.dev' });
    await t.repos.contact.softDelete(c.id);
    await t.repos.contact.restore(c.id);

    const all = await entries();
    expect(all).toHaveLength(4);
    expect(all[0]).toMatchObject({
      action: 'insert',
      actorId: 'user-rep-1',
      deviceId: 'device-test',
      at: '2026-11-01T09:00:00.000Z',
      collectionName: 'contacts',
      entityKind: 'contact',
      entityId: c.id,
      source: 'local',
      recordCount: 1,
    });
    expect(all[0]?.changes?.email).toEqual([null, 'ada@example.com']);
    expect(all[1]).toMatchObject({ action: 'update', at: '2026-11-01T09:00:05.000Z' });
    expect(all[1]?.changes).toEqual({ email: ['ada@example.com', 'ada@lovelace.dev'] });
    expect(all[2]?.action).toBe('delete');
    expect(all[2]?.changes?.isDeleted).toEqual([false, true]);
    expect(all[3]?.action).toBe('restore');
  });

  it('audits a bulk write in batch entries holding every record', async () => {
    const inputs = Array.from({ length: 600 }, (_, i) => ({ id: `c-${i}`, firstName: `P${i}` }));
    await t.repos.contact.bulkCreate(inputs);
    const all = await entries();
    expect(all.map((e) => e.recordCount)).toEqual([250, 250, 100]);
    expect(all.every((e) => e.action === 'batch')).toBe(true);
    // A bulk insert names each record; its values are the record's first revision, not copied.
    expect(await trailOf('c-599')).toEqual([{ action: 'insert', changes: {} }]);
    await t.repos.contact.update('c-599', { firstName: 'Renamed' });
    expect((await trailOf('c-599'))[1]?.changes).toEqual({ firstName: ['P599', 'Renamed'] });
  });

  it('writes no audit entry for a rejected write', async () => {
    const c = await t.repos.contact.create({ firstName: 'Ada' });
    await expect(t.repos.contact.update(c.id, { email: 'x' })).rejects.toThrow();
    await expect(t.repos.contact.create({ id: c.id, firstName: 'Dup' })).rejects.toThrow();
    expect(await entries()).toHaveLength(1);
  });
});

describe('audit of writes that go around the repository', () => {
  it('catches every RxDB write API', async () => {
    const contacts = t.db.rx.contacts;
    await contacts.insert(rawContact('a', 'insert'));
    await contacts.bulkInsert([rawContact('b', 'bulk1'), rawContact('c', 'bulk2')]);
    await contacts.upsert(rawContact('d', 'upsert'));
    await contacts.bulkUpsert([rawContact('a', 'upserted')]);
    await contacts.incrementalUpsert(rawContact('b', 'incUpsert'));
    const d = await contacts.findOne('d').exec();
    await d?.incrementalPatch({ jobTitle: 'CEO' });
    await d?.getLatest().patch({ jobTitle: 'CTO' });
    await d?.getLatest().incrementalModify((data) => ({ ...data, city: 'Oslo' }));
    await contacts.bulkRemove(['c']);
    await contacts.find({ selector: { id: 'b' } }).remove();
    await (await contacts.findOne('a').exec())?.remove();

    expect((await trailOf('a')).map((e) => e.action)).toEqual(['insert', 'update', 'purge']);
    // A removal keeps every value it removes.
    expect((await trailOf('a'))[2]?.changes).toMatchObject({ firstName: ['upserted', null], status: ['active', null] });
    expect((await trailOf('a'))[1]?.changes).toEqual({ firstName: ['insert', 'upserted'] });
    expect((await trailOf('b')).map((e) => e.action)).toEqual(['insert', 'update', 'purge']);
    expect((await trailOf('c')).map((e) => e.action)).toEqual(['insert', 'purge']);
    expect((await trailOf('d')).map((e) => e.action)).toEqual(['insert', 'update', 'update', 'update']);
    expect((await trailOf('d'))[2]?.changes).toEqual({ jobTitle: ['CEO', 'CTO'] });
  });

  it('audits writes to every collection', async () => {
    const user = await t.repos.user.create({ email: 'a@b.co', firstName: 'A', lastName: 'B', roleId: 'r1' });
    const company = await t.repos.company.create({ name: 'Acme' });
    await t.repos.companyResearch.create({
      companyId: company.id,
      title: 'T',
      summary: 'S',
      researchedAt: '2026-11-01T09:00:00.000Z',
    });
    await t.repos.lead.create({ lastName: 'L' });
    await t.repos.deal.create({ name: 'D' });
    await t.repos.note.create({ subjectType: 'company', subjectId: company.id, body: 'hi' });
    await t.repos.task.create({ title: 'T' });
    await t.repos.content.create({ title: 'C', type: 'ebook' });
    await t.repos.currency.create({ code: 'EUR', name: 'Euro' });
    await t.repos.contact.create({ firstName: 'C' });
    const collections = new Set((await entries()).map((e) => e.collectionName));
    expect([...collections].sort()).toEqual(
      [
        'activities',
        'companies',
        'contacts',
        'content',
        'deals',
        'leads',
        'research',
        'settings',
        'tasks',
        'users',
      ].sort(),
    );
    expect(user.id).toBeTruthy();
  });
});
