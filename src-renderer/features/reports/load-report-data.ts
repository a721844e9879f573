/**
 * Reads the records a report needs from the local database, page by page from the
 * [isDeleted, newest] index (a creation-time window per page; a skip only within one millisecond), yielding to the event
 * loop between pages so that the screen stays responsive on 100k records, with progress.
 */

import { type DataKey, REPORT_DATA_ENTITY, type ReportData } from '../../../src-shared/reports';
import type { Repositories } from '../../db/repositories';
import { repoOf } from '../../ui/useRecordName';

export const PAGE = 5000;

export interface LoadProgress {
  readonly entity: string;
  readonly loaded: number;
  readonly total: number;
}

const nextTick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Every live record of one kind, newest first, in index-served pages. */
export async function readAll(
  repos: Repositories,
  entity: string,
  onPage: (loaded: number, total: number) => void,
  signal?: AbortSignal,
  pageSize = PAGE,
): Promise<Record<string, unknown>[]> {
  const repo = repoOf(repos, entity);
  if (!repo) return [];
  const total = await repo.count();
  const out: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  // The cursor: records created before `before`, less the first `skip` of them (those of the last
  // page's final millisecond already read; records sharing a millisecond sort by id in the index).
  let before: string | undefined;
  let skip = 0;
  for (;;) {
    if (signal?.aborted) throw new DOMException('Cancelled', 'AbortError');
    const page = (await repo.list({
      limit: pageSize,
      ...(skip > 0 ? { skip } : {}),
      ...(before ? { created: { before } } : {}),
    })) as unknown as Record<string, unknown>[];
    for (const record of page) {
      const id = record.id as string;
      if (seen.has(id)) continue;
      seen.add(id);
      out.push(record);
    }
    onPage(out.length, Math.max(total, out.length));
    if (page.length < pageSize) break;
    const lastMs = Date.parse(page[page.length - 1]?.createdAt as string);
    const next = new Date(lastMs + 1).toISOString();
    if (next === before) skip += page.length;
    else {
      before = next;
      skip = page.filter((r) => Date.parse(r.createdAt as string) === lastMs).length;
    }
    await nextTick();
  }
  return out;
}

/** The records the report needs; kinds already in `have` are not read again. */
export async function loadReportData(
  repos: Repositories,
  needs: readonly DataKey[],
  have: Partial<Record<DataKey, readonly unknown[]>>,
  onProgress: (progress: LoadProgress) => void,
  signal?: AbortSignal,
): Promise<Partial<Record<DataKey, readonly unknown[]>>> {
  const out: Partial<Record<DataKey, readonly unknown[]>> = { ...have };
  for (const key of needs) {
    if (out[key]) continue;
    const entity = REPORT_DATA_ENTITY[key];
    out[key] = await readAll(repos, entity, (loaded, total) => onProgress({ entity, loaded, total }), signal);
  }
  return out;
}

export const asReportData = (loaded: Partial<Record<DataKey, readonly unknown[]>>, empty: ReportData): ReportData =>
  ({ ...empty, ...loaded }) as ReportData;
