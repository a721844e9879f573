import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryJournalStore } from '../../../../../src-renderer/features/import/import-journal';
import { importMavenCrm, type MavenSummary } from '../../../../../src-renderer/features/import/maven-import';
import { parseCsvText } from '../../../../../src-renderer/features/import/read-table';
import { openTestDb, type TestDb } from '../../../../support/local-db';

const DIR = join(import.meta.dirname, '../../../../fixtures/maven-crm');
const read = (name: string) => parseCsvText(readFileSync(join(DIR, name), 'utf8'));
const files = {
  accounts: read('accounts.csv'),
  products: read('products.csv'),
  salesTeams: read('sales_teams.csv'),
  pipeline: read('sales_pipeline.csv'),
};

/** Figures straight from the CSVs (SOURCES.txt lists them too), not from the importer. */
const wonCloseValueSum = files.pipeline.rows.filter((r) => r[4] === 'Won').reduce((sum, r) => sum + Number(r[7]), 0);

// 8,800 deals and their line items through fake-indexeddb with dev-mode validation: minutes on a loaded machine.
describe('the Maven CRM sample imports completely', () => {
  let t: TestDb;
  let summary: MavenSummary;
  beforeAll(async () => {
    t = await openTestDb();
    summary = await importMavenCrm(t.repos, files, memoryJournalStore(), 'maven');
  }, 600_000);
  afterAll(async () => t.close(), 300_000);

  it('reads the files as the sources describe them', () => {
    expect([files.accounts.rows.length, files.products.rows.length, files.salesTeams.rows.length]).toEqual([85, 7, 35]);
    expect(files.pipeline.rows.length).toBe(8800);
    expect(wonCloseValueSum).toBe(10_005_534);
  });

  it('creates users with roles and groups from the sales teams', async () => {
    expect(summary.problems).toEqual([]);
    const users = await t.repos.user.list();
    expect(users.filter((u) => u.roleId === 'role_rep')).toHaveLength(35);
    expect(users.filter((u) => u.roleId === 'role_manager')).toHaveLength(6);
    const groups = await t.repos.userGroup.list();
    expect(groups.map((g) => g.name).sort()).toContain('Dustin Brinkmann\u2019s team');
    expect(groups).toHaveLength(9);
    const dustin = users.find((u) => u.firstName === 'Dustin');
    const team = groups.find((g) => g.managerId === dustin?.id);
    expect(team?.parentGroupId).toBe(groups.find((g) => g.name === 'Central office')?.id);
    const members = await t.repos.userGroupMember.list({ where: { groupId: team?.id ?? '' } });
    expect(members).toHaveLength(6);
    expect(users.find((u) => u.firstName === 'Anna' && u.lastName === 'Snelling')?.managerId).toBe(dustin?.id);
  });

  it('creates the product catalogue and the companies with their parents', async () => {
    const products = await t.repos.product.list();
    expect(products).toHaveLength(7);
    expect(products.find((p) => p.name === 'GTX Pro')?.unitPrice).toBe(482_100);
    const companies = await t.repos.company.list();
    expect(companies).toHaveLength(85);
    const acme = companies.find((c) => c.name === 'Acme Corporation');
    expect(acme).toMatchObject({
      industry: 'technology',
      foundedYear: 1996,
      employeeCount: 2822,
      country: 'United States',
    });
    expect(acme?.annualRevenue).toBe(110_004_000_000);
    expect(companies.filter((c) => c.parentCompanyId === acme?.id)).toHaveLength(4);
    expect(companies.filter((c) => c.parentCompanyId !== undefined)).toHaveLength(15);
    expect(companies.some((c) => c.industry === 'technolgy')).toBe(false);
  });

  it('creates every deal with its stage, amount, owner, company and line item', async () => {
    // Read by stage through the stage index (an unfiltered list of a shared collection is slow in fake-indexeddb).
    const byStage = async (stage: 'closedWon' | 'closedLost' | 'qualification' | 'prospecting') =>
      t.repos.deal.list({ where: { stage } });
    const [won, lost, qualification, prospecting] = await Promise.all([
      byStage('closedWon'),
      byStage('closedLost'),
      byStage('qualification'),
      byStage('prospecting'),
    ]);
    const open = [...qualification, ...prospecting];
    expect(await t.repos.deal.count()).toBe(8800);
    expect([won.length, lost.length, open.length]).toEqual([4238, 2473, 2089]);
    expect([qualification.length, prospecting.length]).toEqual([1589, 500]);
    expect(won.reduce((sum, d) => sum + d.amount, 0)).toBe(wonCloseValueSum * 100);
    expect(open.filter((d) => d.companyId === undefined)).toHaveLength(1425);
    expect([...won, ...lost].every((d) => d.companyId !== undefined && d.closedAt !== undefined)).toBe(true);
    expect(new Set([...won, ...lost, ...open].map((d) => d.ownerId)).size).toBe(30);
    expect(await t.repos.dealProduct.count()).toBe(8800);
    const first = won.find((d) => d.name.endsWith('1C1I7A6R'));
    expect(first).toMatchObject({
      amount: 105_400,
      probability: 100,
      closedAt: '2017-03-01T00:00:00.000Z',
      createdAt: '2016-10-20T00:00:00.000Z',
    });
    // "GTXPro" in the pipeline is the catalogue's "GTX Pro".
    const gtxPro = (await t.repos.product.list()).find((p) => p.name === 'GTX Pro');
    const second = won.find((d) => d.name.endsWith('Z063OYW0'));
    const [line] = await t.repos.dealProduct.list({ where: { dealId: second?.id ?? '' } });
    expect(line).toMatchObject({ productId: gtxPro?.id, unitPrice: 451_400, total: 451_400 });
    // A lost deal's amount is what was at stake: its product's list price.
    const [lostLine] = await t.repos.dealProduct.list({ where: { dealId: lost[0]?.id ?? '' } });
    expect(lost[0]?.amount).toBe(lostLine?.unitPrice);
    expect(lostLine?.description).toMatch(/^List price /);
  }, 600_000);
});
