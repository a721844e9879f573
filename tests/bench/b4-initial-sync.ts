import { createRxDatabase, type RxStorage } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { startReplication } from '../../src-renderer/db/replication';
import { httpTransport } from '../../src-renderer/db/sync-transport';
import { toRxSchema } from '../../src-shared/schema/to-rx-schema';
import type { Queryable } from '../../sync-server/src/db/database';
import { openTestDb } from '../support/local-db';
import { emit, freshIndexedDb, median, round, storedContact } from './bench-support';
import { type BenchServer, caughtUp, loadContacts, startBenchServer, userHeaders } from './sync-bench-support';

/**
 * B4: an empty device (Node, fake-indexeddb, the contacts collection only) replicates 100k contacts
 * from the sync server until in sync, against a floor measured in the same run: the raw keyset
 * SELECT (to_jsonb + JSON of every page) pipelined with bare RxDB bulkInsert of the same documents
 * into the same kind of storage. One line per batch size, so the best default is known.
 */

/**
 * 100k is the target size. It used to take 83 to 135 s (0.7k to 1.2k rows/s), slowing as the set
 * grew. Profiled (tests/bench/probe-b4.ts): the device spent about half its time in per-key
 * IndexedDB gets (RxDB looks each pulled document up four times; page-query-storage.ts now reads
 * them by key range), and RxDB merged pages that queued up during a write into writes of 20k to
 * 70k documents (pull-pacer.ts now fetches at most two pages ahead). The SQL is flat: 15 ms per
 * page of 1,000 at any position in 100k (EXPLAIN ANALYZE). The 100k sweep of three batch sizes
 * still takes several minutes, so by default it runs at 20k, 3 interleaved runs; B4_SIZE=100000.
 */
const FULL_SIZE = 100_000;
const SIZE = Number(process.env.B4_SIZE ?? 20_000);
const BATCH_SIZES = (process.env.B4_BATCH_SIZES ?? '500,1000,2000').split(',').map(Number);
const RUNS = Number(process.env.B4_RUNS ?? 3);
/**
 * B4_ENCRYPTION=off opens the device with its personal fields in the clear (create-database.ts
 * `plaintextForMeasurement`), to tell the encryption at rest's share of the sync's time; the figure
 * to report is the default, encrypted, as the app ships (the floor never encrypts: bare RxDB).
 */
const ENCRYPTED = process.env.B4_ENCRYPTION !== 'off';

/** CPU time of this process (client and server; not Postgres) since `from`, in ms. */
const cpuMs = (from: NodeJS.CpuUsage) => {
  const { user, system } = process.cpuUsage(from);
  return (user + system) / 1000;
};

async function timeSync(server: BenchServer, batchSize: number): Promise<{ ms: number; cpuMs: number }> {
  const t = await openTestDb({
    collections: ['contacts'],
    actor: () => ({ userId: 'user-bench', deviceId: 'bench-b4' }),
    devMode: false,
    plaintextForMeasurement: !ENCRYPTED,
  });
  const start = performance.now();
  const cpu = process.cpuUsage();
  const sync = startReplication(t.db, httpTransport({ baseUrl: server.url, headers: () => userHeaders() }), {
    batchSize,
  });
  await sync.awaitInSync();
  const ms = performance.now() - start;
  const used = cpuMs(cpu);
  await sync.stop();
  const count = await t.db.rx.contacts.count().exec();
  await t.close();
  if (count !== SIZE) throw new Error(`B4: device holds ${count} of ${SIZE} contacts after sync`);
  return { ms, cpuMs: used };
}

const KEYSET = `SELECT sync_txid::text AS txid, id, to_jsonb(t) AS doc FROM contacts AS t
WHERE (sync_txid, id) > ($1::text::xid8, $2::text) ORDER BY sync_txid, id LIMIT $3::int`;

/**
 * The floor: stage 1 reads keyset pages (and makes the JSON a response would carry), stage 2
 * bulk-inserts the same documents into bare RxDB; stage 2 of page k overlaps stage 1 of page k+1.
 */
