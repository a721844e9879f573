import { getEntity } from '../../src-shared/entities/registry';
import { validateRecord } from '../../src-shared/schema/validate';
import type { PullResponse, PushResponse, SyncCheckpoint, WireDoc } from '../../src-shared/sync/protocol';
import type { Queryable } from '../../sync-server/src/db/database';
import { quoted } from '../../sync-server/src/db/sync-schema';
import { wireDocToRow } from '../../sync-server/src/sync/row-codec';
import { startTestServer, type TestServer } from '../support/sync-server';
import { storedContact } from './bench-support';

/** Shared by the sync benchmarks (B4, B6, B7): a loopback server on a fresh Postgres database, data loading, HTTP. */

export const BENCH_USER = 'user-bench';
export const userHeaders = (userId = BENCH_USER) => ({ 'x-user-id': userId });

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export { seededRandom as random } from '../support/sync-horizon';

export type BenchServer = TestServer;

/** The sync server on a fresh real-Postgres database, listening on loopback. */
export const startBenchServer = (): Promise<BenchServer> => startTestServer('crm_bench');

const contact = getEntity('contact');

/** Contact `i` as a device stores and sends it (bench-support's ~1 KB contact), refused if the registry would refuse it. */
export function contactWireDoc(i: number, overrides: Record<string, unknown> = {}): WireDoc {
  const doc = { ...storedContact(i), ...overrides };
  const problems = validateRecord(contact, doc);
  if (problems.length > 0) throw new Error(`contact ${i} is invalid: ${JSON.stringify(problems[0])}`);
  return { ...doc, _deleted: false } as WireDoc;
}

/**
 * Loads contacts `[0, count)` straight into the `contacts` table, one `INSERT … SELECT FROM
 * jsonb_populate_recordset` (one transaction, one txid) per `batch` rows; `sync_txid` and
 * `server_updated_at` come from the column defaults, as for rows inserted by hand.
 */
export async function loadContacts(db: Queryable, count: number, batch = 5000): Promise<void> {
  const columns = [...Object.keys(wireDocToRow(contact, contactWireDoc(0)))].map(quoted);
  const sql = `INSERT INTO contacts (${columns.join(', ')})
SELECT ${columns.map((c) => `r.${c}`).join(', ')} FROM jsonb_populate_recordset(NULL::contacts, $1::text::jsonb) AS r`;
  for (let start = 0; start < count; start += batch) {
    const rows = [];
    for (let i = start; i < Math.min(count, start + batch); i++) rows.push(wireDocToRow(contact, contactWireDoc(i)));
    await db.query(sql, [JSON.stringify(rows)]);
  }
}

export { caughtUp } from '../support/sync-horizon';

export async function postJson<T>(url: string, body: unknown, userId = BENCH_USER): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...userHeaders(userId) },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${url}: ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

export const pullOnce = (baseUrl: string, checkpoint: SyncCheckpoint | null, limit: number) =>
  postJson<PullResponse>(`${baseUrl}/sync/contacts/pull`, { checkpoint, limit });

export const pushOnce = (baseUrl: string, docs: WireDoc[]) =>
  postJson<PushResponse>(`${baseUrl}/sync/contacts/push`, { rows: docs.map((d) => ({ newDocumentState: d })) });
