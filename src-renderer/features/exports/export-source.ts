import { getEntity, isEntityName } from '../../../src-shared/entities/registry';
import type { NameLookup } from '../../../src-shared/export/export-cells';
import type { ColumnSource } from '../../../src-shared/export/export-columns';
import { displayName } from '../../../src-shared/schema/display-name';
import type { Equality } from '../../db/entity-repository';

type Row = Record<string, unknown> & { id: string; createdAt?: string };

/** The slice of an entity repository an export reads through. */
export interface ExportableRepo {
  list(options: {
    where?: Record<string, Equality>;
    limit?: number;
    skip?: number;
    created?: { before?: string };
  }): Promise<Row[]>;
  count(options: { where?: Record<string, Equality> }): Promise<number>;
}

/** Reads records of another entity by id, for reference names. */
export type GetMany = (entity: string, ids: readonly string[]) => Promise<readonly Row[]>;

const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * The records of a list, page by page from the same index and order the list shows (newest first),
 * yielding to the event loop between pages so the window stays responsive. Pages continue from the
 * last record's creation time (an index range) rather than skipping ever more rows; records created
 * in the same millisecond are told apart by skipping the ones already read at that instant.
 */
export async function* recordPages(
  repo: ExportableRepo,
  where: Record<string, Equality>,
  pageSize: number,
  signal?: AbortSignal,
): AsyncGenerator<Row[]> {
  let before: string | undefined;
  let boundaryMs = Number.NaN;
  let skip = 0;
  for (;;) {
    signal?.throwIfAborted();
    const page = await repo.list({
      where,
      limit: pageSize,
      ...(skip > 0 ? { skip } : {}),
      ...(before ? { created: { before } } : {}),
    });
    if (page.length > 0) yield page;
    if (page.length < pageSize) return;
    const lastMs = Date.parse(String(page[page.length - 1]?.createdAt));
    if (Number.isNaN(lastMs)) {
      skip += page.length;
    } else {
      const atLast = page.filter((r) => Date.parse(String(r.createdAt)) === lastMs).length;
      skip = lastMs === boundaryMs ? skip + atLast : atLast;
      boundaryMs = lastMs;
      before = new Date(lastMs + 1).toISOString();
    }
    await yieldToEventLoop();
  }
}

/**
 * The records of several filters (a list merging index-served queries) newest first, as the list
 * shows them merged: each filter's records come from recordPages already in `compare` order, and
 * a k-way merge takes the first of their heads, so only a page per filter (and the page being
 * filled) is held however many records match. A tie goes to the earlier filter, as the stable
 * sort this replaces gave it.
 */
export async function* mergedPages(
  repo: ExportableRepo,
  wheres: readonly Record<string, Equality>[],
  compare: (a: Row, b: Row) => number,
  pageSize: number,
  signal?: AbortSignal,
): AsyncGenerator<Row[]> {
  const streams = wheres.map((where) => recordPages(repo, where, pageSize, signal));
  const heads = streams.map(() => ({ page: [] as Row[], at: 0, done: false }));
  // The head of stream i, reading its next page when the current one is used up; undefined at its end.
  const headOf = async (i: number): Promise<Row | undefined> => {
    const head = heads[i] as (typeof heads)[number];
    while (head.at >= head.page.length && !head.done) {
      const next = await (streams[i] as AsyncGenerator<Row[]>).next();
      if (next.done) head.done = true;
      else Object.assign(head, { page: next.value, at: 0 });
    }
    return head.page[head.at];
  };
  try {
    let out: Row[] = [];
    for (;;) {
      let best = -1;
      let bestRow: Row | undefined;
      for (let i = 0; i < streams.length; i++) {
        const row = await headOf(i);
        if (row !== undefined && (bestRow === undefined || compare(row, bestRow) < 0)) {
          best = i;
          bestRow = row;
        }
      }
      if (bestRow === undefined) break;
      (heads[best] as (typeof heads)[number]).at++;
      out.push(bestRow);
      if (out.length === pageSize) {
        signal?.throwIfAborted();
        yield out;
        out = [];
      }
    }
    if (out.length > 0) yield out;
  } finally {
    // Stopped early (cancelled, or the file failed): the filters' readers stop too.
    await Promise.all(streams.map((stream) => stream.return(undefined)));
  }
}

/**
 * The records of filters in an order recordPages cannot page by (the leads' score: the repository
 * pages by creation time only), in the list's order: each filter's records are read a page at a
 * time, then sorted together by `compare` and given out a page at a time. Holds every record.
 */
export async function* sortedPages(
  repo: ExportableRepo,
  wheres: readonly Record<string, Equality>[],
  compare: (a: Row, b: Row) => number,
  pageSize: number,
  signal?: AbortSignal,
): AsyncGenerator<Row[]> {
  const all: Row[] = [];
  for (const where of wheres) for await (const page of recordPages(repo, where, pageSize, signal)) all.push(...page);
  all.sort(compare);
  for (let start = 0; start < all.length; start += pageSize) {
    signal?.throwIfAborted();
    yield all.slice(start, start + pageSize);
    await yieldToEventLoop();
  }
}

/**
 * The records of a view that is not one index query (a dated task view, a lead list's members):
 * exactly `ids`, in that order, read a page at a time. Records gone since (deleted, soft-deleted,
 * not readable) are left out rather than exported as stale rows.
 */
export async function* idPages(
  entity: string,
  ids: readonly string[],
  getMany: GetMany,
  pageSize: number,
  signal?: AbortSignal,
): AsyncGenerator<Row[]> {
  for (let start = 0; start < ids.length; start += pageSize) {
    signal?.throwIfAborted();
    const slice = ids.slice(start, start + pageSize);
    const found = new Map((await getMany(entity, slice)).map((r) => [r.id, r]));
    const page = slice.map((id) => found.get(id)).filter((r): r is Row => r !== undefined && r.isDeleted !== true);
    if (page.length > 0) yield page;
    await yieldToEventLoop();
  }
}

/**
 * Names for the reference columns of a page (company, owner, a note's record…), read in one call
 * per entity and remembered for the rest of the export. A polymorphic reference (`ref: '*'`, a
 * note's or task's subjectId) names its entity in the record's subjectType, as exportRow reads it.
 */
export function referenceNames(sources: readonly ColumnSource[], getMany: GetMany) {
  const cache = new Map<string, string>();
  const targets = sources
    .filter((s) => s.field.type === 'ref' && s.field.ref && s.from === undefined)
    .map((s) => ({ key: s.column.key, entity: s.field.ref as string }));
  const lookup: NameLookup = (entity, id) => cache.get(`${entity}:${id}`);
  async function load(page: readonly Row[]): Promise<void> {
    const wanted = new Map<string, Set<string>>();
    for (const { key, entity } of targets) {
      for (const record of page) {
        const id = record[key];
        const target = entity === '*' ? record.subjectType : entity;
        if (typeof id !== 'string' || id === '' || typeof target !== 'string' || !isEntityName(target)) continue;
        if (!cache.has(`${target}:${id}`)) wanted.set(target, (wanted.get(target) ?? new Set()).add(id));
      }
    }
    for (const [entity, ids] of wanted) {
      const missing = [...ids];
      const found = await getMany(entity, missing);
      const def = getEntity(entity);
      for (const record of found) cache.set(`${entity}:${record.id}`, displayName(def, record));
      // Not found locally (not synced or not readable): the id is exported as it is.
      for (const id of missing) if (!cache.has(`${entity}:${id}`)) cache.set(`${entity}:${id}`, id);
    }
  }
  return { lookup, load };
}
