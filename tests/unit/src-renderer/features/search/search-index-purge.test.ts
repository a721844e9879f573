import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { vaultKey } from '../../../../../src-renderer/features/search/index-vault';
import { rxdbSearchSource } from '../../../../../src-renderer/features/search/record-source';
import type { SearchKind } from '../../../../../src-renderer/features/search/search-documents';
import { LocalSearchEngine } from '../../../../../src-renderer/features/search/search-engine';
import {
  type SearchIndex as Index,
  SearchIndex,
  type SearchSource,
} from '../../../../../src-renderer/features/search/search-index';
import { openTestDb, TEST_DATABASE_KEY, type TestDb } from '../../../../support/local-db';

/**
 * Records purged (removed for good: a retention run's or an erasure's tombstone, a discarded
 * record) must leave the search index and the copy of it kept between sessions, whatever else the
 * index is doing at the time; and a removal of something it never held changes nothing.
 */

let factory: IDBFactory;
let name: string;
let session = 0;
const open: TestDb[] = [];
const indexes: Index[] = [];

beforeEach(() => {
  factory = new IDBFactory();
  name = `crm-purge-${Math.random().toString(36).slice(2)}`;
});
afterEach(async () => {
  for (const index of indexes.splice(0)) index.stop();
  await open.splice(0).at(-1)?.close();
});

/** A session of the app on the same device: the same database, a new page (ids that do not repeat). */
async function openSession(): Promise<TestDb> {
  const previous = open.at(-1);
  if (previous) await previous.db.rx.close();
  const s = ++session;
  let seq = 0;
  const t = await openTestDb({
    name,
    indexedDB: { indexedDB: factory, IDBKeyRange },
    newId: () => `p${s}-${String(++seq).padStart(6, '0')}`,
  });
  open.push(t);
  return t;
}

async function startIndex(t: TestDb, source: SearchSource = rxdbSearchSource(t.db, t.repos)): Promise<Index> {
  const index = new SearchIndex(source, new LocalSearchEngine(factory), {
    vault: async () => ({ database: name, key: await vaultKey(TEST_DATABASE_KEY) }),
    marginMs: 0,
    saveDelayMs: 60_000,
  });
  indexes.push(index);
  await index.start();
  await index.lastSave;
  return index;
}

/** Saves the index and starts the next session's from the copy. */
async function nextSession(index: Index): Promise<{ t: TestDb; index: Index }> {
  await index.save();
  index.stop();
  const t = await openSession();
  const next = await startIndex(t);
  expect(next.report?.from).toBe('saved');
  return { t, index: next };
}

const pause = (ms = 5) => new Promise((resolve) => setTimeout(resolve, ms));
const ids = async (index: Index, query: string) =>
  (await index.search(query)).flatMap((g) => g.hits.map((h) => `${g.kind}:${h.title}`)).sort();

/** The source, with the re-read of a renamed company's people held after reading until `release`. */
function heldCompanyReads(source: SearchSource) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let read!: () => void;
  const readBoth = new Promise<void>((resolve) => {
    read = resolve;
  });
  let reads = 0;
  const held: SearchSource = {
    ...source,
    async ofCompany(kind, companyId) {
      const records = await source.ofCompany(kind, companyId);
      if (++reads === 1) read();
      await gate;
      return records;
    },
  };
  return { source: held, release, read: readBoth };
}

describe('SearchIndex and purged records', () => {
  it('a contact purged while its company’s rename re-reads its people stays out, then and after a reload', async () => {
    const t = await openSession();
    const acme = await t.repos.company.create({ name: 'Acme Robotics' });
    const ada = await t.repos.contact.create({ firstName: 'Ada', lastName: 'Lovelace', companyId: acme.id });
    await t.repos.contact.create({ firstName: 'Bob', lastName: 'Babbage', companyId: acme.id });
    await pause();
    const held = heldCompanyReads(rxdbSearchSource(t.db, t.repos));
    const index = await startIndex(t, held.source);

    await t.repos.company.update(acme.id, { name: 'Zenith Motors' });
    // The rename's re-read has read Ada; her tombstone (a retention run's, pulled) arrives before it is applied.
    await held.read;
    await t.repos.contact.discard(ada.id);
    await expect.poll(() => ids(index, 'lovelace')).toEqual([]);
    held.release();
    await pause(20);
    expect(await ids(index, 'lovelace')).toEqual([]);
    expect(await ids(index, 'zenith')).toEqual(['company:Zenith Motors', 'contact:Bob Babbage']);

    const next = await nextSession(index);
    expect(await ids(next.index, 'lovelace')).toEqual([]);
    expect(await ids(next.index, 'zenith')).toEqual(['company:Zenith Motors', 'contact:Bob Babbage']);
  });

  it('a purged company’s name leaves its contacts and deals, and is not kept for the next session', async () => {
    const t = await openSession();
    const acme = await t.repos.company.create({ name: 'Acme Robotics' });
    const ada = await t.repos.contact.create({ firstName: 'Ada', lastName: 'Lovelace', companyId: acme.id });
    await t.repos.deal.create({ name: 'Renewal 2027', companyId: acme.id, amount: 42_000 });
    await pause();
    const index = await startIndex(t);
    expect(await ids(index, 'acme')).toEqual(['company:Acme Robotics', 'contact:Ada Lovelace', 'deal:Renewal 2027']);

    await t.repos.company.discard(acme.id);
    await expect.poll(() => ids(index, 'acme')).toEqual([]);
    expect(await ids(index, 'lovelace')).toEqual(['contact:Ada Lovelace']);

    const next = await nextSession(index);
    expect(await ids(next.index, 'acme')).toEqual([]);
    // A later write of a record still naming the company does not bring its name back.
    await next.t.repos.contact.update(ada.id, { email: 'ada@engines.example' });
    await expect.poll(() => ids(next.index, 'ada@engines')).toEqual(['contact:Ada Lovelace']);
    expect(await ids(next.index, 'acme')).toEqual([]);
  });

  it('a removal of a record, kind or id it never held changes nothing else', async () => {
    const t = await openSession();
    await t.repos.contact.create({ firstName: 'Ada', lastName: 'Lovelace' });
    await pause();
    const index = await startIndex(t);
    const size = index.size;
    index.apply('contact', [{ id: 'no-such-contact', record: undefined }]);
    index.apply('contact', [{ id: '', record: undefined }]);
    index.apply('widget' as SearchKind, [{ id: 'w-1', record: undefined }]);
    index.apply('company', [{ id: 'no-such-company', record: undefined }]);
    // A malformed record in the same write as a good one: the good one is applied.
    index.apply('contact', [
      { id: 'bad', record: { firstName: 42 } },
      { id: 'p-new', record: { id: 'p-new', firstName: 'Grace', lastName: 'Hopper' } },
    ]);
    await pause(20);
    expect(await ids(index, 'lovelace')).toEqual(['contact:Ada Lovelace']);
    expect(await ids(index, 'hopper')).toEqual(['contact:Grace Hopper']);
    const next = await nextSession(index);
    expect(next.index.size).toBe(size + 1);
    expect(await ids(next.index, 'lovelace')).toEqual(['contact:Ada Lovelace']);
  });
});
