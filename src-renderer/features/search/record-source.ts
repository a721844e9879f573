import { getChangedDocumentsSince, normalizeMangoQuery, prepareQuery, type RxCollection } from 'rxdb';
import { filter, map, type Observable } from 'rxjs';
import { getEntity } from '../../../src-shared/entities/registry';
import { type StoredDoc, sharesCollection } from '../../../src-shared/schema/to-rx-schema';
import type { LocalDatabase } from '../../db/create-database';
import { chooseIndex } from '../../db/index-hint';
import type { Repositories } from '../../db/repositories';
import type { SearchKind } from './search-documents';
import type { RecordChange, SearchSource } from './search-index';

type Plain = Record<string, unknown>;

/** Records read per storage request while building: large enough for few requests, small enough to slice. */
export const SCAN_BATCH = 2000;

function collectionOf(db: LocalDatabase, kind: SearchKind): RxCollection<StoredDoc> {
  const name = getEntity(kind).collection;
  if (!name) throw new Error(`${kind} is not stored as documents`);
  return db.rx[name];
}

/**
 * Reads for the search index, straight from RxDB's storage: a scan of the kind's list index in
 * batches (each one index range from the last batch's `newest` on, so 100k records cost 50
 * requests rather than a skip that grows) that does not fill RxDB's document cache with every
 * record, and the collection's write events. Read-only: writes go through the repositories.
 */
export function rxdbSearchSource(db: LocalDatabase, repos: Repositories): SearchSource {
  return {
    count: (kind) => repos[kind].count(),
    async *scan(kind) {
      const collection = collectionOf(db, kind);
      const entity = getEntity(kind);
      const shared = sharesCollection(entity);
      const schema = collection.schema.jsonSchema;
      // The kind's own list index (kind, isDeleted, newest, id): a collection shared with other
      // kinds (notes among all activities) is read for this kind only, live records only.
      const index = chooseIndex(entity, new Set(shared ? ['kind', 'isDeleted'] : ['isDeleted']));
      let from = 0;
      /** Records already read whose `newest` equals `from`: skipped, as they come first in id order. */
      let tie = 0;
      for (;;) {
        const query = normalizeMangoQuery<StoredDoc>(schema, {
          selector: {
            _deleted: { $eq: false },
            ...(shared ? { kind } : {}),
            isDeleted: false,
            newest: { $gte: from },
          } as never,
          sort: [{ newest: 'asc' }],
          index: [...index],
          skip: tie,
          limit: SCAN_BATCH,
        });
        // As RxDB's own queries do (RxQuery.getPreparedQuery): every stored index starts with _deleted.
        (query.index as string[]).unshift('_deleted');
        const { documents } = await collection.storageInstance.query(prepareQuery(schema, query));
        if (documents.length === 0) return;
        yield documents as unknown as Plain[];
        if (documents.length < SCAN_BATCH) return;
        const last = Number(documents.at(-1)?.newest);
        const atLast = documents.filter((doc) => doc.newest === last).length;
        tie = last === from ? tie + atLast : atLast;
        from = last;
      }
    },
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
    changes(kind): Observable<readonly RecordChange[]> {
      return collectionOf(db, kind).eventBulks$.pipe(
        map((bulk) =>
          bulk.events
            .filter((event) => (event.documentData ?? event.previousDocumentData)?.kind === kind)
            .map((event) => ({
              id: event.documentId,
              record:
                event.operation === 'DELETE' || event.documentData._deleted
                  ? undefined
                  : (event.documentData as unknown as Plain),
            })),
        ),
        filter((changes) => changes.length > 0),
      );
    },
  };
}
