import type { FastifyInstance } from 'fastify';
import { type Replication, startReplication } from '../../src-renderer/db/replication';
import { httpTransport } from '../../src-renderer/db/sync-transport';
import type { SyncCheckpoint } from '../../src-shared/sync/protocol';
import { createApp } from '../../sync-server/src/app';
import { createPgDatabase, type Database } from '../../sync-server/src/db/database';
import { migrate } from '../../sync-server/src/db/migrate';
import { openTestDb, type TestDb } from '../support/local-db';
import { createTestDatabase } from '../support/postgres';
import { contactInput, emit, median, percentile, round } from './bench-support';
import { contactWireDoc, pullOnce, pushOnce, random, sleep, userHeaders } from './sync-bench-support';

/**
 * B13: B6 across two sync server instances on one Postgres (issue 8, scale-out). Device A replicates
 * with instance A, device B with instance B; a repository write on A is timed until B's contacts
 * collection emits it, so the change crosses from one instance to the other through LISTEN/NOTIFY.
 * Baseline: the bare HTTP round trip, push to instance A then pull from instance B until it is there.
 */

const WARMUP = 20;
const WRITES = Number(process.env.B13_WRITES ?? 200);
const TIMEOUT_MS = 10_000;

interface Device {
  t: TestDb;
  sync: Replication;
}

async function device(url: string, userId: string): Promise<Device> {
  let seq = 0;
  const t = await openTestDb({
    collections: ['contacts', 'audit'],
    actor: () => ({ userId, deviceId: `dev-${userId}` }),
    clock: { now: () => new Date() },
    newId: () => `${userId}-${++seq}`,
    devMode: false,
  });
  const sync = startReplication(t.db, httpTransport({ baseUrl: url, headers: () => userHeaders(userId) }), {
    retryTime: 1000,
  });
  await sync.awaitInSync();
  return { t, sync };
}

function watcher(b: Device) {
  const waiting = new Map<string, (at: number) => void>();
  const subscription = b.t.db.rx.contacts.$.subscribe((event) => {
    const data = event.documentData as { jobTitle?: string } | undefined;
    const key = `${event.documentId}|${data?.jobTitle ?? ''}`;
    waiting.get(key)?.(performance.now());
    waiting.delete(key);
  });
  return {
    seen(id: string, marker: string): Promise<number> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`B13: ${id} ${marker} not seen on B`)), TIMEOUT_MS);
        waiting.set(`${id}|${marker}`, (at) => {
          clearTimeout(timer);
          resolve(at);
        });
      });
    },
    close: () => subscription.unsubscribe(),
  };
}

export async function benchB13(): Promise<void> {
  const pg = await createTestDatabase('crm_bench');
  const instances: { app: FastifyInstance; db: Database; url: string }[] = [];
  try {
    const migrator = createPgDatabase(pg.url, { max: 1 });
    await migrate(migrator);
    await migrator.close();
    for (let i = 0; i < 2; i++) {
      const db = createPgDatabase(pg.url);
      const app = createApp({ db, pingIntervalMs: 15_000 });
      instances.push({ app, db, url: await app.listen({ port: 0, host: '127.0.0.1' }) });
    }
    const [instanceA, instanceB] = instances.map((i) => i.url) as [string, string];
    const next = random(13);
    const a = await device(instanceA, 'user-a');
    const b = await device(instanceB, 'user-b');
    const onB = watcher(b);
    const created: string[] = [];
    const latencies: number[] = [];
    const roundTrips: number[] = [];
    let checkpoint: SyncCheckpoint | null = (await pullOnce(instanceB, null, 2000)).checkpoint;
    for (let k = 0; k < WARMUP + WRITES; k++) {
      const marker = `Marker ${k}`;
      const target = created.length > 0 && next() < 0.5 ? created[Math.floor(next() * created.length)] : undefined;
      let start = performance.now();
      let visible: Promise<number>;
      if (target === undefined) {
        const { id: _id, ...input } = contactInput(1_000_000 + k);
        const record = await a.t.repos.contact.create({ ...input, jobTitle: marker } as never);
        visible = onB.seen(record.id, marker);
        created.push(record.id);
      } else {
        visible = onB.seen(target, marker);
        await a.t.repos.contact.update(target, { jobTitle: marker } as never);
      }
      const latency = (await visible) - start;

      const doc = contactWireDoc(2_000_000 + k);
      const alsoOnB = onB.seen(doc.id, String(doc.jobTitle));
      start = performance.now();
      const pushed = await pushOnce(instanceA, [doc]);
      if (pushed.rejected.length > 0 || pushed.conflicts.length > 0) throw new Error('B13: bare push refused');
      for (let found = false; !found; ) {
        const page = await pullOnce(instanceB, checkpoint, 100);
        checkpoint = page.checkpoint;
        found = page.documents.some((d) => d.id === doc.id);
      }
      const roundTrip = performance.now() - start;
      await alsoOnB;
      if (k >= WARMUP) {
        latencies.push(latency);
        roundTrips.push(roundTrip);
      }
      await sleep(1 + next() * 5);
    }
    onB.close();
    for (const d of [a, b]) {
      await d.sync.stop();
      await d.t.close();
    }
    const p95 = percentile(latencies, 95);
    const baseline = median(roundTrips);
    emit({
      bench: 'B13',
      value: round(p95, 1),
      unit: 'ms p95 write on A (instance A) → visible on B (instance B)',
      baseline: round(baseline, 1),
      ratio: round(p95 / baseline),
      p50: round(median(latencies), 1),
      p95: round(p95, 1),
      max: round(Math.max(...latencies), 1),
      writes: latencies.length,
      target: 'p95 <= 50 ms (as B6)',
      baselineIs: 'bare HTTP push to instance A + pull from instance B, p50',
      server: 'two in-process instances, one real Postgres, LISTEN/NOTIFY fan-out',
    });
  } finally {
    for (const instance of instances) {
      await instance.app.close();
      await instance.db.close();
    }
    await pg.drop();
  }
}

export const benchId = 'B13';
export const run = () => benchB13();
