import type { BulkWriteRow, MangoQuerySelector, RxCollection, RxDocument, RxDocumentData } from 'rxdb';
import { distinctUntilChanged, filter, from, map, type Observable, startWith, switchMap } from 'rxjs';
import {
  type CollectionName,
  type EntityDef,
  type EntityInputOf,
  type EntityPatchOf,
  type EntityRecord,
  type FieldProblem,
  LIST_ORDERS,
  NEWEST_MAX,
  SYSTEM_FIELDS,
  withDerived,
} from '../../src-shared/schema/define-entity';
import { encryptedFields, type StoredDoc, sharesCollection } from '../../src-shared/schema/to-rx-schema';
import { assertValid, type CustomFieldDef } from '../../src-shared/schema/validate';
import { NotFoundError, ValidationError } from '../../src-shared/schema/validation-error';
import type { LocalDatabase } from './create-database';
import { customFieldDefs } from './custom-field-defs';
import { chooseIndex } from './index-hint';

export type Equality = string | number | boolean;

export interface ListOptions {
  /** Equality filters on declared or base fields. */
  where?: Record<string, Equality>;
  includeDeleted?: boolean;
  /**
   * Newest first (the default) comes straight from an index. `score`: highest score first, then
   * newest, for kinds that store `scoreRank` (leads); served from a [..., scoreRank, newest] index
   * when the filter matches one (`{status}` or none, not deleted), else sorted in memory.
   */
  order?: 'newest' | 'oldest' | 'score';
  limit?: number;
  skip?: number;
  /**
   * Records created at or after `from` and before `before` (ISO times). Served by the `newest` part
   * of the chosen index, which every index ends with, so a date range never scans outside it.
   */
  created?: { from?: string; before?: string };
  /**
   * Keyset paging (newest- or oldest-first): the records after this one in list order, i.e. with
   * `newest` = its `newest` and a greater id, then a greater `newest` (a smaller one oldest first,
   * read backwards). Served from the chosen index, which ends with `newest` and the id
   * (page-query-storage.ts), so records that share a creation millisecond are paged without
   * reading again those already shown.
   */
  after?: { newest: number; id: string };
}

export interface BulkResult {
  written: number;
  /** Ids that already existed and were left untouched. */
  conflicts: string[];
}

export interface BulkUpdateResult {
  /** Ids patched. */
  written: string[];
  /** Ids whose patched record did not validate (left as they were), with why. */
  rejected: { id: string; error: ValidationError }[];
  /** Ids with no record of this kind. */
  missing: string[];
}

/** `newest` counts down from NEWEST_MAX as time goes on: a creation-time range is a reversed `newest` range. */
function newestRange(created: ListOptions['created']): Record<string, number> | undefined {
  if (!created) return undefined;
  const range: Record<string, number> = {};
  const from = created.from === undefined ? Number.NaN : Date.parse(created.from);
  const before = created.before === undefined ? Number.NaN : Date.parse(created.before);
  if (!Number.isNaN(from)) range.$lte = NEWEST_MAX - from;
  if (!Number.isNaN(before)) range.$gt = NEWEST_MAX - before;
  return Object.keys(range).length > 0 ? range : undefined;
}

const sealedFields = new Map<CollectionName, ReadonlySet<string>>();

/** encryptedFields walks every field of the collection's entities; a list asks on each query it makes. */
function sealedFieldsOf(collection: CollectionName): ReadonlySet<string> {
  let fields = sealedFields.get(collection);
  if (!fields) {
    fields = new Set(encryptedFields(collection));
    sealedFields.set(collection, fields);
  }
  return fields;
}

/** Caller-settable base fields: the rest are stamped here. */
const INPUT_BASE_FIELDS = new Set(['id', 'ownerId', 'createdAt', 'updatedAt']);

type Plain = Record<string, unknown>;

/** A patch merged onto a record: null or undefined clears a field. */
function applyPatch(current: Plain, patch: Plain): Plain {
  const next = { ...current };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || v === undefined) delete next[k];
    else next[k] = v;
  }
  return next;
}

/**
 * A caller's updatedAt (a record last written before it came here) lies between its creation and
 * now: a later one would win every merge of the record, as the later write wins (sync/merge.ts).
 * One that is not a time is left to the validator, which names it.
 */
