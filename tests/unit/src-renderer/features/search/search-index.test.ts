import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rxdbSearchSource } from '../../../../../src-renderer/features/search/record-source';
import { toSearchDoc } from '../../../../../src-renderer/features/search/search-documents';
import { LazySearchEngine, LocalSearchEngine } from '../../../../../src-renderer/features/search/search-engine';
import { type SearchGroup, SearchIndex } from '../../../../../src-renderer/features/search/search-index';
import { WorkerSearchEngine } from '../../../../../src-renderer/features/search/search-worker-engine';
import { openTestDb, type TestDb } from '../../../../support/local-db';
import { fakeWorker } from './fake-worker';

let t: TestDb;
let index: SearchIndex;

beforeEach(async () => {
  t = await openTestDb();
});
afterEach(async () => {
  index?.stop();
  await t.close();
});

async function startIndex(): Promise<SearchIndex> {
  index = new SearchIndex(rxdbSearchSource(t.db, t.repos));
  await index.start();
  return index;
}

/** Change events arrive after the write resolves: wait for the index to reflect one. */
async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 5));
  expect(await check()).toBe(true);
}

const found = async (query: string) => (await index.search(query)).length;

const titles = (groups: SearchGroup[]) => groups.flatMap((g) => g.hits.map((h) => `${g.kind}:${h.title}`));

async function seedSample() {
  const acme = await t.repos.company.create({
    name: 'Acme Robotics',
    domain: 'acme-robotics.example',
    industry: 'Robotics',
  });
  const ada = await t.repos.contact.create({
    firstName: 'Ada',
    lastName: 'Lovelace',
    email: 'ada@analytical.example',
    phone: '+44 20 7946 0018',
    companyId: acme.id,
    jobTitle: 'Chief Engineer',
  });
  const lead = await t.repos.lead.create({ firstName: 'Grace', lastName: 'Hopper', companyName: 'Navy Labs' });
  const deal = await t.repos.deal.create({ name: 'Acme renewal 2027', companyId: acme.id, amount: 42_000 });
  const note = await t.repos.note.create({
    subjectType: 'contact',
    subjectId: ada.id,
    title: 'Kick-off call',
    body: 'Discussed the difference engine procurement timeline.',
  });
  return { acme, ada, lead, deal, note };
}

