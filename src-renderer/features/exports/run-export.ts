import { type Action, can, type RolePermissions } from '../../../src-shared/auth/permissions';
import { getEntity } from '../../../src-shared/entities/registry';
import { exportAuditEntry } from '../../../src-shared/export/export-audit';
import { exportRow } from '../../../src-shared/export/export-cells';
import { type ColumnSource, ExportError, type ExportFormat } from '../../../src-shared/export/export-columns';
import {
  EXPORT_CHUNK_ROWS,
  type ExportChunk,
  type ExportFilter,
  type ExportMeta,
} from '../../../src-shared/export/export-meta';
import type { Equality } from '../../db/entity-repository';
import { rowComparator } from '../../ui/live-pages';
import type { ExportSink } from './export-sinks';
import {
  type ExportableRepo,
  type GetMany,
  idPages,
  mergedPages,
  recordPages,
  referenceNames,
  sortedPages,
} from './export-source';

export interface ExportRequest {
  readonly entity: string;
  readonly format: ExportFormat;
  readonly title: string;
  readonly sources: readonly ColumnSource[];
  /** The list's filter; several (a list that merges index-served queries) are exported merged in `order`. */
  readonly where: Record<string, Equality> | readonly Record<string, Equality>[];
  /** The list's order: newest first (the default), or the leads' score (highest first, then newest). */
  readonly order?: 'newest' | 'score';
  /**
   * The exact records on screen, in screen order, for a view no index query gives (a dated task
   * view, a lead list): exported instead of `where`'s records, which then only describe the filters.
   */
  readonly ids?: readonly string[];
  readonly filters: readonly ExportFilter[];
  /** When the device last synced (ISO), for the file's stamp; null when it never has. */
  readonly asOf: string | null;
}

export interface ExportProgress {
  readonly done: number;
  readonly total: number;
}

export interface ExportDeps {
  readonly repo: ExportableRepo;
  readonly getMany: GetMany;
  readonly permissions: RolePermissions;
  readonly now: () => Date;
  /** Opens where the rows go; undefined when the user cancelled (e.g. the save dialog). */
  readonly openSink: (meta: ExportMeta) => Promise<ExportSink | undefined>;
  /** Writes the audit entry (through the audit log's repository). */
  readonly audit: (entry: Record<string, unknown>) => Promise<unknown>;
  readonly actor: () => { userId: string; deviceId: string };
  readonly onProgress?: (progress: ExportProgress) => void;
  readonly signal?: AbortSignal;
  readonly pageSize?: number;
}

export type ExportOutcome =
  | { readonly status: 'done'; readonly rows: number; readonly target: string }
  | { readonly status: 'cancelled' };

export class ExportPermissionError extends ExportError {
  constructor(entity: string, action: Action) {
    super(entity, `cannot be exported: your role may not ${action} ${getEntity(entity).plural.toLowerCase()}`);
  }
}

/**
 * Opens the sink and writes the chunks to it; undefined when cancelled (the dialog, or the signal:
 * the sink is then discarded, so no partial file remains). Cancel reaches the sink at once, even
 * while it is finishing (building a workbook in the page).
 */
async function writeToSink(
  meta: ExportMeta,
  chunks: AsyncIterable<ExportChunk>,
  deps: Pick<ExportDeps, 'openSink' | 'signal'>,
): Promise<string | undefined> {
  const sink = await deps.openSink(meta);
  if (!sink) return undefined;
  const onAbort = () => void sink.cancel().catch(() => undefined);
  deps.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const chunk of chunks) {
      deps.signal?.throwIfAborted();
      await sink.write(chunk);
      deps.signal?.throwIfAborted();
    }
    return await sink.finish();
  } catch (error) {
    await sink.cancel().catch(() => undefined);
    if (deps.signal?.aborted) return undefined;
    throw error;
  } finally {
    deps.signal?.removeEventListener('abort', onAbort);
  }
}

const wheresOf = (where: ExportRequest['where']): readonly Record<string, Equality>[] =>
  Array.isArray(where) ? where : [where as Record<string, Equality>];

async function countOf(where: ExportRequest['where'], repo: ExportableRepo): Promise<number> {
  const counts = await Promise.all(wheresOf(where).map((w) => repo.count({ where: w })));
  return counts.reduce((a, b) => a + b, 0);
}

