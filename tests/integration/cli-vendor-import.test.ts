import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importToServer, type ServerImportOptions } from '../../scripts/cli/server-import';
import { parseCsvText } from '../../src-renderer/features/import/read-table';
import type { Database } from '../../sync-server/src/db/database';
import { createTestDatabase, type TestDatabase } from '../support/postgres';
import { preparedServer, seed } from './cli-support';

/**
 * Salesforce and HubSpot style exports (tests/fixtures/crm-exports, written by hand in their header
 * styles) imported into a real Postgres through the CLI's import: owners by email or full name,
 * a custom field by its label, companies resolved by name or domain, picklist values translated.
 */

let test: TestDatabase;
let db: Database;
const OLGA = 'u_olga';

const fixture = (name: string) => parseCsvText(readFileSync(join(__dirname, '../fixtures/crm-exports', name), 'utf8'));

const importFile = (entity: ServerImportOptions['entity'], name: string) =>
  importToServer(db, {
    entity,
    table: fixture(name),
    fileName: name,
    onDuplicate: 'skip',
    dryRun: false,
    ignoreUnknownColumns: true,
  });

beforeAll(async () => {
  test = await createTestDatabase('crm_cli_vendor');
  const server = await preparedServer(test.url);
  db = server.db;
  await seed(db, server.adminId, 'user', [
    {
      id: OLGA,
      email: 'olga.owner@example.com',
      firstName: 'Olga',
      lastName: 'Owner',
      roleId: 'role_rep',
      status: 'active',
    },
  ]);
  await seed(db, server.adminId, 'customField', [
    {
      id: 'cf_tier',
      entityKind: 'deal',
      key: 'contractTier',
      label: 'Contract Tier',
      fieldType: 'enum',
      options: ['Gold', 'Silver'],
      required: false,
      active: true,
    },
  ]);
}, 60_000);

afterAll(async () => {
  await db?.close();
  await test?.drop();
});

describe('importing other CRMs’ exports', () => {
  it('imports Salesforce accounts with their hierarchy and opportunities with owners and a custom field', async () => {
    const accounts = await importFile('company', 'salesforce-accounts.csv');
    expect(accounts.problems).toEqual([]);
    expect(accounts.unmapped).toEqual(['Account ID']);
    const companies = await db.query<{
      id: string;
      name: string;
      type: string;
      owner_id: string;
      parent_company_id: string | null;
      city: string;
    }>('SELECT id, name, type, owner_id, parent_company_id, city FROM companies ORDER BY name');
    const [traders, europe] = [companies.rows[1], companies.rows[0]];
    expect(companies.rows.map((c) => [c.name, c.type, c.owner_id, c.city])).toEqual([
      ['Northwind Europe', 'customer', OLGA, 'Berlin'],
      ['Northwind Traders', 'customer', OLGA, 'Seattle'],
    ]);
    expect(europe?.parent_company_id).toBe(traders?.id);

    const opportunities = await importFile('deal', 'salesforce-opportunities.csv');
    expect([opportunities.created, opportunities.failed]).toEqual([2, 1]);
    expect(opportunities.problems.map((p) => `row ${p.row}, ${p.column}: ${p.problem}`)).toEqual([
      'row 4, Close Date: "13/45/2026" is not a date (use 2026-01-31)',
      'row 4, Opportunity Owner: no user "Nobody Known" found',
    ]);
    const deals = await db.query<{
      name: string;
      stage: string;
      amount: string;
      currency: string;
      owner_id: string;
      company_id: string;
      custom_fields: unknown;
      closed_at: Date | null;
    }>(
      'SELECT name, stage, amount::text, currency, owner_id, company_id, custom_fields, closed_at FROM deals ORDER BY name',
    );
    expect(
      deals.rows.map((d) => [d.name, d.stage, d.amount, d.currency, d.owner_id, d.company_id, d.custom_fields]),
    ).toEqual([
      ['Northwind - 500 seats', 'negotiation', '12500000', 'USD', OLGA, traders?.id, { contractTier: 'Gold' }],
      ['Northwind EU renewal', 'closedWon', '4000000', 'EUR', OLGA, europe?.id, { contractTier: 'Silver' }],
    ]);
    expect(deals.rows[1]?.closed_at?.toISOString()).toBe('2026-01-15T00:00:00.000Z');
  });

  it('imports HubSpot companies, contacts and deals, companies found by name or domain', async () => {
    expect((await importFile('company', 'hubspot-companies.csv')).problems).toEqual([]);
    const contacts = await importFile('contact', 'hubspot-contacts.csv');
    expect(contacts.problems).toEqual([]);
    expect(contacts.created).toBe(2);
    const deals = await importFile('deal', 'hubspot-deals.csv');
    expect(deals.problems).toEqual([]);
    const rows = await db.query<{
      email: string;
      lifecycle_stage: string;
      source: string;
      owner_id: string;
      company: string;
      country: string;
    }>(
      `SELECT c.email, c.lifecycle_stage, c.source, c.owner_id, co.name AS company, c.country
         FROM contacts c JOIN companies co ON co.id = c.company_id ORDER BY c.email`,
    );
    expect(rows.rows).toEqual([
      {
        email: 'ana.silva@fabrikam.example',
        lifecycle_stage: 'salesQualified',
        source: 'paidAds',
        owner_id: OLGA,
        company: 'Fabrikam',
        country: 'Portugal',
      },
      {
        email: 'ivan.petrov@fabrikam.example',
        lifecycle_stage: 'marketingQualified',
        source: 'website',
        owner_id: OLGA,
        company: 'Fabrikam',
        country: 'Russia',
      },
    ]);
    const hubDeals = await db.query<{ name: string; stage: string; company: string }>(
      `SELECT d.name, d.stage, co.name AS company FROM deals d JOIN companies co ON co.id = d.company_id
        WHERE co.name = 'Fabrikam' ORDER BY d.name`,
    );
    expect(hubDeals.rows).toEqual([
      { name: 'Fabrikam expansion', stage: 'negotiation', company: 'Fabrikam' },
      { name: 'Fabrikam first order', stage: 'closedWon', company: 'Fabrikam' },
    ]);
  });
});
