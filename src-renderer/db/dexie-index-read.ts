import { cmp } from 'dexie';
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

/** Above every id: IndexedDB orders arrays after strings, so `[...group, []]` ends a group's keys. */
const AFTER_EVERY_ID: unknown[] = [];

/**
 * The first `count` documents of `range` on `indexName` in the oldest-first list order: the key's
 * second-to-last part (`newest`) descending, then the last (the id) ascending. IndexedDB reads an
 * index one way only, and RxDB, seeing a descending sort, reads the whole range and sorts it. This
 * walks the range backwards with a cursor (one request per row, `count` rows at most) and turns each
 * group of one `newest` around; the group where `count` is reached is read forwards instead from its
 * start, in one `getAll`, as it may hold more ids below those the cursor saw. `range` must not cut
 * a group (its bounds are whole `newest` values): the rows of one instant past a keyset id are read
 * with readIndexRange.
 */
export async function readIndexRangeOldestFirst<T>(
  state: DexieState,
  indexName: string,
  range: IDBKeyRange,
  count: number,
): Promise<T[]> {
  if (count <= 0) return [];
  const KeyRange = state.dexieDb._options.IDBKeyRange;
  const rows = (await state.dexieDb.transaction('r', state.dexieTable, (tx) => {
    const index = tx.idbtrans.objectStore(DEXIE_DOCS_TABLE_NAME).index(indexName);
    return new Promise<unknown[]>((resolve, reject) => {
      const out: unknown[] = [];
      let group: unknown[] = [];
      let groupKey: unknown[] | undefined;
      const cursorRequest = index.openCursor(range, 'prev');
      cursorRequest.onerror = () => reject(cursorRequest.error);
      cursorRequest.onsuccess = () => {
        const cursor = cursorRequest.result;
        if (!cursor) return resolve([...out, ...group.reverse()]);
        // The key without its id: the filter's fields and `newest`, the same for one instant's rows.
        const key = (cursor.key as unknown[]).slice(0, -1);
        if (!groupKey || cmp(key, groupKey) !== 0) {
          out.push(...group.reverse());
          group = [];
          groupKey = key;
        }
        group.push(cursor.value);
        if (out.length + group.length < count) return cursor.continue();
        // This instant fills the page: its first ids (ascending) are the ones wanted, read from its start.
        const groupStart = KeyRange.bound(key, [...key, AFTER_EVERY_ID]);
        const read = index.getAll(groupStart, count - out.length);
        read.onerror = () => reject(read.error);
        read.onsuccess = () => resolve([...out, ...read.result]);
      };
    });
  })) as Record<string, unknown>[];
  return rows.map((row) => fromDexieToStorage(state.booleanIndexes, row) as T);
}
