import http from 'node:http';
import pg from 'pg';
import { getEntity } from '../../src-shared/entities/registry';
import type { PullResponse, SyncCheckpoint, WireDoc } from '../../src-shared/sync/protocol';
import type { Queryable } from '../../sync-server/src/db/database';
import { rowToWireDoc, sameDoc } from '../../sync-server/src/sync/row-codec';
import { insertRow, updateRow } from '../../sync-server/src/sync/row-writer';
import { emit, round } from './bench-support';
import { BENCH_USER, caughtUp, contactWireDoc, random, sleep, startBenchServer } from './sync-bench-support';

/**
 * B7, the torture: 8 writer connections insert and update contacts in transactions of 1 to 3
 * statements with random pauses inside and ~10% rollbacks, while 3 pullers page through the
 * server's pull endpoint (limits 10 to 200) and reconnect at random, resuming from their saved
 * checkpoint. At the end each puller's state is compared with the committed rows: `missing` (a
 * committed row it never got) and `divergent` (it holds another version, or a row that was
 * rolled back) must both be 0. The same writers are read by a naive cursor (server_updated_at,
 * id) > checkpoint with no snapshot horizon; its misses show the test bites.
 */

const WRITERS = 8;
const PULLERS = 3;
const TRANSACTIONS = Number(process.env.B7_TRANSACTIONS ?? 120);
const contact = getEntity('contact');

interface Scenario {
  /** Ids inserted by committed transactions: updates pick among them. */
  committedIds: string[];
  writersDone: boolean;
  /** Set once every committed transaction is below the pull horizon. */
  allVisible: boolean;
  rollbacks: number;
  deadlocks: number;
  transactions: number;
}

async function writer(pool: pg.Pool, n: number, scenario: Scenario, next: () => number): Promise<void> {
  for (let t = 0; t < TRANSACTIONS; t++) {
    const client = await pool.connect();
    const tx: Queryable = {
      async query<T>(sql: string, params: readonly unknown[] = []) {
        return { rows: (await client.query(sql, params as unknown[])).rows as T[] };
      },
    };
    const inserted: string[] = [];
    try {
      await client.query('BEGIN');
      for (let r = 0; r < 1 + Math.floor(next() * 3); r++) {
        const target = scenario.committedIds[Math.floor(next() * scenario.committedIds.length)];
        const version = { jobTitle: `Version ${n}.${t}.${r}`, updatedAt: new Date().toISOString() };
        if (target === undefined || next() < 0.6) {
          const id = `w${n}_${t}_${r}`;
          await insertRow(tx, contact, contactWireDoc(n * 100_000 + t * 10 + r, { ...version, id }));
          inserted.push(id);
        } else {
          await updateRow(tx, contact, contactWireDoc(0, { ...version, id: target }));
        }
        await sleep(next() * 25);
      }
      if (next() < 0.1) {
        await client.query('ROLLBACK');
        scenario.rollbacks++;
      } else {
        await client.query('COMMIT');
        scenario.committedIds.push(...inserted);
        scenario.transactions++;
      }
    } catch (error) {
      // Two transactions updating the same two rows in opposite orders: Postgres aborts one.
      if ((error as { code?: string }).code !== '40P01') throw error;
      await client.query('ROLLBACK');
      scenario.deadlocks++;
    } finally {
      client.release();
    }
    await sleep(next() * 5);
  }
}

