import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { describe, expect, it, onTestFinished } from 'vitest';
import { getEntity } from '../../src-shared/entities/registry';
import type { SyncCheckpoint } from '../../src-shared/sync/protocol';
import { type AppOptions, createApp } from '../../sync-server/src/app';
import { createPgDatabase, type Database } from '../../sync-server/src/db/database';
import { migrate } from '../../sync-server/src/db/migrate';
import { CHANGES_CHANNEL, type ChangesPayload } from '../../sync-server/src/sync/instance-fanout';
import { createMigratedPglite, createMigratedTestDatabase } from '../support/migrated-databases';
import { pullPage, pushRows, sampleDoc } from './sync-server-fixtures';

/**
 * Scale-out (issue 8): two sync server instances, each with its own pool as two processes would
 * have, on one Postgres database. A device streams from instance A; writes go through instance B.
 */

interface Instance {
  app: FastifyInstance;
  db: Database;
  url: string;
}

async function twoInstances(options: Partial<AppOptions> = {}) {
  const test = await createMigratedTestDatabase('crm_multi');
  // As the server does on start: nothing to apply on the copy, but it gets an epoch of its own.
  const migrator = createPgDatabase(test.url, { max: 1 });
  await migrate(migrator);
  await migrator.close();
  const instances: Instance[] = [];
  onTestFinished(async () => {
    for (const instance of instances) {
      await instance.app.close();
      await instance.db.close();
    }
    await test.drop();
  });
  for (let i = 0; i < 2; i++) {
    const db = createPgDatabase(test.url);
    const app = createApp({ db, pingIntervalMs: 60_000, ...options });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    instances.push({ app, db, url });
  }
  const [a, b] = instances as [Instance, Instance];
  return { a, b, pgUrl: test.url };
}

interface Frame {
  collection: string;
  at: number;
}

/** A device's live stream: every `data:` frame with the time it arrived. */
async function openStream(url: string) {
  const abort = new AbortController();
  onTestFinished(() => abort.abort());
  const response = await fetch(`${url}/sync/stream`, { signal: abort.signal });
  const reader = response.body?.pipeThrough(new TextDecoderStream()).getReader();
  if (!reader) throw new Error('no body');
  const frames: Frame[] = [];
  const listeners = new Set<(frame: Frame) => void>();
  let connected: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    connected = resolve;
  });
  void (async () => {
    let buffer = '';
    try {
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) return;
        const at = performance.now();
        buffer += chunk.value;
        const parts = buffer.split('\n\n');
        buffer = parts.pop() ?? '';
        for (const part of parts) {
          if (part.startsWith(': connected')) connected();
          if (!part.startsWith('data: ')) continue;
          const frame = { collection: (JSON.parse(part.slice(6)) as { collection: string }).collection, at };
          frames.push(frame);
          for (const listener of listeners) listener(frame);
        }
      }
    } catch {
      // Aborted when the test ends.
    }
  })();
  await ready;
  return {
    frames,
    /** The first frame for `collection` from now on. */
    next(collection: string, timeoutMs = 20_000): Promise<Frame> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(listener);
          reject(new Error(`no ${collection} event within ${timeoutMs} ms`));
        }, timeoutMs);
        const listener = (frame: Frame) => {
          if (frame.collection !== collection) return;
          clearTimeout(timer);
          listeners.delete(listener);
          resolve(frame);
        };
        listeners.add(listener);
      });
    },
    onFrame(listener: (frame: Frame) => void) {
      listeners.add(listener);
    },
  };
}

