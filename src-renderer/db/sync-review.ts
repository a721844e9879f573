import { map, type Observable } from 'rxjs';
import { auditEntry, type FieldChanges } from '../../src-shared/audit/audit-changes';
import { getEntity, isEntityName } from '../../src-shared/entities/registry';
import {
  type CollectionName,
  type EntityDef,
  type EntityPatchOf,
  SYSTEM_FIELDS,
} from '../../src-shared/schema/define-entity';
import type { StoredDoc } from '../../src-shared/schema/to-rx-schema';
import { NotFoundError, ValidationError } from '../../src-shared/schema/validation-error';
import { type Doc, sameValue } from '../../src-shared/sync/merge';
import type { PushRejection } from '../../src-shared/sync/protocol';
import type { ResolvedConflict } from './conflict-handler';
import type { CrmRxDatabase, LocalDatabase } from './create-database';
import { EntityRepository } from './entity-repository';

/**
 * The device's sync review (DESIGN.md §5, §6 rule 6): same-field collisions the merge decided for
 * the user, and writes the server refused for good. Both wait here, across restarts, until the
 * user decides; every decision goes through the repositories (validated, audited, pushed) and
 * leaves an audit entry of its own.
 *
 * Stored as one RxDB local document of the database: it is device state, never replicated (local
 * documents have no replication) and never audited as a record (the audit storage only audits the
 * registry's collections), and it costs none of the 13 collections the open-source RxDB allows per
 * realm (11 are taken, and multi-device tests open several databases in one realm). One document
 * rather than one per item because local documents cannot be queried: a single document gives the
 * whole list in one read and one observable, and every change to it is one atomic write. The list
 * stays short (items leave when decided), so rewriting it whole costs little.
 */

/** Values travel as JSON: an absent field is `null` (which is also what clears it in a patch). */
export type ReviewValue = unknown;

export interface CollisionItem {
  /** `collection/recordId/field`: the same collision seen twice is one item. */
  id: string;
  type: 'collision';
  collection: CollectionName;
  kind: string;
  recordId: string;
  field: string;
  base: ReviewValue;
  mine: ReviewValue;
  theirs: ReviewValue;
  /** Which side the deterministic merge gave the field to, and so the value the record holds. */
  kept: 'mine' | 'theirs';
  chosen: ReviewValue;
  mineBy: string | null;
  mineAt: string | null;
  theirsBy: string | null;
  theirsAt: string | null;
  detectedAt: string;
}

export interface RejectionItem {
  /** `collection/recordId`: a later rejection of the same record replaces the earlier one. */
  id: string;
  type: 'rejection';
  collection: CollectionName;
  kind: string;
  recordId: string;
  field: string | null;
  reason: string;
  /** The state the server refused: the user's edit, kept here whatever later happens to the record. */
  rejected: Doc;
  /** The server's state as the device last knew it; null when the server never had the record. */
  serverState: Doc | null;
  at: string;
}

export type ReviewItem = CollisionItem | RejectionItem;

export type CollisionChoice = { keep: 'mine' } | { keep: 'theirs' } | { value: ReviewValue };

/** A push row the server refused, with the states RxDB sent. */
export interface RejectedRow {
  rejection: PushRejection;
  newDocumentState: Doc;
  assumedMasterState?: Doc;
}

interface ReviewData {
  collisions: CollisionItem[];
  rejections: RejectionItem[];
  /**
   * Records removed by "discard my change" that the server never had: their removal is refused
   * like the record was, and that refusal is noise, not something to review again.
   */
  discarded: string[];
}

const KEY = 'sync-review';
const EMPTY: ReviewData = { collisions: [], rejections: [], discarded: [] };
/** The audit entity's `reason` bound. */
const REASON_MAX = 500;
/** When both sides deleted a record is bookkeeping, not a disagreement worth a user's time. */
const UNREVIEWED_FIELDS = new Set(['deletedAt']);

function json(value: unknown): ReviewValue {
  return value === undefined ? null : value;
}