function givenUpdatedAtProblems(input: Plain, doc: Plain, now: string): FieldProblem[] {
  if (typeof input.updatedAt !== 'string') return [];
  const at = Date.parse(input.updatedAt);
  if (Number.isNaN(at)) return [];
  if (at < Date.parse(String(doc.createdAt))) return [{ field: 'updatedAt', problem: 'must not be before createdAt' }];
  if (at > Date.parse(now)) return [{ field: 'updatedAt', problem: 'must not be in the future' }];
  return [];
}

function stripInternal(data: Plain): Plain {
  const out: Plain = {};
  for (const [k, v] of Object.entries(data)) if (!k.startsWith('_')) out[k] = v;
  return out;
}

/**
 * The only code that writes an entity's records: stamps time, actor and ids, applies defaults,
 * validates against the registry (bad input never reaches storage) and soft-deletes. Auditing
 * happens in the storage layer beneath, so it also covers writes that bypass this class.
 */
export class EntityRepository<E extends EntityDef> {
  constructor(
    private readonly db: LocalDatabase,
    readonly entity: E,
  ) {}

  private get collection(): RxCollection<StoredDoc> {
    if (!this.entity.collection) throw new Error(`${this.entity.name} is not stored as documents`);
    return this.db.rx[this.entity.collection];
  }

  private async customFields(): Promise<CustomFieldDef[] | undefined> {
    return this.entity.customizable ? customFieldDefs(this.db.rx, this.entity.name) : undefined;
  }

  private rejectSystemFields(input: Plain, allowed: ReadonlySet<string>): void {
    const problems = [...SYSTEM_FIELDS, ...Object.keys(this.entity.derived ?? {})]
      .filter((f) => f in input && !allowed.has(f))
      .map((field) => ({ field, problem: 'is set by the system and cannot be given' }));
    if (problems.length > 0) throw new ValidationError(this.entity.name, problems);
  }

  private assertGivenTimes(input: Plain, doc: Plain, index?: number): void {
    const problems = givenUpdatedAtProblems(input, doc, this.db.clock.now().toISOString());
    if (problems.length > 0) throw new ValidationError(this.entity.name, problems, index);
  }

  /** The complete stored record for a create, before validation. */
  private build(input: Plain): Plain {
    const { userId } = this.db.actor();
    const now = this.db.clock.now().toISOString();
    const doc: Plain = {};
    for (const [name, field] of Object.entries(this.entity.fields)) {
      if (field.default !== undefined) doc[name] = field.default;
    }
    for (const [k, v] of Object.entries(input)) if (v !== undefined && v !== null) doc[k] = v;
    const createdAt = typeof input.createdAt === 'string' ? input.createdAt : now;
    const createdMs = Date.parse(createdAt);
    Object.assign(doc, {
      id: input.id ?? this.db.newId(),
      kind: this.entity.name,
      ownerId: input.ownerId ?? userId,
      createdAt,
      updatedAt: typeof input.updatedAt === 'string' ? input.updatedAt : now,
      createdBy: userId,
      updatedBy: userId,
      isDeleted: false,
      newest: Number.isNaN(createdMs) ? 0 : NEWEST_MAX - createdMs,
    });
    return withDerived(this.entity, doc);
  }

  /** The record `create` would write, validated, without writing it (for multi-record operations). */
  async check(input: EntityInputOf<E>): Promise<EntityRecord<E>> {
    this.rejectSystemFields(input as Plain, INPUT_BASE_FIELDS);
    const doc = this.build(input as Plain);
    assertValid(this.entity, doc, { customFields: await this.customFields() });
    this.assertGivenTimes(input as Plain, doc);
    return doc as EntityRecord<E>;
  }

  /** Creates one record; throws ValidationError naming each bad field. */
  async create(input: EntityInputOf<E>): Promise<EntityRecord<E>> {
    const doc = (await this.check(input)) as Plain;
    try {
      await this.collection.insert(doc as StoredDoc);
    } catch (error) {
      if ((error as { code?: string }).code === 'CONFLICT') {
        throw new ValidationError(this.entity.name, [{ field: 'id', problem: `"${String(doc.id)}" already exists` }]);
      }
      throw error;
    }
    return doc as EntityRecord<E>;
  }

  /**
   * Creates many records in one storage write. Every record is validated first: one bad record
   * rejects the whole call (ValidationError with its position) and nothing is written.
   */
  async bulkCreate(inputs: readonly EntityInputOf<E>[]): Promise<BulkResult> {
    const defs = await this.customFields();
    const seen = new Set<string>();
    const docs = inputs.map((input, index) => {
      this.rejectSystemFields(input as Plain, INPUT_BASE_FIELDS);
      const doc = this.build(input as Plain);
      assertValid(this.entity, doc, { customFields: defs }, index);
      this.assertGivenTimes(input as Plain, doc, index);
      const id = String(doc.id);
      if (seen.has(id))
        throw new ValidationError(this.entity.name, [{ field: 'id', problem: `"${id}" is given twice` }], index);
      seen.add(id);
      return doc as StoredDoc;
    });
    if (docs.length === 0) return { written: 0, conflicts: [] };
    const result = await this.collection.bulkInsert(docs);
    return {
      written: result.success.length,
      conflicts: result.error.map((e) => e.documentId),
    };
  }

