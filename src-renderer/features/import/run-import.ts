import type { ImportEntityName } from '../../../src-shared/import/dedupe-keys';
import { companyLookup, indexExisting } from '../../../src-shared/import/dedupe-keys';
import {
  columnOf,
  type ImportPlan,
  type ImportTable,
  type PlannedRow,
  type PlanOptions,
  planImport,
  type RowProblem,
} from '../../../src-shared/import/import-plan';
import { userLookup } from '../../../src-shared/import/owner-lookup';
import type { EntityDef } from '../../../src-shared/schema/define-entity';
import { ValidationError } from '../../../src-shared/schema/validation-error';
import type { Repositories } from '../../db/repositories';
import { batchTag, type ImportJournal, type JournalStore, type UpdatedRecord } from './import-journal';

/**
 * Runs an import plan through the repositories, the only write path: a chunk of rows to create is
 * written in bulk when the repository takes it whole, else every row of it is validated on its own
 * with `check()` (a bad row becomes a row-level problem naming its column, never a failed import)
 * and the valid ones are written in bulk, a chunk at a time with a pause
 * for the event loop between chunks so that the screen keeps drawing and the progress moves.
 * Every created record carries the batch tag; updated records' previous values are kept in the
 * journal; undo soft-deletes the former and puts the latter back.
 */

type Plain = Record<string, unknown>;
type AnyRepo = {
  readonly entity: EntityDef;
  list(options?: { includeDeleted?: boolean }): Promise<Plain[]>;
  check(input: Plain): Promise<Plain>;
  bulkCreate(inputs: readonly Plain[]): Promise<{ written: number; conflicts: string[] }>;
  get(id: string): Promise<Plain | undefined>;
  update(id: string, patch: Plain): Promise<Plain>;
  softDelete(id: string): Promise<Plain>;
};

export const repoFor = (repos: Repositories, entity: ImportEntityName): AnyRepo => repos[entity] as unknown as AnyRepo;

export interface PrepareOptions
  extends Omit<PlanOptions, 'entity' | 'existing' | 'resolveRef' | 'mapping' | 'onDuplicate'> {
  readonly mapping: readonly (string | undefined)[];
  readonly onDuplicate: 'update' | 'skip';
}

/** What a plan is checked against: existing records' dedupe keys and, for company columns, the companies. */
export interface ImportLookups {
  readonly existing: ReadonlyMap<string, string>;
  readonly findCompany: (text: string) => string | undefined;
  /** The user an owner column names (email or full name). */
  readonly findUser: (text: string) => string | undefined;
}

/** Read once per file (a mapping change re-plans against the same lookups). */
export async function loadLookups(repos: Repositories, entity: ImportEntityName): Promise<ImportLookups> {
  const repo = repoFor(repos, entity);
  const existing = indexExisting(entity, await repo.list());
  const hasCompanyRef = Object.values(repo.entity.fields).some((f) => f.type === 'ref' && f.ref === 'company');
  const findCompany = hasCompanyRef ? companyLookup(await repoFor(repos, 'company').list()) : () => undefined;
  const findUser = userLookup((await repos.user.list()) as unknown as Plain[]);
  return { existing, findCompany, findUser };
}

/** The plan of a file against the records on this device (dedupe keys, company names for refs). */
export async function prepareImport(
  repos: Repositories,
  entity: ImportEntityName,
  table: ImportTable,
  options: PrepareOptions,
  lookups?: ImportLookups,
): Promise<ImportPlan> {
  const repo = repoFor(repos, entity);
  const { existing, findCompany, findUser } = lookups ?? (await loadLookups(repos, entity));
  const plan = planImport(table, {
    ...options,
    entity: repo.entity,
    existing,
    resolveRef: (ref, text) => (ref === 'company' ? findCompany(text) : ref === 'user' ? findUser(text) : undefined),
    defaults: { ...defaultsFor(repo.entity), ...options.defaults },
  });
  await refuseInvalid(repo, plan, { headers: table.headers, mapping: options.mapping });
  return plan;
}

/**
 * A new row the repository would refuse (a required field empty or given by no column, text too
 * long, a phone or URL the registry does not take) is a problem in the plan, named as the import
 * would name it: the conversion reads each cell alone, so the preview used to count such rows as
 * new and offer to import them, and the import then refused them.
 */
async function refuseInvalid(repo: AnyRepo, plan: ImportPlan, columns: ProblemColumns): Promise<void> {
  for (const row of plan.rows) {
    if (row.action !== 'create') continue;
    try {
      await repo.check(row.values);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      rowFailed(row, error, columns, repo.entity);
      plan.counts.create -= 1;
      plan.counts.error += 1;
    }
  }
}

/** Values an imported record gets when the file says nothing: its source is "import". */
function defaultsFor(entity: EntityDef): Plain {
  const source = entity.fields.source;
  return source?.values?.includes('import') ? { source: 'import' } : {};
}

export interface ImportProgress {
  readonly done: number;
  readonly total: number;
}

export interface ImportResult {
  readonly batchId: string;
  readonly created: number;
  readonly updated: number;
  readonly skipped: number;
  readonly failed: number;
  /** Every problem of the import: the plan's and the repository's, by row and column. */
  readonly problems: RowProblem[];
}

