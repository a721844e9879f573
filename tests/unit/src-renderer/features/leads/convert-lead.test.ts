import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { companyDomainOf, convertLead } from '../../../../../src-renderer/features/leads/convert-lead';
import { openTestDb, type TestDb } from '../../../../support/local-db';

let t: TestDb;
beforeEach(async () => {
  t = await openTestDb();
});
afterEach(async () => {
  await t.close();
});

async function counts() {
  const rx = t.db.rx;
  return {
    companies: await rx.companies.count().exec(),
    contacts: await rx.contacts.count().exec(),
    deals: await rx.deals.count().exec(),
    activities: await rx.activities.count().exec(),
  };
}

async function newLead() {
  return t.repos.lead.create({
    firstName: 'Grace',
    lastName: 'Hopper',
    email: 'grace@navy-labs.example',
    companyName: 'Navy Labs',
    jobTitle: 'Rear Admiral',
    source: 'referral',
    estimatedValue: 1_250_000,
    currency: 'EUR',
    ownerId: 'user-rep-2',
  });
}

describe('convertLead', () => {
  it('creates contact, company and deal, wires references and marks the lead converted', async () => {
    const lead = await newLead();
    const result = await convertLead(t.repos, lead.id, { deal: { name: 'Navy Labs compilers' } });
    expect(result.companyCreated).toBe(true);
    expect(result.company).toMatchObject({ name: 'Navy Labs', domain: 'navy-labs.example', ownerId: 'user-rep-2' });
    expect(result.contact).toMatchObject({
      firstName: 'Grace',
      lastName: 'Hopper',
      companyId: result.company?.id,
      convertedFromLeadId: lead.id,
      ownerId: 'user-rep-2',
      lifecycleStage: 'opportunity',
    });
    expect(result.deal).toMatchObject({
      name: 'Navy Labs compilers',
      amount: 1_250_000,
      currency: 'EUR',
      stage: 'qualification',
      probability: 25,
      companyId: result.company?.id,
      contactId: result.contact.id,
      leadId: lead.id,
    });
    expect(result.lead).toMatchObject({
      status: 'converted',
      convertedContactId: result.contact.id,
      convertedCompanyId: result.company?.id,
      convertedDealId: result.deal?.id,
    });
    const history = await t.repos.dealStageHistory.list({ where: { dealId: result.deal?.id ?? '' } });
    expect(history).toHaveLength(1);
    const audited = await t.db.rx.audit
      .find({ selector: { entityId: { $in: [lead.id, result.contact.id, result.deal?.id ?? ''] } } })
      .exec();
    expect(audited.map((a) => a.get('action')).sort()).toEqual(['insert', 'insert', 'insert', 'update']);
  });

  it('matches an existing company by the email domain', async () => {
    const acme = await t.repos.company.create({ name: 'Navy Laboratories Inc.', domain: 'navy-labs.example' });
    const lead = await newLead();
    const result = await convertLead(t.repos, lead.id);
    expect(result.companyCreated).toBe(false);
    expect(result.company?.id).toBe(acme.id);
    expect(result.deal).toBeUndefined();
    expect(await t.db.rx.companies.count().exec()).toBe(1);
  });

  it('refuses to convert a lead twice', async () => {
    const lead = await newLead();
    await convertLead(t.repos, lead.id);
    await expect(convertLead(t.repos, lead.id)).rejects.toThrow('status the lead is already converted');
    expect(await t.db.rx.contacts.count().exec()).toBe(1);
  });

  it('writes nothing when a record would be invalid', async () => {
    const lead = await newLead();
    const before = await counts();
    await expect(convertLead(t.repos, lead.id, { deal: { currency: 'euro' } })).rejects.toThrow(
      'currency must be a 3-letter currency code',
    );
    expect(await counts()).toEqual(before);
    expect((await t.repos.lead.require(lead.id)).status).toBe('new');
  });

  it('removes what it wrote when a later write fails part-way', async () => {
    const lead = await newLead();
    const before = await counts();
    const update = t.repos.lead.update.bind(t.repos.lead);
    t.repos.lead.update = async () => {
      throw new Error('disk full');
    };
    await expect(convertLead(t.repos, lead.id, { deal: {} })).rejects.toThrow('disk full');
    t.repos.lead.update = update;
    expect(await counts()).toEqual(before);
    expect((await t.repos.lead.require(lead.id)).status).toBe('new');
    // The lead converts cleanly afterwards.
    const result = await convertLead(t.repos, lead.id, { deal: {} });
    expect(result.lead.status).toBe('converted');
  });

  it('removes the company and contact when the deal write fails', async () => {
    const lead = await newLead();
    const create = t.repos.deal.create.bind(t.repos.deal);
    t.repos.deal.create = async () => {
      throw new Error('quota exceeded');
    };
    await expect(convertLead(t.repos, lead.id, { deal: {} })).rejects.toThrow('quota exceeded');
    t.repos.deal.create = create;
    expect(await counts()).toEqual({ companies: 0, contacts: 0, deals: 0, activities: 0 });
  });
});

describe('companyDomainOf', () => {
  it.each([
    [{ companyDomain: 'https://www.Acme.com/about' }, 'acme.com'],
    [{ email: 'jo@acme.io' }, 'acme.io'],
    [{ email: 'jo@gmail.com' }, undefined],
    [{}, undefined],
  ])('%j → %s', (lead, domain) => {
    expect(companyDomainOf(lead)).toBe(domain);
  });
});
