import type { Repositories } from '../../db/repositories';
import type { ExportableRepo } from './export-source';

type Row = Record<string, unknown> & { id: string };

/** An entity's repository as exports use it (names come from the registry at run time). */
export function repositoryFor(
  repos: Repositories,
  entity: string,
): ExportableRepo & {
  getMany(ids: readonly string[]): Promise<Row[]>;
  create(input: Record<string, unknown>): Promise<unknown>;
} {
  const repo = (repos as unknown as Record<string, unknown>)[entity];
  if (!repo) throw new Error(`No repository for ${entity}`);
  return repo as ReturnType<typeof repositoryFor>;
}

/**
 * When this device last synced for the user, as the sync feature keeps it (`fieldcrm.lastSyncAt.<user>`,
 * epoch ms in localStorage); null when it never has.
 */
export function lastSyncAt(userId: string, storage: Pick<Storage, 'getItem'> = localStorage): string | null {
  const ms = Number(storage.getItem(`fieldcrm.lastSyncAt.${userId}`) ?? Number.NaN);
  return Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString() : null;
}
