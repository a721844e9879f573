import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INDEX_FORMAT, vaultDatabaseName, vaultKey } from '../../../../../src-renderer/features/search/index-vault';
import { rxdbSearchSource } from '../../../../../src-renderer/features/search/record-source';
import { LocalSearchEngine, type SearchEngine } from '../../../../../src-renderer/features/search/search-engine';
import { type IndexPersistence, SearchIndex } from '../../../../../src-renderer/features/search/search-index';
import { WorkerSearchEngine } from '../../../../../src-renderer/features/search/search-worker-engine';
import { openTestDb, TEST_DATABASE_KEY, type TestDb } from '../../../../support/local-db';
import { fakeWorker } from './fake-worker';

/**
 * The index saved at the end of one session (sealed in IndexedDB) and loaded by the next, which
 * reads only the changes since its checkpoint; and every way a saved index can be unusable.
 */

let factory: IDBFactory;
let name: string;
let session = 0;
const open: TestDb[] = [];
const indexes: SearchIndex[] = [];

/** Another device: its own IndexedDB and database. */
function freshDevice(): void {
  factory = new IDBFactory();
  name = `crm-search-${Math.random().toString(36).slice(2)}`;
}

beforeEach(freshDevice);
afterEach(async () => {
  for (const index of indexes.splice(0)) index.stop();
  const last = open.splice(0).at(-1);
  await last?.close();
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
    newId: () => `s${s}-${String(++seq).padStart(6, '0')}`,
  });
  open.push(t);
  return t;
}

const persistence = (secret = TEST_DATABASE_KEY): IndexPersistence => ({
  vault: async () => ({ database: name, key: await vaultKey(secret) }),
  // The tests' writes are all well before the save: no margin, so the catch-up reads exactly what followed.
  marginMs: 0,
  saveDelayMs: 1,
});

/** Resolves once the index has been saved `times` times this session. */
async function savedTimes(index: SearchIndex, times: number): Promise<void> {
  let saves = 0;
  const subscription = index.saved$.subscribe((n) => {
    saves = n;
  });
  await expect.poll(() => saves).toBe(times);
  subscription.unsubscribe();
}

async function startIndex(t: TestDb, options: { engine?: SearchEngine; secret?: string } = {}): Promise<SearchIndex> {
  const index = new SearchIndex(
    rxdbSearchSource(t.db, t.repos),
    options.engine ?? new LocalSearchEngine(factory),
    persistence(options.secret),
  );
  indexes.push(index);
  await index.start();
  await index.lastSave;
  return index;
}

const pause = () => new Promise((resolve) => setTimeout(resolve, 5));
const ids = async (index: SearchIndex, query: string) =>
  (await index.search(query)).flatMap((g) => g.hits.map((h) => `${g.kind}:${h.title}`)).sort();

async function seedFirstSession() {
  const t = await openSession();
  const acme = await t.repos.company.create({ name: 'Acme Robotics', domain: 'acme-robotics.example' });
  const ada = await t.repos.contact.create({ firstName: 'Ada', lastName: 'Lovelace', companyId: acme.id });
  const bob = await t.repos.contact.create({ firstName: 'Bob', lastName: 'Babbage' });
  const deal = await t.repos.deal.create({ name: 'Acme renewal 2027', companyId: acme.id, amount: 42_000 });
  const note = await t.repos.note.create({ subjectType: 'contact', subjectId: ada.id, body: 'Difference engine' });
  // The save's checkpoint (now, no margin) comes after every write above.
  await pause();
  const index = await startIndex(t);
  expect(index.report).toEqual({ from: 'scan', reason: 'nothing saved', caughtUp: 0 });
  expect(index.size).toBe(5);
  return { t, index, acme, ada, bob, deal, note };
}

/** Reads and rewrites the saved record as another program (or a damaged disk) might. */
async function alterSaved(change: (record: Record<string, unknown>) => unknown): Promise<void> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const req = factory.open(vaultDatabaseName(name));
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  const store = () => db.transaction('index', 'readwrite').objectStore('index');
  const record = await new Promise<Record<string, unknown>>((resolve) => {
    const req = store().get('current');
    req.onsuccess = () => resolve(req.result as Record<string, unknown>);
  });
  expect(record).toBeDefined();
  await new Promise((resolve) => {
    const req = store().put(change(record), 'current');
    req.onsuccess = resolve;
  });
  db.close();
}