export interface ExecuteOptions {
  readonly batchId: string;
  readonly fileName: string;
  readonly headers: readonly string[];
  readonly mapping: readonly (string | undefined)[];
  readonly journal: JournalStore;
  readonly onProgress?: (progress: ImportProgress) => void;
  /** Rows validated and written per step before yielding to the event loop. */
  readonly chunkSize?: number;
  readonly now?: () => Date;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** What names a problem's column: the file's headers and the field each column is imported as. */
type ProblemColumns = Pick<ExecuteOptions, 'headers' | 'mapping'>;

function rowFailed(row: PlannedRow, error: unknown, options: ProblemColumns, entity: EntityDef): void {
  row.action = 'error';
  if (error instanceof ValidationError) {
    for (const p of error.problems) {
      const column = columnOf(options.headers, options.mapping, p.field);
      row.problems.push({
        row: row.row,
        column,
        field: p.field,
        problem: column ? p.problem : `${entity.fields[p.field]?.label ?? p.field} ${p.problem} (no column gives it)`,
      });
    }
  } else {
    row.problems.push({ row: row.row, column: '', problem: error instanceof Error ? error.message : String(error) });
  }
}

const withTag = (tags: unknown, tag: string): string[] => [
  ...new Set([...(Array.isArray(tags) ? (tags as string[]) : []), tag]),
];

/**
 * Creates a chunk's rows. A chunk the repository takes whole is one validation pass (the common
 * case: a clean file); when bulkCreate refuses it (it writes nothing then), each row is checked on
 * its own so that the bad ones become problems and the valid ones are written in bulk.
 */
async function createChunk(repo: AnyRepo, rows: readonly PlannedRow[], tag: string, options: ExecuteOptions) {
  if (rows.length === 0) return 0;
  const inputs = rows.map((row) => ({ ...row.values, tags: withTag(row.values.tags, tag) }));
  try {
    return (await repo.bulkCreate(inputs)).written;
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
  }
  const valid: Plain[] = [];
  for (const [i, row] of rows.entries()) {
    try {
      const input = inputs[i] as Plain;
      const doc = await repo.check(input);
      valid.push({ ...input, id: doc.id });
    } catch (error) {
      rowFailed(row, error, options, repo.entity);
    }
  }
  return valid.length > 0 ? (await repo.bulkCreate(valid)).written : 0;
}

async function updateRow(repo: AnyRepo, row: PlannedRow, tag: string, options: ExecuteOptions) {
  const id = row.existingId ?? '';
  const current = await repo.get(id);
  if (!current) {
    rowFailed(row, new Error('the record to update no longer exists'), options, repo.entity);
    return undefined;
  }
  const patch: Plain = { ...row.values, tags: withTag(current.tags ?? row.values.tags, tag) };
  const before: Plain = {};
  for (const field of Object.keys(patch)) before[field] = current[field] ?? null;
  try {
    await repo.update(id, patch);
    return { id, before } satisfies UpdatedRecord;
  } catch (error) {
    rowFailed(row, error, options, repo.entity);
    return undefined;
  }
}

/** Writes the plan; the plan's rows are updated in place (a row the repository refuses becomes an error). */
export async function executeImport(
  repos: Repositories,
  entity: ImportEntityName,
  plan: ImportPlan,
  options: ExecuteOptions,
): Promise<ImportResult> {
  const repo = repoFor(repos, entity);
  const tag = batchTag(options.batchId);
  const size = options.chunkSize ?? 500;
  const work = plan.rows.filter((r) => r.action === 'create' || r.action === 'update');
  const updates: UpdatedRecord[] = [];
  let created = 0;
  for (let start = 0; start < work.length; start += size) {
    const chunk = work.slice(start, start + size);
    created += await createChunk(
      repo,
      chunk.filter((r) => r.action === 'create'),
      tag,
      options,
    );
    for (const row of chunk.filter((r) => r.action === 'update')) {
      const done = await updateRow(repo, row, tag, options);
      if (done) updates.push(done);
    }
    options.onProgress?.({ done: Math.min(start + size, work.length), total: work.length });
    await yieldToEventLoop();
  }
  const problems = plan.rows.flatMap((r) => r.problems);
  const result: ImportResult = {
    batchId: options.batchId,
    created,
    updated: updates.length,
    skipped: plan.rows.filter((r) => r.action === 'skip').length,
    failed: plan.rows.filter((r) => r.action === 'error').length,
    problems,
  };
  const journal: ImportJournal = {
    batchId: options.batchId,
    entity,
    fileName: options.fileName,
    at: (options.now?.() ?? new Date()).toISOString(),
    created,
    updates,
  };
  options.journal.save(journal);
  return result;
}

export interface UndoResult {
  readonly deleted: number;
  readonly restored: number;
}

/**
 * Undoes a whole import: soft-deletes exactly the records carrying its batch tag that it created
 * (not ones it updated), and puts back the previous values of the fields it changed.
 */
export async function undoImport(
  repos: Repositories,
  journal: ImportJournal,
  store: JournalStore,
): Promise<UndoResult> {
  const repo = repoFor(repos, journal.entity);
  const tag = batchTag(journal.batchId);
  const updatedIds = new Set(journal.updates.map((u) => u.id));
  const tagged = (await repo.list()).filter(
    (r) => Array.isArray(r.tags) && (r.tags as string[]).includes(tag) && !updatedIds.has(String(r.id)),
  );
  let deleted = 0;
  for (const record of tagged) {
    await repo.softDelete(String(record.id));
    deleted += 1;
    if (deleted % 200 === 0) await yieldToEventLoop();
  }
  let restored = 0;
  for (const { id, before } of journal.updates) {
    await repo.update(id, before);
    restored += 1;
  }
  store.save({ ...journal, undoneAt: new Date().toISOString() });
  return { deleted, restored };
}
