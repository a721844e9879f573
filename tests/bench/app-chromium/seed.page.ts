/**
 * Runs INSIDE Chromium (bundled by tests/bench/app.ts, evaluated on a blank page of the app's
 * origin): fills the app's own demo database through its repositories (validated and audited, the
 * same code and storage layout the app opens), and runs B1/B2 against Chromium's IndexedDB with a
 * raw-IndexedDB baseline. Nothing here ships: the app has no hook for it.
 */
import { normalizeMangoQuery, prepareQuery } from 'rxdb';
import { databaseName } from '../../../src-renderer/app/useLocalDatabase';
import { createLocalDatabase, type LocalDatabase } from '../../../src-renderer/db/create-database';
import { databaseKey } from '../../../src-renderer/db/database-key';
import { createRepositories, type Repositories } from '../../../src-renderer/db/repositories';
import { seedDemoData } from '../../../src-renderer/db/seed-demo';
import { generateDemoData } from '../../../src-shared/demo/generate-demo-data';
import { NEWEST_MAX } from '../../../src-shared/schema/define-entity';
import { contactInput, storedContact } from '../bench-support';

/** B1's throwaway databases: any key will do, the cost measured is the same. */
const BENCH_DATABASE_KEY = 'bench-database-key-0123456789abcdefghijklmnop';

type Doc = Record<string, unknown>;
const actor = () => ({ userId: 'local-user', deviceId: 'bench' });
/** useLocalDatabase's flag that the demo set is complete (the app then opens without seeding). */
const SEEDED_KEY = 'fieldcrm.demoSeeded';

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] as number;
const p = (v: number[], q: number) => {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((q / 100) * s.length) - 1)] as number;
};
const log = (message: string) => console.log(`[bench] ${message}`);

/** The demo database as the app opens it: the small demo set, then `contacts` contacts of the 100k set with their companies. */
async function seedApp(contacts: number): Promise<{ contacts: number; companies: number; ms: number }> {
  const start = performance.now();
  const db = await createLocalDatabase({
    name: databaseName(undefined),
    key: await databaseKey(databaseName(undefined), 'demo'),
    actor,
  });
  const repos = createRepositories(db);
  await seedDemoData(repos, 'small');
  localStorage.setItem(SEEDED_KEY, 'small');
  log(`small demo set ${Math.round(performance.now() - start)} ms`);
  let left = contacts;
  for (const batch of generateDemoData({ size: '100k', batchSize: 5000 })) {
    // Their owners and companies come along, so the list shows names rather than ids.
    if (batch.entity === 'user') await repos.user.bulkCreate(batch.records as never);
    if (batch.entity === 'company') await repos.company.bulkCreate(batch.records as never);
    if (batch.entity !== 'contact') continue;
    const take = batch.records.slice(0, left);
    await repos.contact.bulkCreate(take as never);
    left -= take.length;
    log(`contacts ${contacts - left} of ${contacts} at ${Math.round(performance.now() - start)} ms`);
    if (left <= 0) break;
  }
  const result = { contacts: await repos.contact.count(), companies: await repos.company.count() };
  await b2(db, repos).then((line) => Object.assign(globalThis, { __b2: line }));
  await db.rx.close();
  return { ...result, ms: Math.round(performance.now() - start) };
}

