import Dexie from 'dexie';
import { createLocalDatabase } from '../../src-renderer/db/create-database';
import { createRepositories } from '../../src-renderer/db/repositories';
import { NEWEST_MAX } from '../../src-shared/schema/define-entity';
import {
  contactInput,
  emit,
  freshIndexedDb,
  OWNERS,
  percentile,
  round,
  STATUSES,
  storedContact,
} from './bench-support';

const PAGE = 50;

interface Probe {
  owner: string;
  status: string;
  skip: number;
}

/** Distinct queries, so RxDB's query cache cannot answer from a previous identical one. */
function probes(): Probe[] {
  const out: Probe[] = [];
  for (const skip of [0]) {
    for (const owner of OWNERS) for (const status of STATUSES) out.push({ owner, status, skip });
  }
  return out;
}

/** B2: a page of 50 of 100k contacts by owner and status, newest first: repository vs raw Dexie on the same index. */
export async function benchB2(size = 100_000): Promise<void> {
  const db = await createLocalDatabase({
    name: `b2-${Math.random()}`,
    actor: () => ({ userId: 'user-bench', deviceId: 'bench' }),
    indexedDB: freshIndexedDb(),
  });
  const repos = createRepositories(db);
  for (let i = 0; i < size; i += 10_000) {
    await repos.contact.bulkCreate(
      Array.from({ length: Math.min(10_000, size - i) }, (_, k) => contactInput(i + k)) as never,
    );
  }

  const { indexedDB, IDBKeyRange } = freshIndexedDb();
  const dexie = new Dexie(`b2-dexie-${Math.random()}`, { indexedDB, IDBKeyRange });
  dexie.version(1).stores({ contacts: 'id,[ownerId+status+isDeleted+newest]' });
  await dexie
    .table('contacts')
    .bulkPut(Array.from({ length: size }, (_, i) => ({ ...storedContact(i), isDeleted: 0 })));

  const ours: number[] = [];
  const raw: number[] = [];
  const list = probes();
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
    storage: 'fake-indexeddb',
  });
  dexie.close();
  await db.rx.remove();
}
