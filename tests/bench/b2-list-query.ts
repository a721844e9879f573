import Dexie from 'dexie';
import { normalizeMangoQuery, prepareQuery } from 'rxdb';
import { createLocalDatabase } from '../../src-renderer/db/create-database';
import { createRepositories, type Repositories } from '../../src-renderer/db/repositories';
import { generateDemoData } from '../../src-shared/demo/generate-demo-data';
import { NEWEST_MAX } from '../../src-shared/schema/define-entity';
import { TEST_DATABASE_KEY as BENCH_DATABASE_KEY } from '../support/local-db';
import { emit, freshIndexedDb, percentile, round } from './bench-support';

const PAGE = 50;

interface Probe {
  owner: string;
  status: string;
  skip: number;
}

/** Distinct queries, so RxDB's query cache cannot answer from a previous identical one. */
function probes(owners: readonly string[], statuses: readonly string[]): Probe[] {
  const out: Probe[] = [];
  for (const owner of owners) for (const status of statuses) out.push({ owner, status, skip: 0 });
  return out;
}

/** Loads the demo data set's 100k contacts (realistic owners, skewed status mix) and the custom field definitions they use. */
async function loadDemoContacts(repos: Repositories, size: number): Promise<void> {
  let left = size;
  for (const batch of generateDemoData({ size: '100k', batchSize: 10_000 })) {
    if (batch.entity === 'customField') await repos.customField.bulkCreate(batch.records as never);
    if (batch.entity !== 'contact') continue;
    await repos.contact.bulkCreate(batch.records.slice(0, left) as never);
    left -= batch.records.length;
    if (left <= 0) return;
  }
}

/** B2: a page of 50 of 100k contacts by owner and status, newest first: repository vs raw Dexie on the same index. */
export async function benchB2(size = 100_000): Promise<void> {
  const db = await createLocalDatabase({
    name: `b2-${Math.random()}`,
    actor: () => ({ userId: 'user-bench', deviceId: 'bench' }),
    key: BENCH_DATABASE_KEY,
    indexedDB: freshIndexedDb(),
  });
  const repos = createRepositories(db);
  let mark = performance.now();
  const lap = (what: string) => {
    process.stderr.write(`B2 ${what}: ${Math.round(performance.now() - mark)} ms\n`);
    mark = performance.now();
  };
  await loadDemoContacts(repos, size);
  lap('load');
  // Straight from storage: RxDocuments for all 100k would sit in RxDB's document cache and their
  // garbage collection would land in the measured queries. With a limit the read takes the
  // one-request page path (fake-indexeddb's cursor walk costs ~1 ms per document on this data).
  const schema = db.rx.contacts.schema.jsonSchema;
  const { documents } = await db.rx.contacts.storageInstance.query(
    prepareQuery(schema, normalizeMangoQuery(schema, { selector: {}, limit: size })),
  );
  const stored = documents.map(({ _meta, _rev, _attachments, _deleted, ...doc }) => doc as Record<string, unknown>);
  lap('read back');

  const { indexedDB, IDBKeyRange } = freshIndexedDb();
  const dexie = new Dexie(`b2-dexie-${Math.random()}`, { indexedDB, IDBKeyRange });
  dexie.version(1).stores({ contacts: 'id,[ownerId+status+isDeleted+newest]' });
  // The same documents; IndexedDB cannot index booleans, so the flag is 0/1 as in RxDB's storage.
  await dexie.table('contacts').bulkPut(stored.map((d) => ({ ...d, isDeleted: 0 })));
  lap('dexie bulkPut');
  lap('copy to dexie');
  const owners = [...new Set(stored.map((d) => String(d.ownerId)))].sort();
  const statuses = [...new Set(stored.map((d) => String(d.status)))].sort();

  const ours: number[] = [];
  const raw: number[] = [];
  const list = probes(owners, statuses);
  for (const [n, p] of list.entries()) {
    let start = performance.now();
    const page = await repos.contact.list({ where: { ownerId: p.owner, status: p.status }, limit: PAGE, skip: p.skip });
    const oursMs = performance.now() - start;
    start = performance.now();
    const rows = await dexie
      .table('contacts')
      .where('[ownerId+status+isDeleted+newest]')
      .between([p.owner, p.status, 0, 0], [p.owner, p.status, 0, NEWEST_MAX])
      .offset(p.skip)
      .limit(PAGE)
      .toArray();
    const rawMs = performance.now() - start;
    if (page.length !== rows.length || page[0]?.id !== rows[0]?.id) {
      throw new Error(`B2: repository and Dexie disagree for ${JSON.stringify(p)}`);
    }
    // The first probes warm both up (JIT, RxDB's query planner cache).
    if (process.env.B2_TRACE)
      process.stderr.write(`${p.owner} ${p.status} ${page.length} ${oursMs.toFixed(1)} ${rawMs.toFixed(1)}\n`);
    if (n >= 10) {
      ours.push(oursMs);
      raw.push(rawMs);
    }
  }
  const p95 = percentile(ours, 95);
  const rawP95 = percentile(raw, 95);
  emit({
    bench: 'B2',
    size,
    value: round(p95),
    unit: 'ms p95',
    baseline: round(rawP95),
    ratio: round(p95 / rawP95),
    p50: round(percentile(ours, 50)),
    dexieP50: round(percentile(raw, 50)),
    target: 'p95 <= 3x raw Dexie and <= 10 ms',
    samples: ours.length,
    data: `demo 100k contacts, ${owners.length} owners x ${statuses.length} statuses`,
    storage: 'fake-indexeddb',
  });
  dexie.close();
  await db.rx.remove();
}

export const benchId = 'B2';
export const run = () => benchB2();
