import { getChangedDocumentsSince } from 'rxdb';
import type { LocalDatabase } from '../../db/create-database';
import { collectionOf, kindChanges, type RecordChange, SCAN_BATCH, scanKind } from '../../db/kind-records';
import type { Repositories } from '../../db/repositories';
import type { SearchSource } from './search-index';

type Plain = Record<string, unknown>;

/**
 * Reads for the search index, straight from RxDB's storage (kind-records.ts): a batched scan of the
 * kind's list index, its write events and what was written since a checkpoint. Read-only: writes go
 * through the repositories.
 */
export function rxdbSearchSource(db: LocalDatabase, repos: Repositories): SearchSource {
  return {
    count: (kind) => repos[kind].count(),
    scan: (kind) => scanKind(db, kind),
    async *changesSince(kind, lwt) {
      const collection = collectionOf(db, kind);
      // The collection's [_meta.lwt+id] index from the checkpoint on (changes-since-storage.ts):
      // only what was written since, soft and hard deletions included.
      let checkpoint: { id: string; lwt: number } = { id: '', lwt };
      for (;;) {
        const result = await getChangedDocumentsSince(collection.storageInstance, SCAN_BATCH, checkpoint);
        const changes: RecordChange[] = [];
        for (const doc of result.documents) {
          if (doc.kind !== kind) continue;
          changes.push({ id: String(doc.id), record: doc._deleted ? undefined : (doc as unknown as Plain) });
        }
        if (changes.length > 0) yield changes;
        if (result.documents.length < SCAN_BATCH) return;
        checkpoint = result.checkpoint as { id: string; lwt: number };
      }
    },
    // Rare (a rename): the contacts' and deals' indexes do not cover companyId, so this reads them through.
    ofCompany: (kind, companyId) => repos[kind].list({ where: { companyId } }),
    changes: (kind) => kindChanges(db, kind),
  };
}
