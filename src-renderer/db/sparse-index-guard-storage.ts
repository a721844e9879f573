import {
  getQueryPlan,
  type PreparedQuery,
  type RxJsonSchema,
  type RxStorage,
  type RxStorageInstance,
  type RxStorageInstanceCreationParams,
} from 'rxdb';
import { COLLECTION_ENTITIES } from '../../src-shared/entities/registry';
import { COLLECTIONS, type CollectionName } from '../../src-shared/schema/define-entity';
import { storedIndexes } from '../../src-shared/schema/to-rx-schema';

type Doc = Record<string, unknown>;
type Instance = RxStorageInstance<Doc, unknown, unknown>;

/**
 * Index fields some documents of the collection lack: optional fields (a contact's companyId) and
 * the fields of one kind's indexes in a collection shared by several kinds. IndexedDB leaves a
 * document out of an index that lacks one of its fields (to-rx-schema.ts).
 */
export function sparseIndexFields(collection: CollectionName): Set<string> {
  const members = COLLECTION_ENTITIES[collection];
  const sparse = new Set<string>();
  for (const entity of members) {
    for (const index of storedIndexes(entity)) {
      for (const field of index) {
        if (members.some((m) => m.allFields[field]?.required !== true)) sparse.add(field);
      }
    }
  }
  return sparse;
}

/** Whether the selector gives the field one value: only then can a document without it not match. */
function pinned(selector: Doc, field: string): boolean {
  const condition = selector[field];
  if (condition === null || condition === undefined) return false;
  if (typeof condition !== 'object') return true;
  const eq = (condition as Doc).$eq;
  return Object.keys(condition).length === 1 && eq !== undefined && eq !== null;
}

/**
 * Makes every query on a collection safe from its sparse indexes. RxDB's planner, for a query that
 * names no index (`collection.count()`, a find by some other field), may pick any index, and on an
 * index of an optional field it would silently miss the documents without that field (a count of
 * contacts that only counted those with a company). A plan whose index has a sparse field the
 * selector does not pin to a value is planned again among the indexes that are safe for it (the
 * primary key index always is). The repositories name a safe index themselves (index-hint.ts), so
 * their queries pass through untouched.
 */
export function wrappedSparseIndexGuardStorage(storage: RxStorage<unknown, unknown>): RxStorage<unknown, unknown> {
  return Object.assign({}, storage, {
    async createStorageInstance(params: RxStorageInstanceCreationParams<Doc, unknown>) {
      const instance = (await storage.createStorageInstance(params)) as Instance;
      if (!(COLLECTIONS as readonly string[]).includes(params.collectionName)) return instance;
      const sparse = sparseIndexFields(params.collectionName as CollectionName);
      if (sparse.size === 0) return instance;
      const schema = params.schema as RxJsonSchema<Doc>;
      const primary = typeof schema.primaryKey === 'string' ? schema.primaryKey : 'id';
      const indexes = [['_deleted', primary], ...(schema.indexes ?? []).map((i) => (Array.isArray(i) ? i : [i]))];
      const safe = (index: readonly string[], selector: Doc) =>
        index.every((f) => !sparse.has(f) || pinned(selector, f));
      const guard = (prepared: PreparedQuery<Doc>): PreparedQuery<Doc> => {
        const selector = prepared.query.selector as Doc;
        if (safe(prepared.queryPlan.index, selector)) return prepared;
        const { index: _unsafe, ...query } = prepared.query;
        const candidates = indexes.filter((i) => safe(i, selector));
        return { ...prepared, queryPlan: getQueryPlan({ ...schema, indexes: candidates }, query as never) };
      };
      const query = instance.query.bind(instance);
      instance.query = (prepared) => query(guard(prepared));
      const count = instance.count.bind(instance);
      instance.count = (prepared) => count(guard(prepared));
      return instance;
    },
  });
}