describe('SearchIndex built from the local database', () => {
  it('finds every kind by a prefix of its name and key fields, and reports progress', async () => {
    const { ada, lead, deal, note } = await seedSample();
    await startIndex();
    expect(index.progress).toEqual({ status: 'ready', indexed: 5, total: 5 });
    expect(titles(await index.search('lovel'))).toEqual(['contact:Ada Lovelace']);
    expect((await index.search('ada@analytical'))[0]?.hits[0]?.id).toBe(ada.id);
    expect((await index.search('442079'))[0]?.hits[0]?.id).toBe(ada.id);
    expect((await index.search('+44 20 7946'))[0]?.hits[0]?.id).toBe(ada.id);
    expect((await index.search('hopp'))[0]).toMatchObject({
      kind: 'lead',
      hits: [{ id: lead.id, title: 'Grace Hopper' }],
    });
    expect((await index.search('navy'))[0]?.hits[0]?.id).toBe(lead.id);
    expect((await index.search('renewal'))[0]).toMatchObject({ kind: 'deal', hits: [{ id: deal.id }] });
    expect((await index.search('procurement'))[0]).toMatchObject({
      kind: 'note',
      hits: [{ id: note.id, title: 'Kick-off call' }],
    });
    // The contact is also found by its company's name, which its result shows.
    const acme = await index.search('acme');
    expect(acme.map((g) => g.kind).sort()).toEqual(['company', 'contact', 'deal']);
    expect(acme.find((g) => g.kind === 'contact')?.hits[0]?.detail).toBe(
      'Chief Engineer · Acme Robotics · ada@analytical.example',
    );
    expect(acme.find((g) => g.kind === 'deal')?.hits[0]?.detail).toBe('Acme Robotics · Prospecting · $420');
  });

  it('forgives a typo in a longer word and folds case and accents', async () => {
    await t.repos.contact.create({ firstName: 'Zoë', lastName: 'Müller' });
    await startIndex();
    expect(titles(await index.search('MULLER'))).toEqual(['contact:Zoë Müller']);
    expect(titles(await index.search('zoe mueller'))).toEqual(['contact:Zoë Müller']);
    expect(await index.search('xyzzy')).toEqual([]);
    // Two letters match whole words only (a prefix that short matches a large part of 100k records).
    expect(await index.search('zo')).toEqual([]);
    expect(titles(await index.search('zoe'))).toEqual(['contact:Zoë Müller']);
    expect(await index.search('   ')).toEqual([]);
  });

  it('looks for typos only when the words as typed match nothing', async () => {
    await t.repos.contact.create({ firstName: 'Rita', lastName: 'Smith' });
    await t.repos.contact.create({ firstName: 'Ravi', lastName: 'Smyth' });
    await startIndex();
    expect(titles(await index.search('smith'))).toEqual(['contact:Rita Smith']);
    expect(titles(await index.search('smyth'))).toEqual(['contact:Ravi Smyth']);
    expect(titles(await index.search('smoth')).sort()).toEqual(['contact:Ravi Smyth', 'contact:Rita Smith']);
  });

  it('never holds soft-deleted records', async () => {
    const { ada } = await seedSample();
    await t.repos.contact.softDelete(ada.id);
    await startIndex();
    expect(await index.search('lovelace')).toEqual([]);
    expect(index.size).toBe(4);
  });

  it('follows inserts, updates, soft deletes, restores and removals from the change stream', async () => {
    const { ada, deal } = await seedSample();
    await startIndex();
    const bob = await t.repos.contact.create({ firstName: 'Bob', lastName: 'Babbage' });
    await until(async () => (await found('babbage')) === 1);

    await t.repos.contact.update(ada.id, { lastName: 'King' });
    await until(async () => (await found('lovelace')) === 0);
    expect(titles(await index.search('king'))).toEqual(['contact:Ada King']);

    await t.repos.contact.softDelete(bob.id);
    await until(async () => (await found('babbage')) === 0);
    await t.repos.contact.restore(bob.id);
    await until(async () => (await found('babbage')) === 1);

    await t.repos.deal.discard(deal.id);
    await until(async () => (await found('renewal')) === 0);
    expect(index.progress.status).toBe('ready');
    expect(index.progress.indexed).toBe(index.size);
  });

  it("re-indexes a renamed company's contacts and deals under its new name", async () => {
    const { acme, ada, deal } = await seedSample();
    await startIndex();
    await t.repos.company.update(acme.id, { name: 'Zenith Motors' });
    await until(async () => (await found('zenith')) === 3);
    const groups = await index.search('zenith');
    expect(groups.map((g) => g.hits[0]?.id).sort()).toEqual([acme.id, ada.id, deal.id].sort());
    expect(groups.find((g) => g.kind === 'contact')?.hits[0]?.detail).toContain('Zenith Motors');
    // Only the company's own domain and industry still say "acme" and "robotics".
    expect((await index.search('acme robotics')).map((g) => g.kind)).toEqual(['company']);
  });

  it('loses no write made while it is being built', async () => {
    await seedSample();
    index = new SearchIndex(rxdbSearchSource(t.db, t.repos));
    const building = index.start();
    await t.repos.contact.create({ firstName: 'Charles', lastName: 'Babbage' });
    await building;
    await until(async () => (await found('charles')) === 1);
  });

  it('caps the hits per kind, counts them all, and keeps only the kinds asked for', async () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ firstName: `Sam${i}`, lastName: 'Smithers' }));
    await t.repos.contact.bulkCreate(many);
    await t.repos.lead.create({ firstName: 'Sally', lastName: 'Smithers' });
    await startIndex();
    const groups = await index.search('smithers', { perKind: 3 });
    expect(groups.map((g) => [g.kind, g.hits.length, g.total])).toEqual([
      ['contact', 3, 12],
      ['lead', 1, 1],
    ]);
    expect(groups[0]?.hits.map((h) => h.score)).toEqual(
      [...(groups[0]?.hits.map((h) => h.score) ?? [])].sort((a, b) => b - a),
    );
    expect((await index.search('smithers', { kinds: ['lead'] })).map((g) => g.kind)).toEqual(['lead']);
  });

  it('ranks a name match above a match in the other fields', async () => {
    const harbor = await t.repos.company.create({ name: 'Harbor Freight' });
    await t.repos.contact.create({ firstName: 'Rita', lastName: 'Jordan', companyId: harbor.id });
    await t.repos.contact.create({ firstName: 'Harbor', lastName: 'Smith', email: 'hs@elsewhere.example' });
    await startIndex();
    const contacts = (await index.search('harbor')).find((g) => g.kind === 'contact');
    expect(contacts?.hits.map((h) => h.title)).toEqual(['Harbor Smith', 'Rita Jordan']);
  });

  it('keeps emails and domains whole: found by their start, not by every piece', async () => {
    await t.repos.contact.create({ firstName: 'Rita', lastName: 'Jordan', email: 'rita.j@harbor-freight.example' });
    await t.repos.company.create({ name: 'Acme', domain: 'acme-robotics.example' });
    await startIndex();
    expect(titles(await index.search('rita.j@harb'))).toEqual(['contact:Rita Jordan']);
    expect(titles(await index.search('acme-robotics.ex'))).toEqual(['company:Acme']);
    expect(await index.search('example')).toEqual([]);
    expect(await index.search('freight')).toEqual([]);
  });

  it('scans past batch boundaries, records created in the same millisecond included', async () => {
    // 2,300 share one creation time (one bulk write), then 1,900 more with distinct times: the
    // scan's batches of 2,000 end inside a run of equal times and must neither skip nor repeat.
    const same = Array.from({ length: 2300 }, (_, i) => ({ firstName: `P${i}`, lastName: 'Batch' }));
    await t.repos.contact.bulkCreate(same);
    const spread = Array.from({ length: 1900 }, (_, i) => ({
      firstName: `Q${i}`,
      lastName: 'Batch',
      createdAt: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
    }));
    await t.repos.contact.bulkCreate(spread);
    await startIndex();
    expect(index.size).toBe(4200);
    expect((await index.search('batch', { perKind: 1 }))[0]?.total).toBe(4200);
  });
});