/** The request's records page by page: its ids in their order, else the filters' records in the list's order. */
async function* pagesOf(request: ExportRequest, deps: ExportDeps) {
  const pageSize = deps.pageSize ?? EXPORT_CHUNK_ROWS;
  if (request.ids) {
    yield* idPages(request.entity, request.ids, deps.getMany, pageSize, deps.signal);
    return;
  }
  const wheres = wheresOf(request.where);
  const order = request.order ?? 'newest';
  if (wheres.length === 1 && order === 'newest') {
    yield* recordPages(deps.repo, wheres[0] as Record<string, Equality>, pageSize, deps.signal);
    return;
  }
  if (order === 'newest') {
    yield* mergedPages(deps.repo, wheres, rowComparator(order), pageSize, deps.signal);
    return;
  }
  yield* sortedPages(deps.repo, wheres, rowComparator(order), pageSize, deps.signal);
}

/**
 * Exports a list: checks the role may read the entity, reads its records page by page (the list's
 * filters and order), turns each into typed cells, sends them in chunks to the sink, reports
 * progress, and audits the export once the file is complete. Cancel (the signal) discards the sink
 * so no partial file remains, and nothing is audited.
 */
export async function runExport(request: ExportRequest, deps: ExportDeps): Promise<ExportOutcome> {
  if (can(deps.permissions, request.entity, 'read') === 'none') {
    throw new ExportPermissionError(request.entity, 'read');
  }
  const entity = getEntity(request.entity);
  const meta: ExportMeta = {
    format: request.format,
    title: request.title,
    entity: request.entity,
    filters: request.filters,
    asOf: request.asOf,
    exportedAt: deps.now().toISOString(),
    sections: [{ name: request.title, columns: request.sources.map((s) => s.column) }],
  };
  const total = request.ids ? request.ids.length : await countOf(request.where, deps.repo);
  deps.onProgress?.({ done: 0, total });
  const names = referenceNames(request.sources, deps.getMany);
  let done = 0;
  let firstId: string | undefined;
  async function* chunks(): AsyncGenerator<ExportChunk> {
    for await (const page of pagesOf(request, deps)) {
      await names.load(page);
      firstId ??= page[0]?.id;
      yield { section: 0, rows: page.map((record) => exportRow(request.sources, record, names.lookup)) };
      done += page.length;
      deps.onProgress?.({ done, total: Math.max(total, done) });
    }
  }
  const target = await writeToSink(meta, chunks(), deps);
  if (target === undefined) return { status: 'cancelled' };
  const { userId, deviceId } = deps.actor();
  await deps.audit(
    exportAuditEntry({
      format: request.format,
      entity: request.entity,
      collectionName: entity.collection ?? entity.name,
      title: request.title,
      rowCount: done,
      firstId: firstId ?? 'none',
      filters: request.filters,
      at: deps.now().toISOString(),
      actorId: userId,
      deviceId,
    }),
  );
  return { status: 'done', rows: done, target };
}

export interface TableExportDeps extends Pick<ExportDeps, 'permissions' | 'now' | 'openSink' | 'audit' | 'actor'> {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ExportProgress) => void;
}

/**
 * Exports rows that are not one entity's list (a report: several sections, computed rows). The role
 * must be able to read every entity the rows come from; the export is audited under `meta.entity`.
 */
export async function exportTable(
  meta: ExportMeta,
  readEntities: readonly string[],
  chunks: AsyncIterable<ExportChunk>,
  total: number,
  deps: TableExportDeps,
): Promise<ExportOutcome> {
  for (const name of [meta.entity, ...readEntities]) {
    if (can(deps.permissions, name, 'read') === 'none') throw new ExportPermissionError(name, 'read');
  }
  let done = 0;
  async function* counted(): AsyncGenerator<ExportChunk> {
    deps.onProgress?.({ done: 0, total });
    for await (const chunk of chunks) {
      yield chunk;
      done += chunk.rows.length;
      deps.onProgress?.({ done, total: Math.max(total, done) });
    }
  }
  const target = await writeToSink(meta, counted(), deps);
  if (target === undefined) return { status: 'cancelled' };
  const entity = getEntity(meta.entity);
  const { userId, deviceId } = deps.actor();
  await deps.audit(
    exportAuditEntry({
      format: meta.format,
      entity: meta.entity,
      collectionName: entity.collection ?? entity.name,
      title: meta.title,
      rowCount: done,
      firstId: 'report',
      filters: meta.filters,
      at: deps.now().toISOString(),
      actorId: userId,
      deviceId,
    }),
  );
  return { status: 'done', rows: done, target };
}