describe('SearchIndex kept between sessions', () => {
  it('loads the saved index and catches up on edits, inserts and renames made after its checkpoint', async () => {
    const { index: first, acme, ada } = await seedFirstSession();
    expect(first.report?.from).toBe('scan');
    first.stop();

    const t = await openSession();
    await t.repos.contact.update(ada.id, { lastName: 'King' });
    await t.repos.contact.create({ firstName: 'Charles', lastName: 'Xavier' });
    await t.repos.company.update(acme.id, { name: 'Zenith Motors' });
    const index = await startIndex(t);

    // Three records read again, not the five of a scan.
    expect(index.report).toEqual({ from: 'saved', caughtUp: 3 });
    expect(index.progress.status).toBe('ready');
    expect(index.size).toBe(6);
    expect(await ids(index, 'lovelace')).toEqual([]);
    expect(await ids(index, 'king')).toEqual(['contact:Ada King']);
    expect(await ids(index, 'xavier')).toEqual(['contact:Charles Xavier']);
    // Unchanged records come from the saved index; the renamed company's people follow its new name.
    expect(await ids(index, 'engine')).toEqual(['note:Difference engine']);
    await expect
      .poll(() => ids(index, 'zenith'))
      .toEqual(['company:Zenith Motors', 'contact:Ada King', 'deal:Acme renewal 2027']);
    // Caught up, it is saved again a while later: a third session has nothing to read.
    await savedTimes(index, 1);
    index.stop();
    const third = await startIndex(await openSession());
    expect(third.report).toEqual({ from: 'saved', caughtUp: 0 });
    expect(await ids(third, 'king')).toEqual(['contact:Ada King']);
  });

  it('drops records soft-deleted or removed after the checkpoint', async () => {
    const { index: first, bob, deal } = await seedFirstSession();
    first.stop();
    const t = await openSession();
    await t.repos.contact.softDelete(bob.id);
    await t.repos.deal.discard(deal.id);
    const index = await startIndex(t);
    expect(index.report).toEqual({ from: 'saved', caughtUp: 2 });
    expect(await ids(index, 'babbage')).toEqual([]);
    expect(await ids(index, 'renewal')).toEqual([]);
    expect(index.size).toBe(3);
  });

  it('keeps following the change stream after loading, and saves again a while after a change', async () => {
    const { index: first } = await seedFirstSession();
    first.stop();
    const t = await openSession();
    const index = await startIndex(t);
    expect(index.report).toEqual({ from: 'saved', caughtUp: 0 });
    await t.repos.contact.create({ firstName: 'Grace', lastName: 'Hopper' });
    await expect.poll(() => ids(index, 'hopper')).toEqual(['contact:Grace Hopper']);
    await savedTimes(index, 1);
    index.stop();
    const next = await startIndex(await openSession());
    expect(next.report?.from).toBe('saved');
    expect(await ids(next, 'hopper')).toEqual(['contact:Grace Hopper']);
  });

  it('saves and loads through the worker’s messages', async () => {
    const t1 = await openSession();
    await t1.repos.contact.create({ firstName: 'Ada', lastName: 'Lovelace' });
    await pause();
    const first = await startIndex(t1, { engine: new WorkerSearchEngine(fakeWorker(factory)) });
    expect(first.report?.from).toBe('scan');
    first.stop();
    const t2 = await openSession();
    await t2.repos.contact.create({ firstName: 'Bob', lastName: 'Babbage' });
    const index = await startIndex(t2, { engine: new WorkerSearchEngine(fakeWorker(factory)) });
    expect(index.report).toEqual({ from: 'saved', caughtUp: 1 });
    expect(await ids(index, 'lovelace')).toEqual(['contact:Ada Lovelace']);
    expect(await ids(index, 'babbage')).toEqual(['contact:Bob Babbage']);
  });
});