/** A raw IndexedDB database with one store and the repository's list index, the booleans as 0/1 as RxDB's Dexie storage keeps them. */
function openRaw(name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => {
      const store = request.result.createObjectStore('contacts', { keyPath: 'id' });
      store.createIndex('owner_status', ['ownerId', 'status', 'isDeleted', 'newest']);
      store.createIndex('status', ['status', 'isDeleted', 'newest']);
      store.createIndex('list', ['isDeleted', 'newest']);
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function rawPutAll(idb: IDBDatabase, docs: readonly Doc[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const tx = idb.transaction('contacts', 'readwrite');
    const store = tx.objectStore('contacts');
    for (const doc of docs) store.put({ ...doc, isDeleted: doc.isDeleted ? 1 : 0 });
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
}

function rawPage(idb: IDBDatabase, owner: string, status: string, limit: number): Promise<Doc[]> {
  return new Promise((resolve, reject) => {
    const range = IDBKeyRange.bound([owner, status, 0, 0], [owner, status, 0, NEWEST_MAX]);
    const request = idb.transaction('contacts').objectStore('contacts').index('owner_status').getAll(range, limit);
    request.onsuccess = () => resolve(request.result as Doc[]);
    request.onerror = () => reject(request.error);
  });
}

function deleteRaw(name: string): Promise<void> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}

/** B1 in Chromium: bulk create through the repository (validation + audit) vs one raw IndexedDB transaction. */
async function b1(size: number, runs: number) {
  const inputs = Array.from({ length: size }, (_, i) => contactInput(i));
  const docs = Array.from({ length: size }, (_, i) => storedContact(i));
  const repo: number[] = [];
  const raw: number[] = [];
  for (let r = 0; r < runs; r++) {
    const name = `b1-repo-${r}-${Math.random().toString(36).slice(2)}`;
    const db = await createLocalDatabase({ name, key: BENCH_DATABASE_KEY, actor });
    let start = performance.now();
    const result = await createRepositories(db).contact.bulkCreate(inputs as never);
    repo.push(performance.now() - start);
    if (result.written !== size) throw new Error(`B1: wrote ${result.written} of ${size}`);
    await db.rx.remove();
    const rawName = `b1-raw-${r}-${Math.random().toString(36).slice(2)}`;
    const idb = await openRaw(rawName);
    start = performance.now();
    await rawPutAll(idb, docs);
    raw.push(performance.now() - start);
    idb.close();
    await deleteRaw(rawName);
    log(`B1 run ${r + 1}: repository ${Math.round(repo.at(-1) ?? 0)} ms, raw ${Math.round(raw.at(-1) ?? 0)} ms`);
  }
  const [repoMs, rawMs] = [median(repo), median(raw)];
  return {
    bench: 'B1-chromium',
    size,
    value: Math.round((size / repoMs) * 1000),
    unit: 'docs/s',
    baseline: Math.round((size / rawMs) * 1000),
    ratio: Number((rawMs / repoMs).toFixed(2)),
    timeVsRawIndexedDb: Number((repoMs / rawMs).toFixed(2)),
    medianMs: { repository: Math.round(repoMs), rawIndexedDb: Math.round(rawMs) },
    runs,
    storage: 'Chromium IndexedDB',
    note: 'repository = validation + audit entry per record + RxDB/Dexie; baseline = one raw IndexedDB put transaction, same documents and indexes',
  };
}

/** B2 in Chromium on the seeded contacts: a page of 50 by owner and status, newest first, repository vs raw IndexedDB getAll on the same index. */
async function b2(db: LocalDatabase, repos: Repositories) {
  const schema = db.rx.contacts.schema.jsonSchema;
  const query = normalizeMangoQuery(schema, { selector: {}, limit: 1_000_000 });
  const { documents } = await db.rx.contacts.storageInstance.query(prepareQuery(schema, query));
  const stored = documents.map(({ _meta, _rev, _attachments, _deleted, ...doc }) => doc as Doc);
  const rawName = `b2-raw-${Math.random().toString(36).slice(2)}`;
  const idb = await openRaw(rawName);
  for (let i = 0; i < stored.length; i += 10_000) await rawPutAll(idb, stored.slice(i, i + 10_000));
  const owners = [...new Set(stored.map((d) => String(d.ownerId)))].sort();
  const statuses = [...new Set(stored.map((d) => String(d.status)))].sort();
  const ours: number[] = [];
  const raw: number[] = [];
  let n = 0;
  for (const owner of owners) {
    for (const status of statuses) {
      let start = performance.now();
      const page = await repos.contact.list({ where: { ownerId: owner, status }, limit: 50 });
      const oursMs = performance.now() - start;
      start = performance.now();
      const rows = await rawPage(idb, owner, status, 50);
      const rawMs = performance.now() - start;
      if (page.length !== rows.length || page[0]?.id !== rows[0]?.id) {
        throw new Error(`B2: repository and raw IndexedDB disagree for ${owner}/${status}`);
      }
      // The first probes warm both up (JIT, RxDB's query planner cache).
      if (n++ >= 10) {
        ours.push(oursMs);
        raw.push(rawMs);
      }
    }
  }
  idb.close();
  await deleteRaw(rawName);
  const [p95, rawP95] = [p(ours, 95), p(raw, 95)];
  return {
    bench: 'B2-chromium',
    size: stored.length,
    value: Number(p95.toFixed(2)),
    unit: 'ms p95',
    baseline: Number(rawP95.toFixed(2)),
    ratio: Number((p95 / rawP95).toFixed(2)),
    p50: Number(p(ours, 50).toFixed(2)),
    rawP50: Number(p(raw, 50).toFixed(2)),
    target: 'p95 <= 3x raw and <= 10 ms',
    samples: ours.length,
    data: `demo contacts, ${owners.length} owners x ${statuses.length} statuses`,
    storage: 'Chromium IndexedDB',
  };
}

Object.assign(globalThis, {
  __benchSeed: {
    seedApp,
    b1,
    b2Result: () => (globalThis as { __b2?: unknown }).__b2,
  },
});