async function timeFloor(db: Queryable, docs: Record<string, unknown>[], batchSize: number) {
  const rx = await createRxDatabase({
    name: `b4-floor-${Math.random()}`,
    storage: getRxStorageDexie(freshIndexedDb()) as RxStorage<unknown, unknown>,
    multiInstance: false,
  });
  // Bare RxDB has no encryption plugin, so the schema's `encrypted` list (honoured on the device by
  // the app's envelope storage) is dropped: the floor is plain bulkInsert, as the issue defines it.
  const { encrypted: _sealedOnDevice, ...schema } = toRxSchema('contacts');
  const { contacts } = await rx.addCollections({ contacts: { schema } });
  let readMs = 0;
  let bytes = 0;
  let insertMs = 0;
  const start = performance.now();
  const cpu = process.cpuUsage();
  let cursor = ['0', ''];
  let offset = 0;
  let inserting: Promise<void> = Promise.resolve();
  for (;;) {
    const t0 = performance.now();
    const { rows } = await db.query<{ txid: string; id: string; doc: unknown }>(KEYSET, [...cursor, batchSize]);
    bytes += JSON.stringify(rows.map((r) => r.doc)).length;
    readMs += performance.now() - t0;
    if (rows.length === 0) break;
    const last = rows.at(-1);
    if (last) cursor = [last.txid, last.id];
    const page = docs.slice(offset, offset + rows.length);
    offset += rows.length;
    await inserting;
    inserting = (async () => {
      const t1 = performance.now();
      const result = await contacts.bulkInsert(page);
      insertMs += performance.now() - t1;
      if (result.error.length > 0) throw new Error('B4 floor: bare insert failed');
    })();
  }
  await inserting;
  const ms = performance.now() - start;
  const used = cpuMs(cpu);
  const count = await contacts.count().exec();
  await rx.remove();
  if (offset !== SIZE || count !== SIZE) throw new Error(`B4 floor: read ${offset}, stored ${count} of ${SIZE}`);
  return { ms, cpuMs: used, readMs, insertMs, bytes };
}

const rate = (ms: number) => Math.round((SIZE / ms) * 1000);

export async function benchB4(): Promise<void> {
  const benchStart = performance.now();
  const server = await startBenchServer();
  try {
    const loadStart = performance.now();
    await loadContacts(server.db, SIZE);
    await caughtUp(server.db);
    const loadMs = performance.now() - loadStart;
    process.stderr.write(`B4: loaded ${SIZE} contacts in ${Math.round(loadMs)} ms\n`);
    const docs = Array.from({ length: SIZE }, (_, i) => storedContact(i));
    for (const batchSize of BATCH_SIZES) {
      const sync: { ms: number; cpuMs: number }[] = [];
      const floor: { ms: number; cpuMs: number; readMs: number; insertMs: number; bytes: number }[] = [];
      // Interleaved so machine noise hits both alike.
      for (let r = 0; r < RUNS; r++) {
        floor.push(await timeFloor(server.db, docs, batchSize));
        sync.push(await timeSync(server, batchSize));
        process.stderr.write(`B4 batch ${batchSize} run ${r + 1}: sync ${Math.round(sync.at(-1)?.ms ?? 0)} ms\n`);
      }
      const [syncMs, floorMs] = [median(sync.map((s) => s.ms)), median(floor.map((f) => f.ms))];
      const [syncCpuMs, floorCpuMs] = [median(sync.map((s) => s.cpuMs)), median(floor.map((f) => f.cpuMs))];
      emit({
        bench: 'B4',
        value: rate(syncMs),
        unit: 'rows/s',
        baseline: rate(floorMs),
        ratio: round(floorMs / syncMs),
        batchSize,
        size: SIZE,
        ...(SIZE < FULL_SIZE
          ? { sizeNote: `reduced from ${FULL_SIZE} to stay near 3 min; B4_SIZE=${FULL_SIZE} for the full run` }
          : {}),
        target: 'ratio >= 0.6 and value >= 10000',
        medianMs: {
          sync: Math.round(syncMs),
          floorPipelined: Math.round(floorMs),
          floorKeysetJson: Math.round(median(floor.map((f) => f.readMs))),
          floorBulkInsert: Math.round(median(floor.map((f) => f.insertMs))),
        },
        // CPU time of this process (client and in-process server, not Postgres): the machines are shared,
        // so wall time moves with other load; the CPU ratio much less.
        medianCpuMs: { sync: Math.round(syncCpuMs), floor: Math.round(floorCpuMs) },
        cpuRatio: round(floorCpuMs / syncCpuMs),
        floorStageRates: {
          keysetJson: rate(median(floor.map((f) => f.readMs))),
          bulkInsert: rate(median(floor.map((f) => f.insertMs))),
        },
        jsonMB: round((floor[0]?.bytes ?? 0) / 1e6, 1),
        loadMs: Math.round(loadMs),
        runs: RUNS,
        elapsedS: Math.round((performance.now() - benchStart) / 1000),
        storage: 'fake-indexeddb',
        encryption: ENCRYPTED ? 'on' : 'off (measurement only, not as shipped)',
        server: 'in-process, loopback HTTP, real Postgres',
      });
    }
  } finally {
    await server.close();
  }
}

export const benchId = 'B4';
export const run = () => benchB4();