describe('SearchIndex with a saved index it cannot use', () => {
  async function rebuiltAfter(change: (record: Record<string, unknown>) => unknown, secret?: string) {
    freshDevice();
    const { index: first } = await seedFirstSession();
    first.stop();
    await alterSaved(change);
    const index = await startIndex(await openSession(), secret ? { secret } : {});
    expect(index.report?.from).toBe('scan');
    expect(index.progress).toEqual({ status: 'ready', indexed: 5, total: 5 });
    expect(await ids(index, 'lovelace')).toEqual(['contact:Ada Lovelace']);
    return index;
  }

  it('rebuilds from the records when the sealed bytes are damaged, and saves a good one', async () => {
    const index = await rebuiltAfter((record) => {
      const bytes = new Uint8Array(record.sealed as ArrayBuffer);
      bytes[40] = (bytes[40] ?? 0) ^ 0xff;
      return record;
    });
    expect(index.report?.reason).toMatch(/^corrupt: it does not decrypt/);
    index.stop();
    const next = await startIndex(await openSession());
    expect(next.report).toEqual({ from: 'saved', caughtUp: 0 });
  });

  it('rebuilds when the record is not one at all, or its header was altered', async () => {
    const garbage = await rebuiltAfter(() => 'not an index');
    expect(garbage.report?.reason).toBe('stale: no header');
    garbage.stop();
    const altered = await rebuiltAfter((record) => ({
      ...record,
      header: { ...(record.header as object), checkpoint: Date.now() + 1 - 10 * 86_400_000 },
    }));
    // The header is the ciphertext's additional data: moving the checkpoint back breaks the seal.
    expect(altered.report?.reason).toMatch(/^corrupt: it does not decrypt/);
  });

  it('rebuilds when the saved index is of another format or schema', async () => {
    const format = await rebuiltAfter((record) => ({
      ...record,
      header: { ...(record.header as object), format: INDEX_FORMAT - 1 },
    }));
    expect(format.report?.reason).toBe(`stale: format ${INDEX_FORMAT - 1}, this app writes ${INDEX_FORMAT}`);
    format.stop();
    const schema = await rebuiltAfter((record) => ({
      ...record,
      header: { ...(record.header as object), schema: 'contact@contacts.0' },
    }));
    expect(schema.report?.reason).toMatch(/^stale: schema "contact@contacts.0"/);
  });

  it('rebuilds when the database key is another (the index cannot be read with it)', async () => {
    const index = await rebuiltAfter((record) => record, 'another-key-0123456789abcdefghijklmnopqrstuv');
    expect(index.report?.reason).toMatch(/^corrupt: it does not decrypt/);
  });

  it('builds every session, saving nothing, when there is no key to seal with', async () => {
    const t = await openSession();
    await t.repos.contact.create({ firstName: 'Ada', lastName: 'Lovelace' });
    const index = new SearchIndex(rxdbSearchSource(t.db, t.repos), new LocalSearchEngine(factory), {
      vault: () => Promise.reject(new Error('This device keeps your records encrypted: sign in again')),
    });
    indexes.push(index);
    await index.start();
    await index.lastSave;
    expect(index.report).toEqual({ from: 'scan', reason: 'nothing saved', caughtUp: 0 });
    expect(await ids(index, 'lovelace')).toEqual(['contact:Ada Lovelace']);
    expect((await factory.databases()).map((d) => d.name)).not.toContain(vaultDatabaseName(name));
  });
});

