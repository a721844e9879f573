import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsvText } from '../../../../src-renderer/features/import/read-table';
import { getEntity } from '../../../../src-shared/entities/registry';
import { matchColumns } from '../../../../src-shared/import/column-mapping';
import { planImport } from '../../../../src-shared/import/import-plan';
import { userLookup } from '../../../../src-shared/import/owner-lookup';
import type { CustomFieldDef } from '../../../../src-shared/schema/validate';

const fixture = (name: string) =>
  parseCsvText(readFileSync(join(__dirname, '../../../fixtures/crm-exports', name), 'utf8'));

const mapped = (name: string, entity: string, defs: CustomFieldDef[] = []) =>
  Object.fromEntries(matchColumns(fixture(name).headers, getEntity(entity), defs).map((m) => [m.header, m.field]));

const tier: CustomFieldDef = {
  key: 'contractTier',
  label: 'Contract Tier',
  fieldType: 'enum',
  options: ['Gold', 'Silver'],
  required: false,
  active: true,
};

describe('Salesforce and HubSpot export headers', () => {
  it('map Salesforce opportunities, accounts and leads onto deals, companies and leads', () => {
    expect(mapped('salesforce-opportunities.csv', 'deal', [tier])).toEqual({
      'Opportunity ID': undefined,
      'Opportunity Name': 'name',
      'Account Name': 'companyId',
      Stage: 'stage',
      Amount: 'amount',
      'Opportunity Currency': 'currency',
      'Close Date': 'expectedCloseDate',
      'Probability (%)': 'probability',
      'Lead Source': 'source',
      Type: 'type',
      'Opportunity Owner': 'ownerId',
      'Contract Tier': 'customFields.contractTier',
    });
    expect(mapped('salesforce-accounts.csv', 'company')).toMatchObject({
      'Account Name': 'name',
      Website: 'website',
      Type: 'type',
      Employees: 'employeeCount',
      'Annual Revenue': 'annualRevenue',
      'Billing City': 'city',
      'Billing State/Province': 'region',
      'Billing Country': 'country',
      'Account Owner': 'ownerId',
      'Parent Account': 'parentCompanyId',
    });
    expect(mapped('salesforce-leads.csv', 'lead')).toMatchObject({
      Title: 'jobTitle',
      Company: 'companyName',
      'Lead Source': 'source',
      'Lead Status': 'status',
      'No. of Employees': 'employeeCount',
      'Lead Owner': 'ownerId',
    });
  });

  it('map HubSpot contacts, companies and deals', () => {
    expect(mapped('hubspot-contacts.csv', 'contact')).toMatchObject({
      'Record ID': undefined,
      'Phone Number': 'phone',
      'Lifecycle Stage': 'lifecycleStage',
      'Original Source': 'source',
      'Company Name': 'companyId',
      'Country/Region': 'country',
      'Contact owner': 'ownerId',
    });
    expect(mapped('hubspot-companies.csv', 'company')).toMatchObject({
      'Company name': 'name',
      'Company Domain Name': 'domain',
      'Number of Employees': 'employeeCount',
      'Company owner': 'ownerId',
    });
    expect(mapped('hubspot-deals.csv', 'deal')).toMatchObject({
      'Deal Name': 'name',
      'Deal Stage': 'stage',
      'Close Date': 'expectedCloseDate',
      Pipeline: undefined,
      'Deal owner': 'ownerId',
      'Associated Company': 'companyId',
    });
  });

  it('convert their picklist values, owners by email or full name, and custom fields by label', () => {
    const table = fixture('salesforce-opportunities.csv');
    const entity = getEntity('deal');
    const findUser = userLookup([
      { id: 'u_olga', email: 'Olga.Owner@example.com', firstName: 'Olga', lastName: 'Owner' },
      { id: 'u_twin1', email: 'a@example.com', firstName: 'Sam', lastName: 'Same' },
      { id: 'u_twin2', email: 'b@example.com', firstName: 'Sam', lastName: 'Same' },
    ]);
    expect(findUser('sam same')).toBeUndefined();
    const plan = planImport(table, {
      entity,
      mapping: matchColumns(table.headers, entity, [tier]).map((m) => m.field),
      onDuplicate: 'skip',
      existing: new Map(),
      resolveRef: (ref, text) => (ref === 'user' ? findUser(text) : ref === 'company' ? `co:${text}` : undefined),
      customFields: [tier],
    });
    const [first, second, third] = plan.rows;
    expect(first?.values).toMatchObject({
      stage: 'negotiation',
      amount: 12_500_000,
      expectedCloseDate: '2026-03-31',
      source: 'partner',
      type: 'newBusiness',
      ownerId: 'u_olga',
      companyId: 'co:Northwind Traders',
      customFields: { contractTier: 'Gold' },
    });
    // A closed opportunity's close date is when it closed.
    expect(second?.values).toMatchObject({
      stage: 'closedWon',
      currency: 'EUR',
      source: 'website',
      type: 'expansion',
      ownerId: 'u_olga',
      closedAt: '2026-01-15T00:00:00.000Z',
    });
    expect(third?.action).toBe('error');
    expect(third?.problems.map((p) => `${p.column}: ${p.problem}`)).toEqual([
      'Close Date: "13/45/2026" is not a date (use 2026-01-31)',
      'Opportunity Owner: no user "Nobody Known" found',
    ]);
  });
});
