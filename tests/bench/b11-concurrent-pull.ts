import type { PullResponse, SyncCheckpoint } from '../../src-shared/sync/protocol';
import { createPgDatabase, type Queryable } from '../../sync-server/src/db/database';
import { emit, median, round } from './bench-support';
import { type BenchServer, caughtUp, loadContacts, startBenchServer, userHeaders } from './sync-bench-support';

/**
 * B11: 50 clients pull the whole contacts table at once from an empty checkpoint, each following
 * its checkpoint in pages of 1,000 until an empty page; total rows/s across clients. Baseline, in
 * the same run: 50 clients doing the raw keyset read (to_jsonb + JSON of every page, so it also pays
 * the serialization a response needs) through a pool as large as the server's. Target: ratio >= 0.7.
 *
 * The clients are plain HTTP pullers, not RxDB devices: the question is the server under load, so
 * nothing is stored client-side. They still parse each response (they need the checkpoint, and a
 * real device needs the documents), which the baseline does not; `clientParseMs` shows that share.
 * Clients, server and baseline share one process, as in the other sync benches.
 */
const SIZE = Number(process.env.B11_SIZE ?? 20_000);
const CLIENTS = Number(process.env.B11_CLIENTS ?? 50);
const RUNS = Number(process.env.B11_RUNS ?? 3);
const LIMIT = 1000;
/** createPgDatabase's default, which is what startTestServer gives the server. */
const POOL_SIZE = 10;

const KEYSET = `SELECT sync_txid::text AS txid, id, to_jsonb(t) AS doc FROM contacts AS t
WHERE (sync_txid, id) > ($1::text::xid8, $2::text) ORDER BY sync_txid, id LIMIT $3::int`;

interface ClientResult {
  rows: number;
  parseMs: number;
}

async function httpClient(server: BenchServer): Promise<ClientResult> {
  let checkpoint: SyncCheckpoint | null = null;
  let rows = 0;
  let parseMs = 0;
  for (;;) {
    const response = await fetch(`${server.url}/sync/contacts/pull`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...userHeaders() },
      body: JSON.stringify({ checkpoint, limit: LIMIT }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`B11 pull: ${response.status} ${text.slice(0, 300)}`);
    const t0 = performance.now();
    const page = JSON.parse(text) as PullResponse;
    parseMs += performance.now() - t0;
    if (page.documents.length === 0) return { rows, parseMs };
    rows += page.documents.length;
    checkpoint = page.checkpoint;
  }
}

async function keysetClient(db: Queryable): Promise<ClientResult> {
  let cursor = ['0', ''];
  let rows = 0;
  for (;;) {
    const page = await db.query<{ txid: string; id: string; doc: unknown }>(KEYSET, [...cursor, LIMIT]);
    JSON.stringify(page.rows.map((r) => r.doc));
    const last = page.rows.at(-1);
    if (last === undefined) return { rows, parseMs: 0 };
    rows += page.rows.length;
    cursor = [last.txid, last.id];
  }
}

async function timeClients(clients: number, client: () => Promise<ClientResult>) {
  const start = performance.now();
  const results = await Promise.all(Array.from({ length: clients }, client));
  const ms = performance.now() - start;
  const short = results.find((r) => r.rows !== SIZE);
  if (short !== undefined) throw new Error(`B11: a client got ${short.rows} of ${SIZE} rows`);
  return { ms, parseMs: results.reduce((sum, r) => sum + r.parseMs, 0) };
}

export async function benchB11(): Promise<void> {
  const benchStart = performance.now();
  const server = await startBenchServer();
  const raw = createPgDatabase(server.pgUrl, { max: POOL_SIZE });
  try {
    await loadContacts(server.db, SIZE);
    await caughtUp(server.db);
    // Warm both paths (JIT, prepared statements, pool connections, keep-alive sockets) unmeasured.
    await timeClients(POOL_SIZE, () => keysetClient(raw));
    await timeClients(POOL_SIZE, () => httpClient(server));
    const ours: number[] = [];
    const parse: number[] = [];
    const base: number[] = [];
    // Interleaved, and the order alternates, so machine noise and warm caches favour neither.
    for (let r = 0; r < RUNS; r++) {
      for (const side of r % 2 === 0 ? ['raw', 'http'] : ['http', 'raw']) {
        if (side === 'raw') {
          base.push((await timeClients(CLIENTS, () => keysetClient(raw))).ms);
        } else {
          const t = await timeClients(CLIENTS, () => httpClient(server));
          ours.push(t.ms);
          parse.push(t.parseMs);
        }
      }
      process.stderr.write(
        `B11 run ${r + 1}: http ${Math.round(ours.at(-1) ?? 0)} ms, raw ${Math.round(base.at(-1) ?? 0)} ms\n`,
      );
    }
    const rate = (ms: number) => Math.round(((CLIENTS * SIZE) / ms) * 1000);
    const [oursMs, baseMs] = [median(ours), median(base)];
    emit({
      bench: 'B11',
      value: rate(oursMs),
      unit: 'rows/s',
      baseline: rate(baseMs),
      ratio: round(baseMs / oursMs),
      clients: CLIENTS,
      rows: SIZE,
      runs: RUNS,
      target: '>= 0.7',
      pageLimit: LIMIT,
      poolSize: POOL_SIZE,
      medianMs: { http: Math.round(oursMs), raw: Math.round(baseMs) },
      // Summed over clients: CPU the pullers spend on JSON.parse, which the baseline does not pay.
      clientParseMs: Math.round(median(parse)),
      elapsedS: Math.round((performance.now() - benchStart) / 1000),
      clientsAre: 'plain HTTP pullers (fetch), not RxDB',
      baselineIs: 'keyset SELECT to_jsonb + JSON.stringify per page, same pool size as the server',
      server: 'in-process, loopback HTTP, real Postgres',
    });
  } finally {
    await raw.close();
    await server.close();
  }
}

export const benchId = 'B11';
export const run = () => benchB11();