describe('SearchIndex answering from the saved names while the full index loads', () => {
  /** A LocalSearchEngine whose full load waits until `release` is called. */
  function heldEngine() {
    let release: () => void = () => undefined;
    const hold = new Promise<void>((resolve) => {
      release = resolve;
    });
    return { engine: new LocalSearchEngine(factory, { holdFullLoad: hold }), release: () => release() };
  }

  it('answers a search made during the full load from the names index, then from the full index', async () => {
    const { index: first, bob } = await seedFirstSession();
    first.stop();
    const t = await openSession();
    // Changed after the save: the names index must not show Bob, and must show Charles.
    await t.repos.contact.softDelete(bob.id);
    await t.repos.contact.create({ firstName: 'Charles', lastName: 'Xavier', email: 'charles@xmen.example' });
    const { engine, release } = heldEngine();
    const index = new SearchIndex(rxdbSearchSource(t.db, t.repos), engine, persistence());
    indexes.push(index);
    const started = index.start();
    await expect.poll(() => index.progress.status).toBe('partial');

    // Names answer (by the start of their words); emails and notes are only in the full index.
    expect(await ids(index, 'lovel')).toEqual(['contact:Ada Lovelace']);
    expect(await ids(index, 'acme')).toEqual(['company:Acme Robotics', 'deal:Acme renewal 2027']);
    expect(await ids(index, 'xavier')).toEqual(['contact:Charles Xavier']);
    expect(await ids(index, 'babbage')).toEqual([]);
    expect(await ids(index, 'engine')).toEqual([]);
    expect(await ids(index, 'charles@xmen.example')).toEqual([]);
    // A change while the full index loads reaches the names at once, and the full index once made.
    await t.repos.contact.create({ firstName: 'Grace', lastName: 'Hopper' });
    await expect.poll(() => ids(index, 'hopper')).toEqual(['contact:Grace Hopper']);

    release();
    await started;
    expect(index.progress.status).toBe('ready');
    expect(index.report).toEqual({ from: 'saved', caughtUp: 2 });
    expect(await ids(index, 'engine')).toEqual(['note:Difference engine']);
    expect(await ids(index, 'charles@xmen.example')).toEqual(['contact:Charles Xavier']);
    expect(await ids(index, 'hopper')).toEqual(['contact:Grace Hopper']);
    expect(await ids(index, 'babbage')).toEqual([]);
    // The full index also finds the company's people by its name.
    expect(await ids(index, 'acme')).toEqual([
      'company:Acme Robotics',
      'contact:Ada Lovelace',
      'deal:Acme renewal 2027',
    ]);
  });

  it('answers from the names through the worker’s messages while the full index loads', async () => {
    const { index: first } = await seedFirstSession();
    first.stop();
    const t = await openSession();
    const index = new SearchIndex(
      rxdbSearchSource(t.db, t.repos),
      new WorkerSearchEngine(fakeWorker(factory)),
      persistence(),
    );
    indexes.push(index);
    const started = index.start();
    await expect.poll(() => index.progress.status).not.toBe('idle');
    // Whatever the moment, an answer never shows a record that is not there, and the full one ends it.
    expect(await ids(index, 'lovelace')).toEqual(['contact:Ada Lovelace']);
    await started;
    expect(index.report).toEqual({ from: 'saved', caughtUp: 0 });
    expect(await ids(index, 'engine')).toEqual(['note:Difference engine']);
  });

  it('rebuilds from the records when the names open but the full index does not', async () => {
    const { index: first } = await seedFirstSession();
    first.stop();
    await alterSaved((record) => {
      const bytes = new Uint8Array(record.sealed as ArrayBuffer);
      bytes[40] = (bytes[40] ?? 0) ^ 0xff;
      return record;
    });
    const index = await startIndex(await openSession());
    expect(index.report?.reason).toMatch(/^corrupt: it does not decrypt/);
    expect(index.progress).toEqual({ status: 'ready', indexed: 5, total: 5 });
    expect(await ids(index, 'engine')).toEqual(['note:Difference engine']);
  });

  it('reads a copy saved before names were kept apart (the full index at once)', async () => {
    const { index: first } = await seedFirstSession();
    first.stop();
    await alterSaved((record) => {
      delete record.quick;
      return record;
    });
    const index = await startIndex(await openSession());
    expect(index.report).toEqual({ from: 'saved', caughtUp: 0 });
    expect(await ids(index, 'engine')).toEqual(['note:Difference engine']);
  });

  it('does not open names sealed under another record’s header', async () => {
    const { index: first } = await seedFirstSession();
    first.stop();
    await alterSaved((record) => ({ ...record, quick: record.sealed }));
    const index = await startIndex(await openSession());
    expect(index.report?.reason).toMatch(/^corrupt: it does not decrypt/);
    expect(await ids(index, 'lovelace')).toEqual(['contact:Ada Lovelace']);
  });
});
