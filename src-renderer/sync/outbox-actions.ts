import { COLLECTIONS, type CollectionName } from '../../src-shared/schema/define-entity';
import { NotFoundError, ValidationError } from '../../src-shared/schema/validation-error';
import type { LocalDatabase } from '../db/create-database';
import type { Replication } from '../db/replication';
import type { OfflineGate } from './offline-gate';
import { type PendingDoc, pendingDocs } from './outbox';

/**
 * What the outbox's buttons do. Each reads the item again from RxDB's bookkeeping rather than
 * trusting the list on screen: the change may have been pushed since it was drawn.
 */

/** Sync is off (forced offline, or the replication is not running): nothing can be sent now. */
export class SyncUnavailableError extends Error {
  override readonly name = 'SyncUnavailableError';
}

function isCollection(value: string): value is CollectionName {
  return (COLLECTIONS as readonly string[]).includes(value);
}

/** The pending change of one record, or a named error: a collection that does not exist, a change already sent. */
export async function findPending(
  replication: Replication | undefined,
  collection: string,
  recordId: string,
): Promise<PendingDoc> {
  if (!isCollection(collection)) {
    throw new ValidationError('outbox item', [{ field: 'collection', problem: `"${collection}" is not a collection` }]);
  }
  if (collection === 'audit') {
    throw new ValidationError('outbox item', [
      { field: 'collection', problem: 'audit entries travel with their records and cannot be discarded' },
    ]);
  }
  const state = replication?.states.get(collection);
  if (!replication || !state) throw new SyncUnavailableError('sync is not running: sign in first');
  const pending = await pendingDocs(collection, state);
  if (!pending) throw new SyncUnavailableError('sync is not running: sign in first');
  const item = pending.find((p) => p.id === recordId);
  if (!item) throw new NotFoundError('unsynced change', `${collection}/${recordId}`);
  return item;
}

/** "Retry": asks the collection to push and pull again now (RxDB's reSync); refused while forced offline. */
export async function retryPending(
  replication: Replication | undefined,
  gate: OfflineGate | undefined,
  collection: string,
  recordId: string,
): Promise<void> {
  const item = await findPending(replication, collection, recordId);
  if (gate?.isOffline()) throw new SyncUnavailableError('sync is paused (forced offline): turn it back on to send');
  replication?.states.get(item.collection)?.reSync();
}

/**
 * "Discard": undoes the unsent change (the server's last known state back, or a never-synced
 * record removed), through the repositories and audited (SyncReviewStore.discardUnpushed).
 */
export async function discardPending(
  db: LocalDatabase,
  replication: Replication | undefined,
  collection: string,
  recordId: string,
): Promise<PendingDoc> {
  const item = await findPending(replication, collection, recordId);
  await db.review.discardUnpushed(item.collection, item.kind, item.id, item.server);
  return item;
}
