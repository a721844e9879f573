import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { createRxDatabase, type RxJsonSchema } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { describe, expect, it } from 'vitest';
import { createLocalDatabase } from '../../../../src-renderer/db/create-database';
import { createRepositories } from '../../../../src-renderer/db/repositories';
import { COLLECTION_VERSIONS } from '../../../../src-shared/entities/collections';
import type { CollectionName } from '../../../../src-shared/schema/define-entity';
import { type StoredDoc, toRxSchema } from '../../../../src-shared/schema/to-rx-schema';
import { TEST_DATABASE_KEY } from '../../../support/local-db';
import { oldStoredDocs } from '../../../support/old-stored-doc';

/** What version 1 added to each collection's stored schema (indexes; leads' scoreRank). */
const ADDED_FIELDS: Partial<Record<CollectionName, string[]>> = {
  contacts: ['companyId', 'lifecycleStage'],
  companies: ['parentCompanyId', 'type'],
  deals: ['companyId', 'contactId'],
  tasks: ['subjectId'],
  leads: ['scoreRank'],
};
const COLLECTIONS = Object.keys(ADDED_FIELDS) as CollectionName[];
/** Indexes later versions added (tasks v2: the owner's), which a version 0 schema lacked too. */
const ADDED_LATER: Partial<Record<CollectionName, string[]>> = { tasks: ['ownerId+isDeleted+newest'] };

/** The version 0 schema: today's less the indexes on version 1's fields or added later, and less scoreRank. */
function schemaV0(collection: CollectionName): RxJsonSchema<StoredDoc> {
  const now = toRxSchema(collection);
  const added = new Set(ADDED_FIELDS[collection]);
  const later = new Set(ADDED_LATER[collection]);
  const indexes = (now.indexes ?? []).filter((i) => {
    const fields = Array.isArray(i) ? i : [i];
    return !fields.some((f) => added.has(f)) && !later.has(fields.join('+'));
  });
  const indexed = new Set(indexes.flat());
  const { scoreRank: _, ...properties } = now.properties as Record<string, unknown>;
  const required = (now.required as string[]).filter(
    (f) => f !== 'scoreRank' && (!added.has(f) || indexed.has(f) || f === 'type'),
  );
  // Version 0 stored every field plain (encryption came with a later version).
  const { encrypted: _encrypted, ...plain } = now;
  return { ...plain, version: 0, indexes, properties, required } as unknown as RxJsonSchema<StoredDoc>;
}

const AT = '2026-10-01T08:00:00.000Z';
const doc = oldStoredDocs(AT);

describe('local collections from version 0 to 1', () => {
  it('keeps every document, stamps scoreRank on leads, and serves the new lookups from the new indexes', async () => {
    const indexedDB = { indexedDB: new IDBFactory(), IDBKeyRange };
    const name = `crm-migrate-${Math.random().toString(36).slice(2)}`;
    const parent = doc('company', { name: 'Parent', type: 'customer', status: 'active' });
    const child = doc('company', { name: 'Child', type: 'prospect', status: 'active', parentCompanyId: parent.id });
    const ada = doc('contact', {
      firstName: 'Ada',
      status: 'active',
      companyId: parent.id,
      lifecycleStage: 'customer',
    });
    const bob = doc('contact', { firstName: 'Bob', status: 'active' });
    const deal = doc('deal', {
      name: 'Big',
      stage: 'prospecting',
      amount: 100,
      currency: 'USD',
      probability: 10,
      companyId: parent.id,
      contactId: ada.id,
    });
    const task = doc('task', {
      title: 'Call',
      type: 'call',
      status: 'open',
      priority: 'normal',
      subjectType: 'deal',
      subjectId: deal.id,
    });
    const hot = doc('lead', { lastName: 'Hot', source: 'other', status: 'new', score: 90 });
    const cold = doc('lead', { lastName: 'Cold', source: 'other', status: 'new', score: 5 });
    const gone = doc('lead', {
      lastName: 'Gone',
      source: 'other',
      status: 'new',
      score: 99,
      isDeleted: true,
      deletedAt: AT,
    });
    const member = doc('leadListMember', { leadListId: 'list-1', leadId: hot.id, addedAt: AT });
    const old: Record<string, StoredDoc[]> = {
      companies: [parent, child],
      contacts: [ada, bob],
      deals: [deal],
      tasks: [task],
      leads: [hot, cold, gone, member],
    };

    const v0 = await createRxDatabase({ name, storage: getRxStorageDexie(indexedDB), multiInstance: false });
    await v0.addCollections(Object.fromEntries(COLLECTIONS.map((c) => [c, { schema: schemaV0(c) }])));
    for (const c of COLLECTIONS) await v0.collections[c]?.bulkInsert(old[c] ?? []);
    await v0.close();

    const db = await createLocalDatabase({
      name,
      key: TEST_DATABASE_KEY,
      actor: () => ({ userId: 'user-rep-1', deviceId: 'device-test' }),
      indexedDB,
      // The audit storage writes into `audit`; `settings` holds custom field definitions.
      collections: [...COLLECTIONS, 'audit', 'settings'],
      devMode: true,
    });
    try {
      const repos = createRepositories(db);
      for (const c of COLLECTIONS) {
        expect(db.rx[c].schema.version, c).toBe(COLLECTION_VERSIONS[c].version);
        expect(await db.rx[c].count().exec(), c).toBe(old[c]?.length);
      }
      expect(await repos.lead.get(hot.id)).toMatchObject({ score: 90, scoreRank: 10 });
      expect(await repos.lead.get(gone.id)).toMatchObject({ scoreRank: 1, isDeleted: true });
      const memberNow = (await db.rx.leads.findOne(member.id).exec())?.toJSON() as Record<string, unknown>;
      expect(memberNow).not.toHaveProperty('scoreRank');
      expect(memberNow).toMatchObject({ leadId: hot.id });

      const inbox = { order: 'score', where: { status: 'new' } } as const;
      expect(repos.lead.plan(inbox)).toMatchObject({ selectorSatisfiedByIndex: true, sortSatisfiedByIndex: true });
      expect((await repos.lead.list(inbox)).map((l) => l.lastName)).toEqual(['Hot', 'Cold']);
      expect((await repos.contact.list({ where: { companyId: parent.id } })).map((c) => c.id)).toEqual([ada.id]);
      expect((await repos.contact.list({ where: { lifecycleStage: 'customer' } })).map((c) => c.id)).toEqual([ada.id]);
      expect((await repos.company.list({ where: { parentCompanyId: parent.id } })).map((c) => c.id)).toEqual([
        child.id,
      ]);
      expect((await repos.company.list({ where: { type: 'customer' } })).map((c) => c.id)).toEqual([parent.id]);
      expect((await repos.deal.list({ where: { contactId: ada.id } })).map((d) => d.id)).toEqual([deal.id]);
      expect((await repos.task.list({ where: { subjectId: deal.id, status: 'open' } })).map((t) => t.id)).toEqual([
        task.id,
      ]);
      // Edits after the migration keep the derived field.
      expect(await repos.lead.update(cold.id, { score: 95 })).toMatchObject({ scoreRank: 5 });
      expect((await repos.lead.list(inbox)).map((l) => l.lastName)).toEqual(['Cold', 'Hot']);
    } finally {
      await db.rx.remove();
    }
  });
});
