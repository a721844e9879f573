import pg from 'pg';
import { describe, expect, it, onTestFinished } from 'vitest';
import { COLLECTION_ENTITIES, getEntity } from '../../src-shared/entities/registry';
import type { SyncCheckpoint } from '../../src-shared/sync/protocol';
import type { Queryable } from '../../sync-server/src/db/database';
import { insertRow, updateRow } from '../../sync-server/src/sync/row-writer';
import { createMigratedTestDatabase } from '../support/migrated-databases';
import { seededRandom as random } from '../support/sync-horizon';
import { BACKENDS, caughtUp, pullPage, sampleDoc, startServer } from './sync-server-fixtures';

const ACTIVITY_KINDS = COLLECTION_ENTITIES.activities;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(BACKENDS)('pull cursor on $name', (backend) => {
  it('pages through 5,000 rows of six tables with small limits, each row exactly once', async () => {
    const db = await backend.open();
    const app = await startServer(db);
    const ids: string[] = [];
    // Ten transactions of 500 rows spread over every table of the collection: many rows share a
    // txid, so pages end inside a transaction and the id breaks the tie.
    for (let t = 0; t < 10; t++) {
      await db.transaction(async (tx) => {
        for (let i = 0; i < 500; i++) {
          const entity = ACTIVITY_KINDS[(t * 500 + i) % ACTIVITY_KINDS.length];
          if (!entity) throw new Error('no entity');
          const id = `a${String((i * 7919 + t) % 5000).padStart(4, '0')}_${t}`;
          await insertRow(tx, entity, sampleDoc(entity, id));
          ids.push(id);
        }
      });
    }
    await caughtUp(db);
    const limits = [1, 7, 50, 333, 13];
    const seen: string[] = [];
    let checkpoint: SyncCheckpoint | null = null;
    for (let page = 0; ; page++) {
      const reply = await pullPage(app, 'activities', checkpoint, limits[page % limits.length] ?? 1);
      expect(reply.status).toBe(200);
      seen.push(...reply.body.documents.map((d) => d.id));
      checkpoint = reply.body.checkpoint;
      if (reply.body.documents.length === 0) break;
    }
    expect(seen).toHaveLength(5000);
    expect(new Set(seen).size).toBe(5000);
    expect([...seen].sort()).toEqual([...ids].sort());

    // Updated rows come again, after the checkpoint, and only they.
    const note = getEntity('note');
    const updated = ids.filter((_, i) => ACTIVITY_KINDS[i % ACTIVITY_KINDS.length] === note).slice(0, 40);
    await db.transaction(async (tx) => {
      for (const id of updated) await updateRow(tx, note, sampleDoc(note, id, { body: 'edited' }));
    });
    await caughtUp(db);
    const after = await pullPage(app, 'activities', checkpoint, 2000);
    expect(after.body.documents.map((d) => d.id).sort()).toEqual([...updated].sort());
  });
});

interface Scenario {
  committed: Set<string>;
  done: boolean;
}

/** One writer connection: transactions of 1 to 3 rows, random pauses inside them, one in five rolled back. */
async function writer(url: string, n: number, scenario: Scenario, next: () => number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const tx: Queryable = {
    async query<T>(sql: string, params: readonly unknown[] = []) {
      return { rows: (await client.query(sql, params as unknown[])).rows as T[] };
    },
  };
  const contact = getEntity('contact');
  try {
    for (let t = 0; t < 30; t++) {
      await client.query('BEGIN');
      const ids: string[] = [];
      for (let r = 0; r < 1 + Math.floor(next() * 3); r++) {
        const id = `w${n}_${t}_${r}`;
        await insertRow(tx, contact, sampleDoc(contact, id));
        ids.push(id);
        await sleep(next() * 25);
      }
      if (next() < 0.2) {
        await client.query('ROLLBACK');
      } else {
        await client.query('COMMIT');
        for (const id of ids) scenario.committed.add(id);
      }
      await sleep(next() * 5);
    }
  } finally {
    await client.end();
  }
}

