import { normalizeMangoQuery, prepareQuery, type RxCollection } from 'rxdb';
import { filter, map, type Observable } from 'rxjs';
import { type EntityName, getEntity } from '../../src-shared/entities/registry';
import { type StoredDoc, sharesCollection } from '../../src-shared/schema/to-rx-schema';
import type { LocalDatabase } from './create-database';
import { chooseIndex } from './index-hint';

type Plain = Record<string, unknown>;

/** A write's effect on one record: its new state, or undefined once it is gone from storage. */
export interface RecordChange {
  id: string;
  record: Plain | undefined;
}

/** Records read per storage request by a scan: large enough for few requests, small enough to slice. */
export const SCAN_BATCH = 2000;

export function collectionOf(db: LocalDatabase, kind: EntityName): RxCollection<StoredDoc> {
  const name = getEntity(kind).collection;
  if (!name) throw new Error(`${kind} is not stored as documents`);
  return db.rx[name];
}

/**
 * Every live record of a kind, straight from RxDB's storage: a scan of the kind's list index in
 * batches (each one index range from the last batch's `newest` on, so 100k records cost 50
 * requests rather than a skip that grows) that does not fill RxDB's document cache with every
 * record. For whole-kind work (the search index, running totals); screens page through repositories.
 */
export async function* scanKind(db: LocalDatabase, kind: EntityName, batch = SCAN_BATCH): AsyncIterable<Plain[]> {
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
      limit: batch,
    });
    // As RxDB's own queries do (RxQuery.getPreparedQuery): every stored index starts with _deleted.
    (query.index as string[]).unshift('_deleted');
    const { documents } = await collection.storageInstance.query(prepareQuery(schema, query));
    if (documents.length === 0) return;
    yield documents as unknown as Plain[];
    if (documents.length < batch) return;
    const last = Number(documents.at(-1)?.newest);
    const atLast = documents.filter((doc) => doc.newest === last).length;
    tie = last === from ? tie + atLast : atLast;
    from = last;
  }
}

/** Each write's changed records of a kind, in write order, from the moment of subscription. */
export function kindChanges(db: LocalDatabase, kind: EntityName): Observable<readonly RecordChange[]> {
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
}
