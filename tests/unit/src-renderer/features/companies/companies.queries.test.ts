import { firstValueFrom } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ancestorsOf,
  latestResearch,
  observeHierarchy,
  researchProvider,
  researchSources,
} from '../../../../../src-renderer/features/companies/companies.queries';
import { openTestDb, type TestDb } from '../../../../support/local-db';

let t: TestDb;
beforeEach(async () => {
  t = await openTestDb();
});
afterEach(async () => {
  await t.close();
});

describe('company hierarchy', () => {
  it('walks up to the root and lists the direct subsidiaries', async () => {
    const group = await t.repos.company.create({ name: 'Group' });
    const europe = await t.repos.company.create({ name: 'Europe', parentCompanyId: group.id });
    const france = await t.repos.company.create({ name: 'France', parentCompanyId: europe.id });
    const spain = await t.repos.company.create({ name: 'Spain', parentCompanyId: europe.id });
    await t.repos.company.create({ name: 'Paris office', parentCompanyId: france.id });
    const tree = await firstValueFrom(observeHierarchy(t.repos, europe.id));
    expect(tree.ancestors.map((c) => c.name)).toEqual(['Group']);
    expect(tree.children.map((c) => c.name).sort()).toEqual(['France', 'Spain']);
    expect((await ancestorsOf(t.repos, spain)).map((c) => c.name)).toEqual(['Group', 'Europe']);
  });

  it('stops at a loop that two offline edits could make', async () => {
    const a = await t.repos.company.create({ name: 'A' });
    const b = await t.repos.company.create({ name: 'B', parentCompanyId: a.id });
    const looped = await t.repos.company.update(a.id, { parentCompanyId: b.id });
    expect((await ancestorsOf(t.repos, looped)).map((c) => c.name)).toEqual(['B']);
  });

  it('leaves a deleted parent out', async () => {
    const parent = await t.repos.company.create({ name: 'Gone' });
    const child = await t.repos.company.create({ name: 'Child', parentCompanyId: parent.id });
    await t.repos.company.softDelete(parent.id);
    expect(await ancestorsOf(t.repos, child)).toEqual([]);
  });
});

describe('company research', () => {
  it('orders briefs by when they were researched', async () => {
    const company = await t.repos.company.create({ name: 'Acme' });
    const brief = (title: string, researchedAt: string) =>
      t.repos.companyResearch.create({ companyId: company.id, title, summary: 'S', researchedAt });
    await brief('Old', '2026-01-01T00:00:00.000Z');
    t.tick();
    await brief('New', '2026-06-01T00:00:00.000Z');
    t.tick();
    // Synced last, researched in between.
    await brief('Middle', '2026-03-01T00:00:00.000Z');
    const records = await t.repos.companyResearch.list({ where: { companyId: company.id } });
    expect(latestResearch(records).map((r) => r.title)).toEqual(['New', 'Middle', 'Old']);
  });

  it('reads the cited sources and provider from the insights, ignoring what is not a source', () => {
    expect(
      researchSources({
        sources: [
          'https://acme.example/about',
          { url: 'https://news.example/acme', title: 'Acme raises' },
          { url: 'javascript:alert(1)', title: 'Bad link' },
          'Annual report 2025',
          42,
        ],
      }),
    ).toEqual([
      { label: 'https://acme.example/about', url: 'https://acme.example/about' },
      { label: 'Acme raises', url: 'https://news.example/acme' },
      { label: 'Bad link' },
      { label: 'Annual report 2025' },
    ]);
    expect(researchSources({ painPoints: ['x'] })).toEqual([]);
    expect(researchSources(undefined)).toEqual([]);
    expect(researchProvider({ provider: 'anthropic' })).toBe('anthropic');
    expect(researchProvider({})).toBeUndefined();
  });
});
