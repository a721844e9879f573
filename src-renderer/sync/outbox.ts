import {
  getChangedDocumentsSince,
  getComposedPrimaryKeyOfDocumentData,
  type RxDocumentData,
  type RxStorageDefaultCheckpoint,
  type RxStorageInstance,
} from 'rxdb';
import type { RxReplicationState } from 'rxdb/plugins/replication';
import { combineLatest, debounceTime, map, merge, type Observable, of, startWith, switchMap } from 'rxjs';
import type { CollectionName } from '../../src-shared/schema/define-entity';
import type { StoredDoc } from '../../src-shared/schema/to-rx-schema';
import { type Doc, sameValue } from '../../src-shared/sync/merge';
import type { SyncCheckpoint } from '../../src-shared/sync/protocol';
import type { Replication } from '../db/replication';

/**
 * The outbox: local changes the server has not accepted yet, read from RxDB's own bookkeeping
 * rather than kept a second time. RxDB's replication keeps, per document, the state it assumes
 * the server holds (the meta instance's `docData`, written when a pull lands and when a push is
 * accepted) and an upstream checkpoint over the local change feed (`_meta.lwt`, id), stored after
 * each pushed batch (node_modules/rxdb/src/replication-protocol/upstream.ts, meta-instance.ts).
 *
 * A document is pending when it changed since that checkpoint AND differs from its assumed server
 * state (or has none: the server never had it). The checkpoint bounds the scan to the recent
 * changes; the comparison drops what a pull wrote (the fork equals what the server sent) and what
 * a push already delivered before its checkpoint was stored. A write the server refused for good
 * counts as delivered (RxDB records it as written); it waits in the review store, not here.
 */

export type PendingChange = 'created' | 'updated' | 'deleted' | 'removed';

export interface PendingDoc {
  collection: CollectionName;
  id: string;
  kind: string;
  change: PendingChange;
  /** The local state waiting to be pushed (replicated fields and `_deleted`). */
  local: Doc;
  /** What the device last knew of the server's state; null: the server never had the record. */
  server: Doc | null;
  /** Fields that differ from the server's state (all of the record's for a new one). */
  fields: string[];
  /** When the device wrote it (RxDB's last-write time, ms). */
  writtenAt: number;
}

type State = RxReplicationState<StoredDoc, SyncCheckpoint>;
type MetaDoc = RxDocumentData<{
  id: string;
  itemId: string;
  isCheckpoint: string;
  docData?: Doc;
  checkpointData?: unknown;
}>;

/** The replicated state of a document: its fields and `_deleted`, none of RxDB's bookkeeping. */
export function replicatedState(doc: Record<string, unknown>): Doc {
  const out: Doc = {};
  for (const [key, value] of Object.entries(doc)) if (!key.startsWith('_') || key === '_deleted') out[key] = value;
  out._deleted = doc._deleted === true;
  return out;
}

/** Stamps that change on every write: a difference in them alone is not a field the user changed. */
const STAMPS = new Set(['updatedAt', 'updatedBy', 'newest', '_deleted']);

export function changedFields(local: Doc, server: Doc | null): string[] {
  if (!server) return Object.keys(local).filter((k) => !STAMPS.has(k) && k !== 'id' && k !== 'kind');
  const keys = new Set([...Object.keys(local), ...Object.keys(server)]);
  return [...keys].filter((k) => !STAMPS.has(k) && !sameValue(local[k] ?? null, server[k] ?? null)).sort();
}

function changeOf(local: Doc, server: Doc | null): PendingChange {
  if (local._deleted === true) return 'removed';
  if (!server || server._deleted === true) return 'created';
  if (local.isDeleted === true && server.isDeleted !== true) return 'deleted';
  return 'updated';
}

/** How many local changes one scan reads at a time. */
const SCAN_BATCH = 500;

/**
 * The collection's pending documents, oldest write first; undefined when the replication is not
 * running (signed out, stopped), since then nothing says what the server has.
 */
