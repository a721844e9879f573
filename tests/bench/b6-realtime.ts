import { type Replication, startReplication } from '../../src-renderer/db/replication';
import { httpTransport } from '../../src-renderer/db/sync-transport';
import type { SyncCheckpoint } from '../../src-shared/sync/protocol';
import { openTestDb, type TestDb } from '../support/local-db';
import { contactInput, emit, median, percentile, round } from './bench-support';
import {
  type BenchServer,
  contactWireDoc,
  pullOnce,
  pushOnce,
  random,
  sleep,
  startBenchServer,
  userHeaders,
} from './sync-bench-support';

/**
 * B6: devices A and B replicate contacts live; a repository write on A (create or update) is timed
 * until B's contacts collection emits it (the change stream B's queries are updated from). Baseline:
 * the bare HTTP round trip of one document, push then pull from the latest checkpoint, interleaved
 * with the measured writes so machine noise hits both alike.
 */

const WARMUP = 20;
const WRITES = Number(process.env.B6_WRITES ?? 200);
const TIMEOUT_MS = 10_000;

interface Device {
  t: TestDb;
  sync: Replication;
}

async function device(server: BenchServer, userId: string): Promise<Device> {
  let seq = 0;
  const t = await openTestDb({
    collections: ['contacts', 'audit'],
    actor: () => ({ userId, deviceId: `dev-${userId}` }),
    // Real time: each update must carry a later updatedAt, as on a real device.
    clock: { now: () => new Date() },
    newId: () => `${userId}-${++seq}`,
    devMode: false,
  });
  const sync = startReplication(t.db, httpTransport({ baseUrl: server.url, headers: () => userHeaders(userId) }), {
    retryTime: 1000,
  });
  await sync.awaitInSync();
  return { t, sync };
}

/** Resolves with the time B's collection emits a change of `id` whose jobTitle is `marker`. */
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
        const timer = setTimeout(() => reject(new Error(`B6: ${id} ${marker} not seen on B`)), TIMEOUT_MS);
        waiting.set(`${id}|${marker}`, (at) => {
          clearTimeout(timer);
          resolve(at);
        });
      });
    },
    close: () => subscription.unsubscribe(),
  };
}

export async function benchB6(): Promise<void> {
  const server = await startBenchServer();
  const next = random(6);
  try {
    const a = await device(server, 'user-a');
    const b = await device(server, 'user-b');
    const onB = watcher(b);
    const created: string[] = [];
    const latencies: number[] = [];
    const roundTrips: number[] = [];
    let checkpoint: SyncCheckpoint | null = (await pullOnce(server.url, null, 2000)).checkpoint;
    let updates = 0;
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
        updates += k >= WARMUP ? 1 : 0;
      }
      const latency = (await visible) - start;

      // The bare round trip: push one document, pull from the latest checkpoint until it is there.
      const doc = contactWireDoc(2_000_000 + k);
      const alsoOnB = onB.seen(doc.id, String(doc.jobTitle));
      start = performance.now();
      const pushed = await pushOnce(server.url, [doc]);
      if (pushed.rejected.length > 0 || pushed.conflicts.length > 0) throw new Error('B6: bare push refused');
      for (let found = false; !found; ) {
        const page = await pullOnce(server.url, checkpoint, 100);
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
    const rejected = [...a.sync.rejected$.value, ...b.sync.rejected$.value];
    for (const d of [a, b]) {
      await d.sync.stop();
      await d.t.close();
    }
    if (rejected.length > 0) throw new Error(`B6: the server rejected ${JSON.stringify(rejected[0])}`);
    const p50 = median(latencies);
    const baseline = median(roundTrips);
    emit({
      bench: 'B6',
      value: round(percentile(latencies, 95), 1),
      unit: 'ms p95 write on A → visible on B',
      baseline: round(baseline, 1),
      ratio: round(percentile(latencies, 95) / baseline),
      p50: round(p50, 1),
      p95: round(percentile(latencies, 95), 1),
      max: round(Math.max(...latencies), 1),
      baselineP95: round(percentile(roundTrips, 95), 1),
      p50VsBaseline: round(p50 / baseline),
      writes: latencies.length,
      updates,
      target: 'p95 <= 50 ms',
      baselineIs: 'bare HTTP push + pull of one contact, p50',
      server: 'in-process, loopback HTTP, real Postgres',
    });
  } finally {
    await server.close();
  }
}

export const benchId = 'B6';
export const run = () => benchB6();
