/**
 * Where B4's time goes (not a benchmark: `npm run bench` does not run it). One initial sync of
 * B4_SIZE contacts with batch B4_BATCH; prints CPU time, a pull timeline, every multi-document
 * storage call of the device (when, which store, how many documents, how long) and totals per
 * storage call and per server query. For a profile:
 *   node --cpu-prof --cpu-prof-dir=DIR --import tsx tests/bench/probe-b4.ts
 * and read the samples between the printed `window` start and end (ms since the process started).
 */
import { RxStorageInstanceDexie } from 'rxdb/plugins/storage-dexie';
import { startReplication } from '../../src-renderer/db/replication';
import { httpTransport } from '../../src-renderer/db/sync-transport';
import { openTestDb } from '../support/local-db';
import { caughtUp, loadContacts, startBenchServer, userHeaders } from './sync-bench-support';

const SIZE = Number(process.env.B4_SIZE ?? 20_000);
const BATCH = Number(process.env.B4_BATCH ?? 1000);

type Stat = { n: number; ms: number; docs: number; max: number };
const calls: string[] = [];
let start = 0;
const stats = new Map<string, Stat>();
const add = (key: string, ms: number, docs = 0) => {
  const s = stats.get(key) ?? { n: 0, ms: 0, docs: 0, max: 0 };
  s.n++;
  s.ms += ms;
  s.docs += docs;
  s.max = Math.max(s.max, ms);
  stats.set(key, s);
};
// biome-ignore lint/suspicious/noExplicitAny: probe patches a class prototype
const proto = RxStorageInstanceDexie.prototype as any;
for (const m of ['bulkWrite', 'findDocumentsById', 'query', 'count', 'getChangedDocumentsSince']) {
  const orig = proto[m];
  if (!orig) continue;
  proto[m] = async function (this: { collectionName: string }, ...args: unknown[]) {
    const t = performance.now();
    const r = await orig.apply(this, args);
    const ctx = m === 'bulkWrite' ? `:${String(args[1]).slice(0, 40)}` : '';
    const dt = performance.now() - t;
    const n = Array.isArray(args[0]) ? args[0].length : 0;
    add(`${this.collectionName.slice(0, 40)}.${m}${ctx}`, dt, n);
    if (n > 1)
      calls.push(
        `${Math.round(t - start)}ms ${this.collectionName.slice(0, 12)}.${m}${ctx.slice(0, 20)} n=${n} ${Math.round(dt)}ms ${((dt / n) * 1000).toFixed(0)}us/doc`,
      );
    return r;
  };
}

const server = await startBenchServer();
await loadContacts(server.db, SIZE);
await caughtUp(server.db);
const origQuery = server.db.query.bind(server.db);
// biome-ignore lint/suspicious/noExplicitAny: probe
(server.db as any).query = async (sql: string, params?: unknown[]) => {
  const t = performance.now();
  const r = await origQuery(sql, params as never);
  add(
    sql.includes('WITH params') ? 'server.pullSQL' : `server.sql:${sql.slice(0, 30).replace(/\s+/g, ' ')}`,
    performance.now() - t,
  );
  return r;
};
const t = await openTestDb({
  collections: ['contacts'],
  actor: () => ({ userId: 'user-bench', deviceId: 'p' }),
  devMode: false,
});
const base = httpTransport({ baseUrl: server.url, headers: () => userHeaders() });
const timeline: string[] = [];
start = performance.now();
const cpu0 = process.cpuUsage();
let pulled = 0;
const transport = {
  ...base,
  async pull(c: never, req: never) {
    const t0 = performance.now();
    const r = await base.pull(c, req);
    const dt = performance.now() - t0;
    add('client.pull-http', dt, r.documents.length);
    pulled += r.documents.length;
    if (pulled % 5000 < BATCH || r.documents.length < BATCH)
      timeline.push(`${Math.round(t0 - start)}ms pulled=${pulled} http=${Math.round(dt)}`);
    return r;
  },
};
const sync = startReplication(t.db, transport, { batchSize: BATCH });
await sync.awaitInSync();
const ms = performance.now() - start;
const cpu = process.cpuUsage(cpu0);
console.log(
  `cpu ${Math.round((cpu.user + cpu.system) / 1000)} ms user ${Math.round(cpu.user / 1000)} heap ${Math.round(process.memoryUsage().heapUsed / 1e6)} MB`,
);
await sync.stop();
console.log(
  `sync ${SIZE} in ${Math.round(ms)} ms = ${Math.round((SIZE / ms) * 1000)} rows/s window ${Math.round(start)} ${Math.round(start + ms)}`,
);
console.log(timeline.join('\n'));
console.log(calls.join('\n'));
for (const [k, s] of [...stats].sort((a, b) => b[1].ms - a[1].ms))
  console.log(
    `${k.padEnd(70)} n=${s.n} total=${Math.round(s.ms)} avg=${(s.ms / s.n).toFixed(1)} max=${Math.round(s.max)} docs=${s.docs}`,
  );
await t.close();
await server.close();
process.exit(0);