  private async findDoc(id: string): Promise<RxDocument<StoredDoc> | undefined> {
    const doc = await this.collection.findOne(id).exec();
    return doc && doc.kind === this.entity.name ? doc : undefined;
  }

  /** The record, soft-deleted or not; undefined when there is none of this kind. */
  async get(id: string): Promise<EntityRecord<E> | undefined> {
    const doc = await this.findDoc(id);
    return doc ? (doc.toJSON() as unknown as EntityRecord<E>) : undefined;
  }

  /** Records by id (missing ones left out), in one storage read. */
  async getMany(ids: readonly string[]): Promise<EntityRecord<E>[]> {
    const found = await this.collection.findByIds([...new Set(ids)]).exec();
    return [...found.values()]
      .filter((doc) => doc.kind === this.entity.name)
      .map((doc) => doc.toJSON() as unknown as EntityRecord<E>);
  }

  /** One record, re-emitted on every change (soft-deleted included); undefined when there is none of this kind. */
  observeOne(id: string): Observable<EntityRecord<E> | undefined> {
    return this.collection
      .findOne(id)
      .$.pipe(
        map((doc) => (doc && doc.kind === this.entity.name ? (doc.toJSON() as unknown as EntityRecord<E>) : undefined)),
      );
  }

  async require(id: string): Promise<EntityRecord<E>> {
    const record = await this.get(id);
    if (!record) throw new NotFoundError(this.entity.name, id);
    return record;
  }

  /** Applies a patch (null clears a field); the merged record is validated before it is written. */
  async update(id: string, patch: EntityPatchOf<E>): Promise<EntityRecord<E>> {
    const allowed = new Set(this.entity.owner === 'assigned' ? ['ownerId'] : []);
    this.rejectSystemFields(patch as Plain, allowed);
    if ('ownerId' in patch && this.entity.owner !== 'assigned') {
      throw new ValidationError(this.entity.name, [{ field: 'ownerId', problem: 'cannot be reassigned' }]);
    }
    return this.modify(id, (current) => applyPatch(current, patch as Plain));
  }

  /**
   * Applies many patches in one storage write (audited as one bulk write by the storage beneath).
   * A patch that sets a system field rejects the whole call (ValidationError with its position),
   * as in bulkCreate; a merged record that does not validate, or a record that is missing, is left
   * unwritten and listed, so one odd record (e.g. synced in half-edited) does not hold up the rest.
   * A record another write changed since it was read is patched again on its latest state.
   */
  async bulkUpdate(changes: readonly { id: string; patch: EntityPatchOf<E> }[]): Promise<BulkUpdateResult> {
    const allowed = new Set(this.entity.owner === 'assigned' ? ['ownerId'] : []);
    const seen = new Set<string>();
    for (const [index, { id, patch }] of changes.entries()) {
      try {
        this.rejectSystemFields(patch as Plain, allowed);
      } catch (error) {
        if (error instanceof ValidationError) throw new ValidationError(error.entity, error.problems, index);
        throw error;
      }
      if ('ownerId' in patch && this.entity.owner !== 'assigned')
        throw new ValidationError(this.entity.name, [{ field: 'ownerId', problem: 'cannot be reassigned' }], index);
      if (seen.has(id))
        throw new ValidationError(this.entity.name, [{ field: 'id', problem: `"${id}" is given twice` }], index);
      seen.add(id);
    }
    const result: BulkUpdateResult = { written: [], rejected: [], missing: [] };
    if (changes.length === 0) return result;
    const defs = await this.customFields();
    const found = await this.collection.findByIds([...seen]).exec();
    const rows: BulkWriteRow<StoredDoc>[] = [];
    const patchOf = new Map<string, EntityPatchOf<E>>();
    for (const { id, patch } of changes) {
      const doc = found.get(id);
      if (!doc || doc.kind !== this.entity.name) {
        result.missing.push(id);
        continue;
      }
      const previous = doc.toMutableJSON(true) as unknown as RxDocumentData<StoredDoc>;
      const next = withDerived(this.entity, applyPatch(stripInternal(previous as unknown as Plain), patch as Plain));
      next.updatedAt = this.db.clock.now().toISOString();
      next.updatedBy = this.db.actor().userId;
      try {
        assertValid(this.entity, next, { customFields: defs });
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        result.rejected.push({ id, error });
        continue;
      }
      const internal = Object.fromEntries(Object.entries(previous).filter(([k]) => k.startsWith('_')));
      rows.push({ previous, document: { ...next, ...internal } as unknown as RxDocumentData<StoredDoc> });
      patchOf.set(id, patch);
    }
    if (rows.length === 0) return result;
    const written = await this.collection.storageInstance.bulkWrite(rows, 'entity-repository-bulk-update');
    const failed = new Map(written.error.map((e) => [e.documentId, e]));
    for (const row of rows) {
      const id = String(row.document.id);
      const error = failed.get(id);
      if (!error) result.written.push(id);
      else if (error.status === 409) {
        // Changed since it was read (another tab, a pull): the single path re-applies on the latest.
        try {
          await this.update(id, patchOf.get(id) as EntityPatchOf<E>);
          result.written.push(id);
        } catch (retry) {
          if (retry instanceof ValidationError) result.rejected.push({ id, error: retry });
          else if (retry instanceof NotFoundError) result.missing.push(id);
          else throw retry;
        }
      } else throw new Error(`${this.entity.name} ${id}: bulk update failed (status ${error.status})`);
    }
    return result;
  }

