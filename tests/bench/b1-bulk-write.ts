import Dexie from 'dexie';
import { createRxDatabase, type RxStorage } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { createLocalDatabase } from '../../src-renderer/db/create-database';
import { createRepositories } from '../../src-renderer/db/repositories';
import { toRxSchema } from '../../src-shared/schema/to-rx-schema';
import { TEST_DATABASE_KEY as BENCH_DATABASE_KEY } from '../support/local-db';
import { contactInput, emit, freshIndexedDb, median, round, storedContact } from './bench-support';

const actor = () => ({ userId: 'user-bench', deviceId: 'bench' });

async function timeRepository(inputs: Record<string, unknown>[]): Promise<number> {
  const db = await createLocalDatabase({
    name: `b1-repo-${Math.random()}`,
    actor,
    key: BENCH_DATABASE_KEY,
    indexedDB: freshIndexedDb(),
    onAuditFailure: (e) => {
      throw e;
    },
  });
  const repos = createRepositories(db);
  const start = performance.now();
  const result = await repos.contact.bulkCreate(inputs as never);
  const ms = performance.now() - start;
  if (result.written !== inputs.length) throw new Error(`repository wrote ${result.written} of ${inputs.length}`);
  const audit = await db.rx.audit.count().exec();
  if (audit === 0) throw new Error('no audit entries written');
  await db.rx.remove();
  return ms;
}

async function timeBareRxdb(docs: Record<string, unknown>[]): Promise<number> {
  const rx = await createRxDatabase({
    name: `b1-bare-${Math.random()}`,
    storage: getRxStorageDexie(freshIndexedDb()) as RxStorage<unknown, unknown>,
    multiInstance: false,
  });
  const { contacts } = await rx.addCollections({ contacts: { schema: toRxSchema('contacts') } });
  const start = performance.now();
  const result = await contacts.bulkInsert(docs);
  const ms = performance.now() - start;
  if (result.error.length > 0) throw new Error('bare insert failed');
  await rx.remove();
  return ms;
}

async function timeRawDexie(docs: Record<string, unknown>[]): Promise<number> {
  const { indexedDB, IDBKeyRange } = freshIndexedDb();
  const dexie = new Dexie(`b1-dexie-${Math.random()}`, { indexedDB, IDBKeyRange });
  // IndexedDB cannot index booleans: raw Dexie stores the flag as 0/1, as RxDB's Dexie storage does.
  dexie
    .version(1)
    .stores({ contacts: 'id,[ownerId+status+isDeleted+newest],[status+isDeleted+newest],[isDeleted+newest]' });
  const rows = docs.map((d) => ({ ...d, isDeleted: d.isDeleted ? 1 : 0 }));
  const start = performance.now();
  await dexie.table('contacts').bulkPut(rows);
  const ms = performance.now() - start;
  await dexie.delete();
  return ms;
}

/** B1: bulk create of ~1 KB contacts through the repository (validation + audit) vs bare RxDB and raw Dexie. */
export async function benchB1(sizes: readonly number[] = [10_000, 100_000]): Promise<void> {
  for (const size of sizes) {
    const runs = size >= 100_000 ? 3 : 5;
    const inputs = Array.from({ length: size }, (_, i) => contactInput(i));
    const docs = Array.from({ length: size }, (_, i) => storedContact(i));
    const repo: number[] = [];
    const bare: number[] = [];
    const raw: number[] = [];
    // Interleaved so machine noise hits all three alike.
    for (let r = 0; r < runs; r++) {
      bare.push(await timeBareRxdb(docs));
      repo.push(await timeRepository(inputs));
      raw.push(await timeRawDexie(docs));
    }
    const [repoMs, bareMs, rawMs] = [median(repo), median(bare), median(raw)];
    emit({
      bench: 'B1',
      size,
      value: Math.round((size / repoMs) * 1000),
      unit: 'docs/s',
      baseline: Math.round((size / bareMs) * 1000),
      ratio: round(bareMs / repoMs),
      timeVsRxdb: round(repoMs / bareMs),
      target: 'timeVsRxdb <= 1.5',
      rawDexie: Math.round((size / rawMs) * 1000),
      timeVsDexie: round(repoMs / rawMs),
      medianMs: { repository: Math.round(repoMs), rxdb: Math.round(bareMs), dexie: Math.round(rawMs) },
      runs,
      storage: 'fake-indexeddb',
    });
  }
}

export const benchId = 'B1';
export const run = () => benchB1();