/**
 * Cursors DESIGN.md §4 warns about, polled like the real one: by last change time then id, and by
 * txid then id without the `< xmin` horizon (which shows the horizon is what keeps rows from being skipped).
 */
const NAIVE = {
  time: `SELECT id, server_updated_at::text AS k FROM contacts
    WHERE (server_updated_at, id) > ($1::timestamptz, $2) ORDER BY server_updated_at, id LIMIT 20`,
  txid: `SELECT id, sync_txid::text AS k FROM contacts
    WHERE (sync_txid, id) > ($1::xid8, $2) ORDER BY sync_txid, id LIMIT 20`,
};

async function naivePuller(pool: pg.Pool, sql: string, start: string, scenario: Scenario): Promise<Set<string>> {
  const seen = new Set<string>();
  let cursor: [string, string] = [start, ''];
  for (;;) {
    const writersDone = scenario.done;
    const { rows } = await pool.query<{ id: string; k: string }>(sql, cursor);
    for (const row of rows) seen.add(row.id);
    const last = rows.at(-1);
    if (last) cursor = [last.k, last.id];
    if (rows.length === 0 && writersDone) return seen;
    await sleep(1);
  }
}

describe('pull cursor under concurrent writers (Postgres)', () => {
  it('serves every committed row exactly once, where a naive cursor misses some', async () => {
    const seed = Number(process.env.SYNC_CURSOR_SEED ?? Date.now() % 100_000);
    const next = random(seed);
    const test = await createMigratedTestDatabase('crm_sync');
    const { createPgDatabase } = await import('../../sync-server/src/db/database');
    const db = createPgDatabase(test.url);
    onTestFinished(async () => {
      await db.close();
      await test.drop();
    });
    const app = await startServer(db);
    const scenario: Scenario = { committed: new Set(), done: false };

    const safe = (async () => {
      const seen: string[] = [];
      let checkpoint: SyncCheckpoint | null = null;
      const deadline = () => scenario.done && Date.now();
      let doneAt: number | false = false;
      for (;;) {
        const reply = await pullPage(app, 'contacts', checkpoint, 20);
        seen.push(...reply.body.documents.map((d) => d.id));
        checkpoint = reply.body.checkpoint;
        doneAt = doneAt || deadline();
        // Once writers are done, drain until everything committed has arrived (or 20 s pass).
        if (doneAt && reply.body.documents.length === 0) {
          if (seen.length >= scenario.committed.size || Date.now() - doneAt > 20_000) return seen;
        }
        await sleep(1);
      }
    })();
    const naive = Promise.all([
      naivePuller(test.pool, NAIVE.time, '-infinity', scenario),
      naivePuller(test.pool, NAIVE.txid, '0', scenario),
    ]);
    await Promise.all(Array.from({ length: 8 }, (_, n) => writer(test.url, n, scenario, next)));
    scenario.done = true;
    const [safeSeen, [byTime, byTxid]] = await Promise.all([safe, naive]);

    const committed = [...scenario.committed].sort();
    const missedByTime = committed.filter((id) => !byTime.has(id)).length;
    const missedByTxid = committed.filter((id) => !byTxid.has(id)).length;
    console.log(
      `cursor test (seed ${seed}): 8 writers committed ${committed.length} rows; the xmin cursor served ` +
        `${safeSeen.length}; naive cursors missed ${missedByTime} (by time) and ${missedByTxid} (by txid, no horizon)`,
    );
    expect(committed.length, `seed ${seed}`).toBeGreaterThan(200);
    expect([...safeSeen].sort(), `seed ${seed}`).toEqual(committed);
    expect(missedByTime, `seed ${seed}: the time cursor should have missed rows`).toBeGreaterThan(0);
    expect(missedByTxid, `seed ${seed}: the txid cursor without horizon should have missed rows`).toBeGreaterThan(0);
  });
});