  /**
   * Removes a record for good (RxDB removal, replicated as a deletion). Only for undoing a
   * record that an interrupted multi-record operation had just created; users soft-delete.
   */
  async discard(id: string): Promise<void> {
    const doc = await this.findDoc(id);
    await doc?.remove();
  }

  async softDelete(id: string): Promise<EntityRecord<E>> {
    return this.modify(id, (current) => ({
      ...current,
      isDeleted: true,
      deletedAt: this.db.clock.now().toISOString(),
    }));
  }

  async restore(id: string): Promise<EntityRecord<E>> {
    return this.modify(id, (current) => {
      const next: Plain = { ...current, isDeleted: false };
      delete next.deletedAt;
      return next;
    });
  }

  private async modify(id: string, change: (current: Plain) => Plain): Promise<EntityRecord<E>> {
    const doc = await this.findDoc(id);
    if (!doc) throw new NotFoundError(this.entity.name, id);
    const defs = await this.customFields();
    let result: Plain = {};
    // incrementalModify re-runs the change on the latest state if another write got there first.
    await doc.incrementalModify((data) => {
      const current = stripInternal(data as unknown as Plain);
      const next = withDerived(this.entity, change(current));
      next.updatedAt = this.db.clock.now().toISOString();
      next.updatedBy = this.db.actor().userId;
      assertValid(this.entity, next, { customFields: defs });
      result = next;
      const internal = Object.fromEntries(Object.entries(data).filter(([k]) => k.startsWith('_')));
      return { ...next, ...internal } as unknown as StoredDoc;
    });
    return result as EntityRecord<E>;
  }

  /** The index fields that serve the order (ascending), checked against the entity. */
  private sortOf(order: ListOptions['order']): readonly string[] {
    if (order !== 'score') return LIST_ORDERS.newest;
    const sort = LIST_ORDERS.score;
    if (!sort.every((f) => f in this.entity.allFields)) {
      throw new ValidationError(this.entity.name, [
        { field: 'order', problem: `${this.entity.plural} cannot be ordered by score` },
      ]);
    }
    return sort;
  }

  private selectorOf(
    options: Omit<ListOptions, 'limit' | 'skip'>,
    sort: readonly string[] = LIST_ORDERS.newest,
  ): {
    selector: Record<string, unknown>;
    index: string[];
  } {
    const where = options.where ?? {};
    for (const field of Object.keys(where)) {
      if (!(field in this.entity.allFields)) {
        throw new ValidationError(this.entity.name, [{ field, problem: `is not a field of ${this.entity.label}` }]);
      }
      // The storage holds it as ciphertext (field-encryption-storage.ts): the query would match nothing.
      if (sealedFieldsOf(this.entity.collection as CollectionName).has(field)) {
        throw new ValidationError(this.entity.name, [
          { field, problem: 'is encrypted on this device and cannot be filtered on; use search' },
        ]);
      }
    }
    const selector: Record<string, unknown> = { ...where };
    if (sharesCollection(this.entity)) selector.kind = this.entity.name;
    if (!options.includeDeleted) selector.isDeleted = false;
    // Only fields given a value may pick an index: one with an optional field (companyId) lacks the
    // records without it, which `{companyId: undefined}` would ask for.
    const valued = Object.keys(selector).filter((k) => selector[k] !== undefined && selector[k] !== null);
    const index = chooseIndex(this.entity, new Set(valued), sort);
    const newest = newestRange(options.created);
    if (newest) selector.newest = newest;
    return { selector, index };
  }