/** POST over a given agent: a new agent is a new TCP connection, as after a device reconnects. */
function postPull(url: string, agent: http.Agent, body: unknown): Promise<PullResponse> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${url}/sync/contacts/pull`,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          'x-user-id': BENCH_USER,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (response.statusCode !== 200) reject(new Error(`B7 pull: ${response.statusCode} ${text.slice(0, 300)}`));
          else resolve(JSON.parse(text) as PullResponse);
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

interface PullerResult {
  state: Map<string, WireDoc>;
  pages: number;
  reconnects: number;
}

async function puller(url: string, scenario: Scenario, next: () => number): Promise<PullerResult> {
  const state = new Map<string, WireDoc>();
  let agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  // Kept as a device keeps it: serialised after every page.
  let saved = JSON.stringify(null);
  let pages = 0;
  let reconnects = 0;
  for (;;) {
    const allVisible = scenario.allVisible;
    const checkpoint = JSON.parse(saved) as SyncCheckpoint | null;
    const page = await postPull(url, agent, { checkpoint, limit: 10 + Math.floor(next() * 190) });
    pages++;
    for (const doc of page.documents) state.set(doc.id, doc);
    saved = JSON.stringify(page.checkpoint);
    if (allVisible && page.documents.length === 0) break;
    if (next() < 0.05) {
      agent.destroy();
      agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      reconnects++;
      await sleep(next() * 20);
    }
    await sleep(1 + next());
  }
  agent.destroy();
  return { state, pages, reconnects };
}

const NAIVE = `SELECT id, server_updated_at::text AS k, to_jsonb(t) AS doc FROM contacts AS t
WHERE (server_updated_at, id) > ($1::timestamptz, $2) ORDER BY server_updated_at, id LIMIT 100`;

/** The cursor DESIGN.md §4 warns about: last change time then id, no snapshot horizon. */
async function naivePuller(pool: pg.Pool, scenario: Scenario): Promise<Map<string, WireDoc>> {
  const state = new Map<string, WireDoc>();
  let cursor = ['-infinity', ''];
  for (;;) {
    const writersDone = scenario.writersDone;
    const { rows } = await pool.query<{ id: string; k: string; doc: Record<string, unknown> }>(NAIVE, cursor);
    for (const row of rows) state.set(row.id, rowToWireDoc(contact, row.doc));
    const last = rows.at(-1);
    if (last) cursor = [last.k, last.id];
    if (rows.length === 0 && writersDone) return state;
    await sleep(1);
  }
}

function compare(state: Map<string, WireDoc>, committed: Map<string, WireDoc>) {
  let missing = 0;
  let divergent = 0;
  for (const [id, doc] of committed) {
    const got = state.get(id);
    if (got === undefined) missing++;
    else if (!sameDoc(got, doc)) divergent++;
  }
  const extra = [...state.keys()].filter((id) => !committed.has(id)).length;
  return { missing, divergent: divergent + extra, extra };
}

export async function benchB7(): Promise<void> {
  const seed = Number(process.env.B7_SEED ?? Date.now() % 100_000);
  const server = await startBenchServer();
  const writers = new pg.Pool({ connectionString: server.pgUrl, max: WRITERS });
  const reader = new pg.Pool({ connectionString: server.pgUrl, max: 2, options: '-c TimeZone=UTC' });
  try {
    const start = performance.now();
    const scenario: Scenario = {
      committedIds: [],
      writersDone: false,
      allVisible: false,
      rollbacks: 0,
      deadlocks: 0,
      transactions: 0,
    };
    const pulling = Promise.all(
      Array.from({ length: PULLERS }, (_, p) => puller(server.url, scenario, random(seed * 31 + p))),
    );
    const naive = naivePuller(reader, scenario);
    await Promise.all(Array.from({ length: WRITERS }, (_, n) => writer(writers, n, scenario, random(seed * 17 + n))));
    scenario.writersDone = true;
    await caughtUp(server.db, 120_000);
    scenario.allVisible = true;
    const [results, naiveState] = await Promise.all([pulling, naive]);

    const { rows } = await reader.query<{ doc: Record<string, unknown> }>('SELECT to_jsonb(t) AS doc FROM contacts t');
    const committed = new Map(rows.map((r) => [String(r.doc.id), rowToWireDoc(contact, r.doc)]));
    const lost = scenario.committedIds.filter((id) => !committed.has(id));
    if (lost.length > 0) throw new Error(`B7: ${lost.length} committed inserts are not in the table`);
    const perPuller = results.map((r) => ({
      ...compare(r.state, committed),
      pages: r.pages,
      reconnects: r.reconnects,
    }));
    const naiveResult = compare(naiveState, committed);
    const missing = perPuller.reduce((sum, p) => sum + p.missing, 0);
    const divergent = perPuller.reduce((sum, p) => sum + p.divergent, 0);
    emit({
      bench: 'B7',
      value: missing,
      unit: 'missing rows',
      baseline: naiveResult.missing,
      ratio: naiveResult.missing === 0 ? 0 : round(missing / naiveResult.missing, 3),
      missing,
      divergent,
      naiveMissing: naiveResult.missing,
      naiveDivergent: naiveResult.divergent,
      committed: committed.size,
      committedTransactions: scenario.transactions,
      rollbacks: scenario.rollbacks,
      deadlocks: scenario.deadlocks,
      perPuller,
      writers: WRITERS,
      pullers: PULLERS,
      seed,
      elapsedS: round((performance.now() - start) / 1000, 1),
      target: 'missing = 0, divergent = 0, naiveMissing > 0',
    });
  } finally {
    await writers.end();
    await reader.end();
    await server.close();
  }
}

export const benchId = 'B7';
export const run = () => benchB7();
