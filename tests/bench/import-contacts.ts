import Papa from 'papaparse';
import { createLocalDatabase } from '../../src-renderer/db/create-database';
import { createRepositories, type Repositories } from '../../src-renderer/db/repositories';
import { memoryJournalStore } from '../../src-renderer/features/import/import-journal';
import { parseCsvText } from '../../src-renderer/features/import/read-table';
import { executeImport, prepareImport } from '../../src-renderer/features/import/run-import';
import { contactEntity } from '../../src-shared/entities/contact.entity';
import { matchColumns } from '../../src-shared/import/column-mapping';
import { TEST_DATABASE_KEY as BENCH_DATABASE_KEY } from '../support/local-db';
import { contactInput, emit, freshIndexedDb, round } from './bench-support';

export const benchId = 'IMPORT';

/**
 * IMPORT: a generated 50k-row contacts CSV (the ~1 KB contacts of B1, without ids, owners or
 * companies, as a user's file would be) through the whole import — parse with papaparse, match the
 * columns, convert and dedupe every row, check each row with the repository, bulk-write the valid
 * ones 1,000 at a time with a yield between chunks — in rows per second. Baseline: the same run's
 * repository bulkCreate of the same records (the values the import stored), 1,000 per call, on a
 * fresh database, without the import pipeline; each is run twice, alternating, and averaged. ratio = baseline rows/s ÷ import rows/s (the
 * pipeline's cost, like EXPORT's time ratio: 1.0 would be free).
 */

const ROWS = Number(process.env.IMPORT_ROWS ?? 50_000);
const CHUNK = 1000;
const COLUMNS = [
  'First name',
  'Last name',
  'Email',
  'Phone',
  'Job title',
  'Department',
  'Address',
  'City',
  'Region',
  'Postal code',
  'Country',
  'Status',
  'Lead source',
  'Description',
  'Tags',
];
const FIELDS = [
  'firstName',
  'lastName',
  'email',
  'phone',
  'jobTitle',
  'department',
  'addressLine1',
  'city',
  'region',
  'postalCode',
  'country',
  'status',
  'source',
  'description',
  'tags',
];

function csvText(rows: number): string {
  const body: string[][] = [COLUMNS];
  for (let i = 0; i < rows; i++) {
    const c = contactInput(i);
    body.push(FIELDS.map((f) => (f === 'tags' ? (c.tags as string[]).join(';') : String(c[f] ?? ''))));
  }
  return Papa.unparse(body, { newline: '\r\n' });
}

async function openRepos(name: string): Promise<{ repos: Repositories; remove: () => Promise<unknown> }> {
  const db = await createLocalDatabase({
    name: `${name}-${Math.random()}`,
    actor: () => ({ userId: 'user-bench', deviceId: 'bench' }),
    key: BENCH_DATABASE_KEY,
    indexedDB: freshIndexedDb(),
    onAuditFailure: (e) => {
      throw e;
    },
  });
  return { repos: createRepositories(db), remove: () => db.rx.remove() };
}

/** The import of the whole file on a fresh database; returns the time and the values it stored. */
async function timeImport(text: string): Promise<{ ms: number; inputs: Record<string, unknown>[] }> {
  const target = await openRepos('import');
  const start = performance.now();
  const table = parseCsvText(text);
  const mapping = matchColumns(table.headers, contactEntity).map((m) => m.field);
  if (mapping.some((f) => f === undefined)) throw new Error(`unmatched columns: ${JSON.stringify(mapping)}`);
  const plan = await prepareImport(target.repos, 'contact', table, { mapping, onDuplicate: 'skip' });
  const result = await executeImport(target.repos, 'contact', plan, {
    batchId: 'bench',
    fileName: 'bench.csv',
    headers: table.headers,
    mapping,
    journal: memoryJournalStore(),
    chunkSize: CHUNK,
  });
  const ms = performance.now() - start;
  if (result.created !== ROWS) {
    throw new Error(`import created ${result.created} of ${ROWS}: ${JSON.stringify(result.problems.slice(0, 3))}`);
  }
  await target.remove();
  return {
    ms,
    inputs: plan.rows.map((r) => ({ ...r.values, tags: [...((r.values.tags as string[]) ?? []), 'import:bench'] })),
  };
}

async function timeBaseline(inputs: readonly Record<string, unknown>[]): Promise<number> {
  const base = await openRepos('import-baseline');
  const start = performance.now();
  for (let i = 0; i < inputs.length; i += CHUNK)
    await base.repos.contact.bulkCreate(inputs.slice(i, i + CHUNK) as never);
  const ms = performance.now() - start;
  if ((await base.repos.contact.count()) !== inputs.length) throw new Error('baseline wrote too few records');
  await base.remove();
  return ms;
}

export async function run(): Promise<void> {
  const text = csvText(ROWS);
  process.stderr.write(`IMPORT: ${ROWS} rows, ${(text.length / 1e6).toFixed(1)} MB of CSV\n`);
  // Baseline before and after the import (averaged): the machine is shared, its load drifts.
  const first = await timeImport(text);
  const before = await timeBaseline(first.inputs);
  const second = await timeImport(text);
  const importMs = (first.ms + second.ms) / 2;
  const baseMs = (before + (await timeBaseline(second.inputs))) / 2;
  const value = ROWS / (importMs / 1000);
  const baseline = ROWS / (baseMs / 1000);
  emit({
    bench: 'IMPORT',
    value: round(value, 0),
    unit: 'rows/s',
    baseline: round(baseline, 0),
    ratio: round(baseline / value, 2),
    rows: ROWS,
    importMs: round(importMs, 0),
    baselineMs: round(baseMs, 0),
  });
}