  /**
   * How RxDB will read a list with these options: the stored index (see chooseIndex) and whether it
   * answers the filter and the sort alone, i.e. whether a page costs a page rather than a scan.
   */
  plan(options: ListOptions = {}): {
    index: string[];
    selectorSatisfiedByIndex: boolean;
    sortSatisfiedByIndex: boolean;
  } {
    const { index, selectorSatisfiedByIndex, sortSatisfiedByIndex } = this.query(options).getPreparedQuery().queryPlan;
    return { index: [...index], selectorSatisfiedByIndex, sortSatisfiedByIndex };
  }

  /** The RxDB query behind list/observe, always on this kind's own index (see chooseIndex). */
  private query(options: ListOptions) {
    const sortFields = this.sortOf(options.order);
    const { selector, index } = this.selectorOf(options, sortFields);
    const direction = options.order === 'oldest' ? 'desc' : 'asc';
    const { after } = options;
    if (after) {
      if (options.order === 'score') {
        throw new ValidationError(this.entity.name, [
          { field: 'after', problem: 'pages the newest- and oldest-first orders only' },
        ]);
      }
      if (typeof after.newest !== 'number' || typeof after.id !== 'string') {
        throw new ValidationError(this.entity.name, [{ field: 'after', problem: 'needs a numeric newest and an id' }]);
      }
      // Oldest first is `newest` descending, the id still ascending (RxDB appends it so): past
      // (newest, id) is a greater id at that instant, then a smaller `newest` (page-query-storage.ts).
      const beyond = options.order === 'oldest' ? { $lt: after.newest } : { $gt: after.newest };
      selector.$or = [{ newest: after.newest, id: { $gt: after.id } }, { newest: beyond }];
    }
    return this.collection.find({
      selector: selector as MangoQuerySelector<StoredDoc>,
      sort: sortFields.map((f) => ({ [f]: direction })) as never,
      index,
      ...(options.limit === undefined ? {} : { limit: options.limit }),
      ...(options.skip === undefined ? {} : { skip: options.skip }),
    });
  }

  async list(options: ListOptions = {}): Promise<EntityRecord<E>[]> {
    const docs = await this.query(options).exec();
    return docs.map((d) => d.toJSON() as unknown as EntityRecord<E>);
  }

  /** The list, re-emitted whenever a matching record changes. */
  observe(options: ListOptions = {}): Observable<EntityRecord<E>[]> {
    return this.query(options).$.pipe(map((docs) => docs.map((d) => d.toJSON() as unknown as EntityRecord<E>)));
  }

  /** How many records match; answered from the index when it covers the filter. */
  async count(options: Omit<ListOptions, 'limit' | 'skip' | 'order'> = {}): Promise<number> {
    return this.countQuery(options).exec();
  }

  /**
   * The count, re-emitted on every change. With `cap`, it reads at most `cap + 1` keys of the index
   * range and answers at most `cap + 1` (more than `cap`: "10,000+"): an exact count walks the whole
   * range, which at 100k contacts held up the origin's other IndexedDB requests for seconds.
   */
  observeCount(options: Omit<ListOptions, 'limit' | 'skip' | 'order'> = {}, cap?: number): Observable<number> {
    const query = this.countQuery(options);
    if (cap === undefined) return query.$;
    // RxDB refuses a count query with a limit; the storage beneath honours one (page-query-storage.ts).
    const prepared = query.getPreparedQuery();
    const capped = { ...prepared, query: { ...prepared.query, limit: cap + 1 } };
    const storage = this.collection.storageInstance;
    return this.collection.eventBulks$.pipe(
      filter((bulk) => !bulk.isLocal),
      startWith(null),
      switchMap(() => from(storage.count(capped))),
      map((result) => Math.min(result.count, cap + 1)),
      distinctUntilChanged(),
    );
  }

  private countQuery(options: Omit<ListOptions, 'limit' | 'skip' | 'order'>) {
    const { selector, index } = this.selectorOf(options);
    return this.collection.count({ selector: selector as MangoQuerySelector<StoredDoc>, index });
  }
}