/** A device's pull loop on one collection: from its checkpoint until a page comes back empty. */
function puller(app: FastifyInstance, collection: string) {
  let checkpoint: SyncCheckpoint | null = null;
  const seen = new Set<string>();
  return {
    seen,
    async pull(): Promise<void> {
      for (;;) {
        const page = await pullPage(app, collection, checkpoint, 500);
        if (page.status !== 200) throw new Error(`pull ${page.status}`);
        for (const doc of page.body.documents) seen.add(doc.id);
        checkpoint = page.body.checkpoint;
        if (page.body.documents.length === 0) return;
      }
    },
  };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** A third connection counting what goes over the channel. */
async function channelSpy(pgUrl: string) {
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  onTestFinished(() => client.end());
  const payloads: ChangesPayload[] = [];
  client.on('notification', (message) => {
    if (message.channel === CHANGES_CHANNEL) payloads.push(JSON.parse(message.payload ?? '{}') as ChangesPayload);
  });
  await client.query(`LISTEN ${CHANGES_CHANNEL}`);
  return { client, payloads };
}

const contact = getEntity('contact');
const task = getEntity('task');

describe('several sync server instances on one Postgres', () => {
  it('on embedded PGlite (one process) there is nothing to fan out to: streams are woken locally as before', async () => {
    const db = await createMigratedPglite();
    onTestFinished(() => db.close());
    expect(db.newClient).toBeUndefined();
    await migrate(db);
    const app = createApp({ db, pingIntervalMs: 60_000 });
    onTestFinished(() => app.close());
    const stream = await openStream(await app.listen({ port: 0, host: '127.0.0.1' }));
    const event = stream.next('tasks');
    await pushRows(app, 'tasks', [{ newDocumentState: sampleDoc(task, 't1') }]);
    await event;
  }, 120_000);

  it('a device streaming from instance A sees a push made through instance B (latency measured)', async () => {
    const { a, b } = await twoInstances();
    const stream = await openStream(a.url);
    const device = puller(a.app, 'contacts');
    await device.pull();
    const WRITES = 50;
    const remote: number[] = [];
    const remoteVisible: number[] = [];
    const local: number[] = [];
    const localAfterPush: number[] = [];
    const remoteAfterPush: number[] = [];
    for (let i = 0; i < WRITES + 5; i++) {
      // Interleaved: a push through A itself (one instance, the baseline) and one through B.
      for (const [via, times] of [
        [a, local],
        [b, remote],
      ] as const) {
        const id = `c_${via === a ? 'a' : 'b'}_${i}`;
        const event = stream.next('contacts');
        const start = performance.now();
        const reply = await pushRows(via.app, 'contacts', [{ newDocumentState: sampleDoc(contact, id) }]);
        const pushed = performance.now();
        expect(reply.status).toBe(200);
        const frame = await event;
        await device.pull();
        expect(device.seen.has(id), id).toBe(true);
        // The first few warm up connections and prepared statements.
        if (i < 5) continue;
        times.push(frame.at - start);
        if (via === b) remoteVisible.push(performance.now() - start);
        (via === a ? localAfterPush : remoteAfterPush).push(Math.max(0, frame.at - pushed));
      }
    }
    const report = {
      viaB: { p50: percentile(remote, 50), p95: percentile(remote, 95) },
      viaBPulled: { p50: percentile(remoteVisible, 50), p95: percentile(remoteVisible, 95) },
      viaA: { p50: percentile(local, 50), p95: percentile(local, 95) },
      // From the push's reply to the event: what the fan-out adds over the local wake-up.
      viaBAfterReply: { p50: percentile(remoteAfterPush, 50), p95: percentile(remoteAfterPush, 95) },
      viaAAfterReply: { p50: percentile(localAfterPush, 50), p95: percentile(localAfterPush, 95) },
    };
    console.log(`multi-instance realtime (push start → event on A's stream, ms): ${JSON.stringify(report)}`);
    // The realtime target (B6: p95 <= 50 ms) is the benchmark's (tests/bench/b13-two-instances.ts) to
    // judge on a quiet machine; here every write arrived, and the typical one about as fast as through A.
    expect(report.viaB.p50).toBeLessThan(report.viaA.p50 + 250);
  }, 240_000);

  it('opens the LISTEN connection again when it is dropped and wakes every stream once', async () => {
    const { a, b, pgUrl } = await twoInstances({ fanout: { minBackoffMs: 20, maxBackoffMs: 200 } });
    const stream = await openStream(a.url);
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    onTestFinished(() => admin.end());
    const listeners = async () =>
      (
        await admin.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query = $1`,
          [`LISTEN ${CHANGES_CHANNEL}`],
        )
      ).rows.map((r) => r.pid);
    const before = await listeners();
    expect(before).toHaveLength(2);
    // Missed while down: a write announced while A was not listening must still reach A's devices.
    const woken = stream.next('tasks');
    const alsoContacts = stream.next('contacts');
    await admin.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [before]);
    await woken;
    await alsoContacts;
    // Listening again, on new connections; and the fan-out works as before.
    await expect.poll(listeners, { timeout: 5000 }).toHaveLength(2);
    expect((await listeners()).some((pid) => before.includes(pid))).toBe(false);
    const event = stream.next('tasks');
    await pushRows(b.app, 'tasks', [{ newDocumentState: sampleDoc(task, 't_after') }]);
    await event;
  });

  it('coalesces the notifications of a burst of writes, and a device still misses none of them', async () => {
    const WINDOW_MS = 50;
    const { a, b, pgUrl } = await twoInstances({ fanout: { windowMs: WINDOW_MS } });
    const spy = await channelSpy(pgUrl);
    const stream = await openStream(a.url);
    const device = puller(a.app, 'contacts');
    // The device pulls on each event, one pull at a time, as the renderer's replication does.
    let pulling = Promise.resolve();
    stream.onFrame((frame) => {
      if (frame.collection === 'contacts') pulling = pulling.then(() => device.pull());
    });
    // One after the other, contacts and tasks in turn: each push is announced on its own (overlapping
    // pushes hold the horizon back and are announced together anyway), so only the window coalesces.
    const WRITES = 200;
    const start = performance.now();
    for (let i = 0; i < WRITES; i++) {
      const reply = await pushRows(b.app, 'contacts', [{ newDocumentState: sampleDoc(contact, `burst_${i}`) }]);
      expect(reply.status).toBe(200);
      await pushRows(b.app, 'tasks', [{ newDocumentState: sampleDoc(task, `burst_t${i}`) }]);
    }
    const elapsed = performance.now() - start;
    await expect.poll(() => device.seen.size, { timeout: 5000 }).toBe(WRITES);
    await pulling;
    const sent = spy.payloads.length;
    const both = spy.payloads.filter((p) => p.collections.includes('contacts') && p.collections.includes('tasks'));
    console.log(
      `burst: ${WRITES * 2} pushes in ${elapsed.toFixed(0)} ms → ${sent} notifications (${both.length} naming both collections), ${stream.frames.length} events on A`,
    );
    expect(sent).toBeGreaterThan(0);
    // At most one per window (plus the one sent at once and the one closing the burst): far fewer than writes.
    expect(sent).toBeLessThanOrEqual(Math.ceil(elapsed / WINDOW_MS) + 2);
    expect(sent).toBeLessThan(WRITES); // 2 × WRITES pushes, each announced
    expect(both.length).toBeGreaterThan(0);
    // Nothing of the burst went through A, so A sent nothing.
    expect(new Set(spy.payloads.map((p) => p.from)).size).toBe(1);
  }, 120_000);
});