function brief(value: unknown): string {
  const text = JSON.stringify(json(value));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function stampOf(doc: Doc, field: 'updatedAt' | 'updatedBy'): string | null {
  return typeof doc[field] === 'string' ? doc[field] : null;
}

function plain(doc: Doc): Doc {
  return Object.fromEntries(Object.entries(doc).filter(([k]) => !k.startsWith('_') || k === '_deleted'));
}

/** A stored state with every list present (an older state may lack one). */
function complete(data: Partial<ReviewData>): ReviewData {
  return { collisions: data.collisions ?? [], rejections: data.rejections ?? [], discarded: data.discarded ?? [] };
}

type CoreDatabase = Omit<LocalDatabase, 'review'>;

export class SyncReviewStore {
  private ready: Promise<unknown> | undefined;

  /** Open collisions, newest first. */
  readonly collisions$: Observable<readonly CollisionItem[]>;
  /** Refused writes, newest first. */
  readonly rejections$: Observable<readonly RejectionItem[]>;

  constructor(private readonly core: CoreDatabase) {
    const data$ = core.rx
      .getLocal$<ReviewData>(KEY)
      .pipe(map((doc) => (doc ? complete(doc.toJSON().data as Partial<ReviewData>) : EMPTY)));
    this.collisions$ = data$.pipe(map((d) => [...d.collisions].reverse()));
    this.rejections$ = data$.pipe(map((d) => [...d.rejections].reverse()));
  }

  private get rx(): CrmRxDatabase {
    return this.core.rx;
  }

  async list(): Promise<{ collisions: CollisionItem[]; rejections: RejectionItem[] }> {
    const data = await this.read();
    return { collisions: [...data.collisions].reverse(), rejections: [...data.rejections].reverse() };
  }

  async get(itemId: string): Promise<ReviewItem | undefined> {
    const data = await this.read();
    return data.collisions.find((c) => c.id === itemId) ?? data.rejections.find((r) => r.id === itemId);
  }

  private async read(): Promise<ReviewData> {
    const doc = await this.rx.getLocal<ReviewData>(KEY);
    return doc ? complete(doc.toJSON().data as Partial<ReviewData>) : EMPTY;
  }

  /** Applies `change` atomically; it may run more than once, so it must only compute. */
  private async modify(change: (data: ReviewData) => ReviewData): Promise<void> {
    this.ready ??= this.rx.getLocal<ReviewData>(KEY).then((doc) => doc ?? this.rx.upsertLocal<ReviewData>(KEY, EMPTY));
    await this.ready;
    const doc = await this.rx.getLocal<ReviewData>(KEY);
    if (!doc) throw new Error('sync review document vanished');
    await doc.incrementalModify((data) => change(complete(data)));
  }

  /**
   * Keeps the same-field collisions of one merge for review and audits them. Idempotent: RxDB may
   * resolve the same conflict twice, and an item already held with the same three values is left
   * as it is (no second audit entry).
   */
  async recordCollisions(collection: CollectionName, conflict: ResolvedConflict): Promise<CollisionItem[]> {
    const { mine, theirs, result } = conflict;
    const recordId = String(mine.id ?? theirs.id);
    const kind = String(theirs.kind ?? mine.kind);
    const detectedAt = this.core.clock.now().toISOString();
    const candidates: CollisionItem[] = result.collisions
      .filter((c) => !UNREVIEWED_FIELDS.has(c.field))
      .map((c) => ({
        id: `${collection}/${recordId}/${c.field}`,
        type: 'collision',
        collection,
        kind,
        recordId,
        field: c.field,
        base: json(c.base),
        mine: json(c.mine),
        theirs: json(c.theirs),
        kept: c.kept,
        chosen: json(c.kept === 'mine' ? c.mine : c.theirs),
        mineBy: stampOf(mine, 'updatedBy'),
        mineAt: stampOf(mine, 'updatedAt'),
        theirsBy: stampOf(theirs, 'updatedBy'),
        theirsAt: stampOf(theirs, 'updatedAt'),
        detectedAt,
      }));
    if (candidates.length === 0) return [];
    let fresh: CollisionItem[] = [];
    await this.modify((data) => {
      const held = new Map(data.collisions.map((c) => [c.id, c]));
      fresh = candidates.filter((c) => {
        const old = held.get(c.id);
        return !(old && sameValue(old.base, c.base) && sameValue(old.mine, c.mine) && sameValue(old.theirs, c.theirs));
      });
      const replaced = new Set(fresh.map((c) => c.id));
      return { ...data, collisions: [...data.collisions.filter((c) => !replaced.has(c.id)), ...fresh] };
    });
    const first = fresh[0];
    if (first) {
      const changes: FieldChanges = {};
      for (const c of fresh) changes[c.field] = [c.kept === 'mine' ? c.theirs : c.mine, c.chosen];
      const detail = fresh
        .map(
          (c) => `${c.field}: base ${brief(c.base)}, mine ${brief(c.mine)}, theirs ${brief(c.theirs)}, kept ${c.kept}`,
        )
        .join('; ');
      await this.audit(collection, kind, recordId, changes, `collision with ${first.theirsBy ?? '?'}: ${detail}`);
    }
    return fresh;
  }

  /** Sets refused writes aside with the server's reason (rule 6); the record itself is left alone. */
  async recordRejections(collection: CollectionName, rows: readonly RejectedRow[]): Promise<void> {
    if (rows.length === 0) return;
    const at = this.core.clock.now().toISOString();
    await this.modify((data) => {
      const discarded = new Set(data.discarded);
      const items = new Map(data.rejections.map((r) => [r.id, r]));
      for (const row of rows) {
        const id = `${collection}/${row.rejection.id}`;
        if (row.newDocumentState._deleted === true && discarded.delete(id)) continue;
        items.delete(id);
        items.set(id, {
          id,
          type: 'rejection',
          collection,
          kind: String(row.newDocumentState.kind),
          recordId: row.rejection.id,
          field: row.rejection.field ?? null,
          reason: row.rejection.reason,
          rejected: plain(row.newDocumentState),
          serverState: row.assumedMasterState ? plain(row.assumedMasterState) : null,
          at,
        });
      }
      return { ...data, rejections: [...items.values()], discarded: [...discarded] };
    });
  }

  /**
   * Drops rejections of records whose later state the server accepted: the user (or a merge)
   * already fixed what was refused. Cheap when nothing matches, as on almost every push.
   */
  async clearAccepted(collection: CollectionName, recordIds: readonly string[]): Promise<void> {
    if (recordIds.length === 0) return;
    const ids = new Set(recordIds.map((id) => `${collection}/${id}`));
    const data = await this.read();
    if (!data.rejections.some((r) => ids.has(r.id)) && !data.discarded.some((id) => ids.has(id))) return;
    await this.modify((d) => ({
      ...d,
      rejections: d.rejections.filter((r) => !ids.has(r.id)),
      discarded: d.discarded.filter((id) => !ids.has(id)),
    }));
  }

  /**
   * Settles a collision: writes the chosen value to the record through its repository, audits the
   * decision and removes the item. A value the entity refuses throws the repository's
   * ValidationError naming the field, and nothing changes.
   */
  async resolveCollision(itemId: string, choice: CollisionChoice): Promise<void> {
    const item = (await this.read()).collisions.find((c) => c.id === itemId);
    if (!item) throw new NotFoundError('collision', itemId);
    const value = 'value' in choice ? choice.value : choice.keep === 'mine' ? item.mine : item.theirs;
    const repo = this.repository(item.kind);
    const before = (await repo.require(item.recordId)) as Doc;
    await repo.update(item.recordId, { [item.field]: value } as EntityPatchOf<EntityDef>);
    const how = 'value' in choice ? 'used another value' : `kept ${choice.keep}`;
    await this.audit(
      item.collection,
      item.kind,
      item.recordId,
      { [item.field]: [json(before[item.field]), json(value)] },
      `collision on ${item.field} reviewed: ${how} (mine ${brief(item.mine)}, theirs ${brief(item.theirs)})`,
    );
    await this.remove(itemId);
  }

  /**
   * "Discard my change": puts the server's state back on the record through its repository (the
   * write is audited and pushed), or removes a record the server never had, then audits the
   * decision and removes the item.
   */
  async discardRejected(itemId: string): Promise<void> {
    const item = (await this.read()).rejections.find((r) => r.id === itemId);
    if (!item) throw new NotFoundError('rejection', itemId);
    const repo = this.repository(item.kind);
    const server = item.serverState;
    const local = (await repo.get(item.recordId)) as Doc | undefined;
    if (server && server._deleted !== true) {
      await this.restoreServerState(repo, item.recordId, local, server);
    } else if (local) {
      // Marked before the removal: its push can be refused before this call returns.
      await this.modify((d) => ({ ...d, discarded: [...new Set([...d.discarded, itemId])] }));
      await repo.discard(item.recordId);
    }
    await this.audit(
      item.collection,
      item.kind,
      item.recordId,
      {},
      `rejected write discarded, ${server ? "server's state restored" : 'record removed'}: ${item.reason}`,
    );
    await this.remove(itemId);
  }

  /**
   * "Discard" in the outbox: a change the server has not received yet is undone. A record the
   * server has is put back to `serverState` (its last known state) through its repository; one
   * the server never had is removed. Audited as a decision of its own.
   */
  async discardUnpushed(
    collection: CollectionName,
    kind: string,
    recordId: string,
    serverState: Doc | null,
  ): Promise<void> {
    const repo = this.repository(kind);
    const local = (await repo.get(recordId)) as Doc | undefined;
    if (serverState && serverState._deleted !== true) {
      await this.restoreServerState(repo, recordId, local, serverState);
    } else if (local) {
      // Its removal may be refused like a record the server never saw; that refusal is not for review.
      const itemId = `${collection}/${recordId}`;
      await this.modify((d) => ({ ...d, discarded: [...new Set([...d.discarded, itemId])] }));
      await repo.discard(recordId);
    }
    await this.audit(
      collection,
      kind,
      recordId,
      {},
      `unsynced change discarded, ${serverState ? "server's last known state restored" : 'never-synced record removed'}`,
    );
  }

  /**
   * "Try again": writes the refused state back on the record through its repository (validated,
   * audited, pushed again), for when what the server refused has changed (a permission granted,
   * a conflicting record gone). A refusal again comes back as a new item. Audited; the item goes.
   */
  async retryRejected(itemId: string): Promise<void> {
    const item = (await this.read()).rejections.find((r) => r.id === itemId);
    if (!item) throw new NotFoundError('rejection', itemId);
    const repo = this.repository(item.kind);
    const local = (await repo.get(item.recordId)) as Doc | undefined;
    await this.restoreServerState(repo, item.recordId, local, item.rejected);
    // The record usually still holds the refused state (RxDB counts a refusal as written): a fresh
    // write is what makes the replication send it again.
    if (local) await repo.update(item.recordId, {} as EntityPatchOf<EntityDef>);
    await this.audit(item.collection, item.kind, item.recordId, {}, `rejected write sent again: ${item.reason}`);
    await this.remove(itemId);
  }

  /** Closes an item without touching the record (the user read it and moves on); audited. */
  async dismiss(itemId: string): Promise<void> {
    const item = await this.get(itemId);
    if (!item) throw new NotFoundError('sync review item', itemId);
    const what =
      item.type === 'collision'
        ? `collision on ${item.field} dismissed: kept the merge's ${item.kept} ${brief(item.chosen)}`
        : `rejected write dismissed: ${item.reason}`;
    await this.audit(item.collection, item.kind, item.recordId, {}, what);
    await this.remove(itemId);
  }

  private async remove(itemId: string): Promise<void> {
    await this.modify((d) => ({
      ...d,
      collisions: d.collisions.filter((c) => c.id !== itemId),
      rejections: d.rejections.filter((r) => r.id !== itemId),
    }));
  }

  private repository(kind: string): EntityRepository<EntityDef> {
    if (!isEntityName(kind))
      throw new ValidationError('sync review item', [{ field: 'kind', problem: `"${kind}" is not an entity` }]);
    return new EntityRepository<EntityDef>({ ...this.core, review: this }, getEntity(kind));
  }

  private async restoreServerState(
    repo: EntityRepository<EntityDef>,
    id: string,
    local: Doc | undefined,
    server: Doc,
  ): Promise<void> {
    const system = new Set<string>([...SYSTEM_FIELDS, 'ownerId', ...Object.keys(repo.entity.derived ?? {})]);
    if (!local) {
      // Removed here, still on the server: create it again with the server's values.
      const input: Doc = { id, ownerId: server.ownerId, createdAt: server.createdAt };
      for (const [k, v] of Object.entries(server)) if (!system.has(k) && !k.startsWith('_')) input[k] = v;
      await repo.create(input as never);
      if (server.isDeleted === true) await repo.softDelete(id);
      return;
    }
    const patch: Doc = {};
    for (const k of new Set([...Object.keys(local), ...Object.keys(server)])) {
      if (k.startsWith('_') || system.has(k)) continue;
      if (!sameValue(local[k], server[k])) patch[k] = json(server[k]);
    }
    if (repo.entity.owner === 'assigned' && !sameValue(local.ownerId, server.ownerId)) patch.ownerId = server.ownerId;
    if (Object.keys(patch).length > 0) await repo.update(id, patch as EntityPatchOf<EntityDef>);
    if (server.isDeleted === true && local.isDeleted !== true) await repo.softDelete(id);
    if (server.isDeleted !== true && local.isDeleted === true) await repo.restore(id);
  }

  /** One audit entry through the shared entry builder, beside the storage's own record entries. */
  private async audit(
    collection: CollectionName,
    kind: string,
    recordId: string,
    changes: FieldChanges,
    reason: string,
  ): Promise<void> {
    if (!this.rx.collections.audit) return;
    const { userId, deviceId } = this.core.actor();
    const entry = auditEntry(
      { id: this.core.newId(), at: this.core.clock.now(), actorId: userId, deviceId, collection },
      [{ id: recordId, kind, action: 'conflict', changes }],
    );
    const text = reason.length > REASON_MAX ? `${reason.slice(0, REASON_MAX - 3)}...` : reason;
    await this.rx.audit.insert({ ...entry, reason: text } as unknown as StoredDoc);
  }
}