describe('SearchIndex with its index in a worker', () => {
  it("makes its engine (the app's worker) only when the build starts", async () => {
    await seedSample();
    const engine = new LazySearchEngine(() => new LocalSearchEngine());
    index = new SearchIndex(rxdbSearchSource(t.db, t.repos), engine);
    expect(engine.started).toBe(false);
    await index.start();
    expect(engine.started).toBe(true);
    expect(titles(await index.search('lovelace'))).toContain('contact:Ada Lovelace');
  });

  it('builds, searches and follows changes through messages', async () => {
    const { ada } = await seedSample();
    index = new SearchIndex(rxdbSearchSource(t.db, t.repos), new WorkerSearchEngine(fakeWorker()));
    await index.start();
    expect(index.progress).toEqual({ status: 'ready', indexed: 5, total: 5 });
    expect((await index.search('lovelace'))[0]?.hits[0]?.id).toBe(ada.id);
    await t.repos.contact.softDelete(ada.id);
    await until(async () => (await found('lovelace')) === 0);
    await until(async () => index.size === 4);
  });
});

describe('SearchIndex when its worker cannot load', () => {
  it('builds on the page instead and still finds records', async () => {
    await seedSample();
    const broken = {
      onmessage: null,
      onerror: null as ((event: ErrorEvent) => void) | null,
      postMessage() {
        setTimeout(() => broken.onerror?.({ message: 'blocked by CSP' } as ErrorEvent), 1);
      },
      terminate() {},
    };
    index = new SearchIndex(rxdbSearchSource(t.db, t.repos), new WorkerSearchEngine(broken as unknown as Worker));
    await index.start();
    expect(index.progress.status).toBe('ready');
    expect(titles(await index.search('lovelace'))).toEqual(['contact:Ada Lovelace']);
  });
});

describe('toSearchDoc', () => {
  it('leaves out soft-deleted records and kinds search does not cover', () => {
    expect(toSearchDoc({ id: 'c1', kind: 'contact', firstName: 'A', isDeleted: true })).toBeUndefined();
    expect(toSearchDoc({ id: 't1', kind: 'task', title: 'Call' })).toBeUndefined();
    expect(toSearchDoc({ kind: 'contact', firstName: 'No id' })).toBeUndefined();
  });

  it('indexes a note by its title and the start of its body only', () => {
    const doc = toSearchDoc({ id: 'n1', kind: 'note', body: `${'x '.repeat(300)}tail-word` });
    expect(doc?.title).toBe('x '.repeat(40).trim());
    expect(doc?.text).not.toContain('tail-word');
  });
});