export async function pendingDocs(collection: CollectionName, state: State): Promise<PendingDoc[] | undefined> {
  if (state.isStopped()) return undefined;
  await state.startPromise;
  const meta = state.metaInstance as RxStorageInstance<MetaDoc, unknown, unknown> | undefined;
  const fork = state.internalReplicationState?.input.forkInstance as
    | RxStorageInstance<StoredDoc, unknown, unknown, RxStorageDefaultCheckpoint>
    | undefined;
  if (!meta || !fork || state.isStopped()) return undefined;
  const key = (itemId: string, isCheckpoint: '0' | '1') =>
    getComposedPrimaryKeyOfDocumentData(meta.schema, { itemId, isCheckpoint } as Partial<MetaDoc>);
  try {
    const [upDoc] = await meta.findDocumentsById([key('up', '1')], false);
    let checkpoint = upDoc?.checkpointData as RxStorageDefaultCheckpoint | undefined;
    const out: PendingDoc[] = [];
    // Page by page, so that a scan right after a large pull (before the upstream has moved its
    // checkpoint past it) holds one page and the pending documents, not every pulled one.
    for (;;) {
      const page = await getChangedDocumentsSince(fork, SCAN_BATCH, checkpoint);
      if (page.documents.length > 0) out.push(...(await comparePage(collection, meta, key, page.documents)));
      if (page.documents.length < SCAN_BATCH) break;
      checkpoint = page.checkpoint;
    }
    return out;
  } catch (error) {
    // The replication stopped during the scan and closed its meta instance.
    if (state.isStopped()) return undefined;
    throw error;
  }
}

/** The documents of one page that differ from what the device assumes the server holds. */
async function comparePage(
  collection: CollectionName,
  meta: RxStorageInstance<MetaDoc, unknown, unknown>,
  key: (itemId: string, isCheckpoint: '0' | '1') => string,
  changed: readonly RxDocumentData<StoredDoc>[],
): Promise<PendingDoc[]> {
  const metas = await meta.findDocumentsById(
    changed.map((d) => key(String(d.id), '0')),
    true,
  );
  const assumed = new Map(metas.map((m) => [m.itemId, m.docData ? replicatedState(m.docData) : undefined]));
  const out: PendingDoc[] = [];
  for (const doc of changed) {
    const local = replicatedState(doc as unknown as Doc);
    const server = assumed.get(String(doc.id)) ?? null;
    if (server && sameValue(local, server)) continue;
    // Created and removed here before any push: nothing the server needs or the user can act on.
    if (!server && local._deleted === true) continue;
    out.push({
      collection,
      id: String(doc.id),
      kind: String(local.kind),
      change: changeOf(local, server),
      local,
      server,
      fields: changedFields(local, server),
      writtenAt: doc._meta.lwt,
    });
  }
  return out;
}

/**
 * The pending documents of one collection, recomputed after local writes, pulls and pushes (each
 * moves the checkpoint or the assumed server states), at most every `debounceMs`.
 */
export function observePending(
  collection: CollectionName,
  state: State,
  debounceMs = 250,
): Observable<PendingDoc[] | undefined> {
  const triggers = merge(state.collection.$, state.active$, state.sent$, state.error$);
  return triggers.pipe(
    debounceTime(debounceMs),
    startWith(null),
    switchMap(() => pendingDocs(collection, state).catch(() => undefined)),
  );
}

export type Outbox = ReadonlyMap<CollectionName, readonly PendingDoc[] | undefined>;

/** Every collection's pending documents, as one map kept current. */
export function observeOutbox(replication: Replication, debounceMs = 250): Observable<Outbox> {
  const entries = [...replication.states.entries()];
  if (entries.length === 0) return of(new Map());
  return combineLatest(entries.map(([name, state]) => observePending(name, state, debounceMs))).pipe(
    map((lists) => new Map(entries.map(([name], i) => [name, lists[i]]))),
  );
}

/** Pending record changes in all collections; the audit trail travels with them and is not counted. */
export function pendingTotal(outbox: Outbox): number {
  let total = 0;
  for (const [name, docs] of outbox) if (name !== 'audit') total += docs?.length ?? 0;
  return total;
}
