import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sparseIndexFields } from '../../../../src-renderer/db/sparse-index-guard-storage';
import { openTestDb, type TestDb } from '../../../support/local-db';

let t: TestDb;
beforeEach(async () => {
  t = await openTestDb();
});
afterEach(async () => {
  await t.close();
});

describe('queries that name no index', () => {
  it('knows which index fields some documents lack', () => {
    expect([...sparseIndexFields('contacts')].sort()).toEqual(['companyId', 'lifecycleStage']);
    expect([...sparseIndexFields('deals')].sort()).toEqual(['companyId', 'contactId', 'dealId', 'stage']);
    expect(sparseIndexFields('users').size).toBe(0);
  });

  it('count and find over every document, whatever index RxDB would have picked', async () => {
    const acme = await t.repos.company.create({ name: 'Acme' });
    await t.repos.contact.create({ firstName: 'Ada', companyId: acme.id, lifecycleStage: 'customer' });
    await t.repos.contact.create({ firstName: 'Bob', jobTitle: 'Buyer' });
    const deal = await t.repos.deal.create({ name: 'Big', companyId: acme.id });
    await t.repos.deal.create({ name: 'Small' });
    await t.repos.dealProduct.create({ dealId: deal.id, productId: 'p1', unitPrice: 10, currency: 'USD', total: 10 });

    // RxDB's planner alone picks the last declared index for these: one of an optional field.
    expect(await t.db.rx.contacts.count().exec()).toBe(2);
    expect(await t.db.rx.contacts.find().exec()).toHaveLength(2);
    expect(await t.db.rx.contacts.count({ selector: { isDeleted: false } }).exec()).toBe(2);
    // A field that is not personal data: those are ciphertext below RxDB (field-encryption-storage.ts).
    expect(await t.db.rx.contacts.find({ selector: { jobTitle: 'Buyer' } }).exec()).toHaveLength(1);
    expect(await t.db.rx.deals.count().exec()).toBe(3);
    expect(await t.db.rx.deals.count({ selector: { kind: 'deal' } }).exec()).toBe(2);
    // Pinned to a value, the optional field's index still serves the query.
    const byCompany = t.db.rx.contacts.find({ selector: { companyId: acme.id } });
    expect(await byCompany.exec()).toHaveLength(1);
    expect(await t.db.rx.contacts.count({ selector: { companyId: { $eq: acme.id } } }).exec()).toBe(1);
    expect(await t.db.rx.contacts.count({ selector: { companyId: { $ne: acme.id } } }).exec()).toBe(1);
  });
});
