import type { PreparedQuery, RxStorage, RxStorageInstance, RxStorageInstanceCreationParams } from 'rxdb';
import {
  DEXIE_DOCS_TABLE_NAME,
  dexieReplaceIfStartsWithPipe,
  fromDexieToStorage,
  getKeyRangeByQueryPlan,
} from 'rxdb/plugins/storage-dexie';

type Doc = Record<string, unknown>;
type Instance = RxStorageInstance<Doc, unknown, unknown>;

/** What RxDB's Dexie storage keeps in `instance.internals` (not part of its typed surface). */
interface DexieState {
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
 * RxDB's Dexie storage reads every query through a cursor, one IndexedDB request per document
 * (and through the skipped ones). When the index answers both the selector and the (ascending)
 * sort, the page is exactly the first skip+limit entries of the key range, which IndexedDB's
 * getAll(range, count) returns in one request: same plan, same range, same order, fewer round trips.
 * Measured on 100k contacts (B2): p50 8.4 ms -> see the issue note.
 */
export function wrappedPageQueryStorage(storage: RxStorage<unknown, unknown>): RxStorage<unknown, unknown> {
  return Object.assign({}, storage, {
    async createStorageInstance(params: RxStorageInstanceCreationParams<Doc, unknown>) {
      const instance = (await storage.createStorageInstance(params)) as Instance;
      const original = instance.query.bind(instance);
      instance.query = async (prepared: PreparedQuery<Doc>) => {
        const plan = prepared.queryPlan;
        const { limit, skip = 0, sort = [] } = prepared.query;
        const ascending = sort.every((part) => Object.values(part).every((dir) => dir === 'asc'));
        if (!plan.selectorSatisfiedByIndex || !plan.sortSatisfiedByIndex || typeof limit !== 'number' || !ascending) {
          return original(prepared);
        }
        const state = (await instance.internals) as DexieState;
        let range: IDBKeyRange;
        try {
          range = getKeyRangeByQueryPlan(state.booleanIndexes, plan, state.dexieDb._options.IDBKeyRange);
        } catch (error) {
          if ((error as Error).name === 'DataError') return { documents: [] };
          throw error;
        }
        const indexName = `[${plan.index.map((f) => dexieReplaceIfStartsWithPipe(f)).join('+')}]`;
        const rows = (await state.dexieDb.transaction('r', state.dexieTable, (tx) => {
          const request = tx.idbtrans
            .objectStore(DEXIE_DOCS_TABLE_NAME)
            .index(indexName)
            .getAll(range, skip + limit);
          return new Promise((resolve, reject) => {
            request.onsuccess = () => resolve(request.result);
            request.onerror = () => reject(request.error);
          });
        })) as Doc[];
        return { documents: rows.slice(skip).map((row) => fromDexieToStorage(state.booleanIndexes, row)) as never };
      };
      return instance;
    },
  });
}
