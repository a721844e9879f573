import { DEXIE_DOCS_TABLE_NAME, fromDexieToStorage } from 'rxdb/plugins/storage-dexie';

/** What RxDB's Dexie storage keeps in `instance.internals` (not part of its typed surface). */
export interface DexieState {
  dexieDb: {
    transaction: (
      mode: 'r',
      table: unknown,
      fn: (tx: { idbtrans: IDBTransaction }) => Promise<unknown>,
    ) => Promise<unknown>;
    _options: { IDBKeyRange: typeof IDBKeyRange };
  };
  dexieTable: unknown;
  booleanIndexes: string[];
}

/**
 * The first `count` documents of `range` on the Dexie index `indexName` (e.g. `[_meta.lwt+id]`), in
 * index order, in ONE IndexedDB request (`getAll`) where RxDB's storage walks a cursor one request
 * per document; converted back to RxDB's stored form.
 */
export async function readIndexRange<T>(
  state: DexieState,
  indexName: string,
  range: IDBKeyRange,
  count: number,
): Promise<T[]> {
  const rows = (await state.dexieDb.transaction('r', state.dexieTable, (tx) => {
    const request = tx.idbtrans.objectStore(DEXIE_DOCS_TABLE_NAME).index(indexName).getAll(range, count);
    return new Promise((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  })) as Record<string, unknown>[];
  return rows.map((row) => fromDexieToStorage(state.booleanIndexes, row) as T);
}

/**
 * How many entries `range` of the Dexie index `indexName` holds, reading at most `max` of their
 * keys (`getAllKeys(range, max)`, one request): IndexedDB's own count has no limit and walks the
 * whole range, which at 100k contacts held up the origin's other requests for seconds.
 */
export async function countIndexRange(
  state: DexieState,
  indexName: string,
  range: IDBKeyRange,
  max: number,
): Promise<number> {
  return (await state.dexieDb.transaction('r', state.dexieTable, (tx) => {
    const request = tx.idbtrans.objectStore(DEXIE_DOCS_TABLE_NAME).index(indexName).getAllKeys(range, max);
    return new Promise((resolve, reject) => {
      request.onsuccess = () => resolve(request.result.length);
      request.onerror = () => reject(request.error);
    });
  })) as number;
}
