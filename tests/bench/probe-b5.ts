/**
 * Where a B5 push batch's time goes (not a benchmark: `npm run bench` does not run it). Seeds
 * B5_ROWS contacts, then pushes an edit of each over HTTP in batches of B5_BATCH, B5_RUNS times, as
 * B5 does. Prints per run the wall time, this process's CPU time (server and client) and the CPU
 * time of the test database's Postgres backends (from /proc: Postgres on this machine), and for the
 * last run every statement per batch with its count and time (as the server waited for it).
 * Load-independent enough to compare two trees on a busy machine, which B5's wall clock is not.
 *   B5_EXPLAIN=1   EXPLAIN ANALYZE of the costliest statements with their last parameters (rolled back)
 *   B5_PROFILE=F   a CPU profile of the measured runs, written to F (open in Chrome DevTools)
 *   B5_KEEP=1      keep the test database (its name is printed)
 * For a profile of the whole process: node --cpu-prof --cpu-prof-dir=DIR --import tsx tests/bench/probe-b5.ts
 */

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { PushResponse, PushRow, WireDoc } from '../../src-shared/sync/protocol';
import { createApp } from '../../sync-server/src/app';
import { createPgDatabase, type Database, type Queryable } from '../../sync-server/src/db/database';
import { migrate } from '../../sync-server/src/db/migrate';
import { createTestDatabase } from '../support/postgres';
import { storedContact } from './bench-support';

const ROWS = Number(process.env.B5_ROWS ?? 2000);
const BATCH = Number(process.env.B5_BATCH ?? 500);
const RUNS = Number(process.env.B5_RUNS ?? 3);

type Stat = { n: number; ms: number; sql?: string; params?: readonly unknown[] };
const stats = new Map<string, Stat>();
let counting = false;
let transactions = 0;

function label(sql: string): string {
  return sql.replace(/\s+/g, ' ').slice(0, 90);
}

function timed(q: Queryable): Queryable {
  return {
    async query<T>(sql: string, params?: readonly unknown[]) {
      const started = performance.now();
      try {
        return await q.query<T>(sql, params);
      } finally {
        if (counting) {
          const s = stats.get(label(sql)) ?? { n: 0, ms: 0 };
          s.n++;
          s.ms += performance.now() - started;
          s.sql = sql;
          s.params = params;
          stats.set(label(sql), s);
        }
      }
    },
  };
}

function counted(db: Database): Database {
  return {
    ...db,
    ...timed(db),
    transaction: (fn) =>
      db.transaction((tx) => {
        if (counting) transactions++;
        return fn(timed(tx));
      }),
  };
}

async function pushBatch(url: string, rows: PushRow[]): Promise<PushResponse> {
  const response = await fetch(`${url}/sync/contacts/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-user-id': 'user-bench' },
    body: JSON.stringify({ rows }),
  });
  if (response.status !== 200) throw new Error(`push: ${response.status} ${await response.text()}`);
  return (await response.json()) as PushResponse;
}

/** EXPLAIN ANALYZE of the costliest statements with their last parameters, each rolled back. */
async function explain(db: Database): Promise<void> {
  const rolledBack = new Error('rolled back');
  for (const [, s] of [...stats.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 4)) {
    if (!s.sql) continue;
    await db
      .transaction(async (tx) => {
        // Audit entries are insert-only: fresh ids, so the insert is explained rather than refused.
        const params = s.params?.map((p) => (typeof p === 'string' ? p.replaceAll('"id":"srv_', '"id":"xpl_') : p));
        const { rows } = await tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${s.sql}`, params);
        console.log(rows.map((r) => r['QUERY PLAN']).join('\n'));
        throw rolledBack;
      })
      .catch((error: unknown) => {
        if (error !== rolledBack) console.log(`EXPLAIN failed: ${String(error)}`);
      });
  }
}

/** CPU time (ms) of this database's Postgres backends so far, from /proc (Linux, server on this machine). */
function backendCpuMs(name: string): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes(`: postgres ${name} `)) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended meanwhile.
    }
  }
  return ticks * 10;
}

async function main(): Promise<void> {
  const test = await createTestDatabase('crm_probe_b5');
  const raw = createPgDatabase(test.url);
  const db = counted(raw);
  const app = createApp({ db });
  try {
    await migrate(raw);
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    let docs = Array.from({ length: ROWS }, (_, i) => ({ ...storedContact(i), _deleted: false }) as WireDoc);
    for (let i = 0; i < ROWS; i += BATCH) {
      await pushBatch(
        url,
        docs.slice(i, i + BATCH).map((d) => ({ newDocumentState: d })),
      );
    }
    const session = new Session();
    if (process.env.B5_PROFILE) {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 200 });
      await session.post('Profiler.start');
    }
    const perRun: { ms: number; cpuMs: number; pgCpuMs: number }[] = [];
    for (let run = 1; run <= RUNS; run++) {
      const updatedAt = new Date(Date.UTC(2026, 2, 1) + run * 60_000).toISOString();
      const edited = docs.map((d, i) => ({ ...d, jobTitle: `Head (${run})`, phone: `+1 555 ${i + run}`, updatedAt }));
      if (run === RUNS) counting = true;
      const cpu = process.cpuUsage();
      const pgCpu = backendCpuMs(test.name);
      const started = performance.now();
      for (let i = 0; i < ROWS; i += BATCH) {
        const reply = await pushBatch(
          url,
          edited.slice(i, i + BATCH).map((d, k) => ({ newDocumentState: d, assumedMasterState: docs[i + k] })),
        );
        if (reply.conflicts.length + reply.rejected.length > 0) throw new Error('unexpected conflicts');
      }
      const used = process.cpuUsage(cpu);
      perRun.push({
        ms: Math.round(performance.now() - started),
        cpuMs: Math.round((used.user + used.system) / 1000),
        pgCpuMs: backendCpuMs(test.name) - pgCpu,
      });
      docs = edited;
    }
    counting = false;
    if (process.env.B5_PROFILE) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(process.env.B5_PROFILE, JSON.stringify(profile));
    }
    const batches = ROWS / BATCH;
    console.log(JSON.stringify({ rows: ROWS, batch: BATCH, perRun, transactionsPerBatch: transactions / batches }));
    let total = 0;
    let statements = 0;
    for (const [sql, s] of [...stats.entries()].sort((a, b) => b[1].ms - a[1].ms)) {
      total += s.ms;
      statements += s.n;
      console.log(
        `${(s.n / batches).toFixed(1).padStart(5)}/batch ${(s.ms / batches).toFixed(1).padStart(7)} ms  ${sql}`,
      );
    }
    console.log(
      `statements/batch ${statements / batches}, db ms/batch ${(total / batches).toFixed(1)} (excl. BEGIN/COMMIT)`,
    );
    if (process.env.B5_EXPLAIN) await explain(raw);
  } finally {
    await app.close();
    await raw.close();
    if (process.env.B5_KEEP) console.log(`kept ${test.name}`);
    else await test.drop();
  }
}

await main();
