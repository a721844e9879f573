import { firstValueFrom } from 'rxjs';
import type { CollectionName } from '../../src-shared/schema/define-entity';
import type { Replication } from '../db/replication';
import { type Outbox, observeOutbox, pendingTotal } from './outbox';
import { type WipeTarget, wipeLocalData } from './session-wipe';

/** Unsent changes per collection, largest first; collections whose count is unknown are listed with null. */
export function pendingByCollection(outbox: Outbox): { collection: CollectionName; count: number | null }[] {
  return (
    [...outbox.entries()]
      .map(([collection, docs]) => ({ collection, count: docs === undefined ? null : docs.length }))
      // The audit trail travels with the records it describes (as in pendingTotal).
      .filter((row) => row.collection !== 'audit' && row.count !== 0)
      .sort((a, b) => (b.count ?? Number.POSITIVE_INFINITY) - (a.count ?? Number.POSITIVE_INFINITY))
  );
}

/** Pushing before sign-out did not get everything to the server: nothing was removed. */
export class PushIncompleteError extends Error {
  override readonly name = 'PushIncompleteError';
}

export interface PushAndSignOutOptions extends WipeTarget {
  replication: Replication | undefined;
  /** How long to wait for the server before giving up (and keeping everything). */
  timeoutMs?: number;
  /** Offline or working offline: nothing can be sent, so it fails at once. */
  offline?: boolean;
}

/**
 * "Push and sign out": waits until every collection is in sync, checks that no change is left
 * unsent, and only then wipes the device. Offline or refused, it throws and removes nothing.
 */
export async function pushAndSignOut(options: PushAndSignOutOptions): Promise<void> {
  const { replication, timeoutMs = 60_000 } = options;
  if (!replication) throw new PushIncompleteError('sync is paused: sign in again to send the changes first');
  if (options.offline) throw new PushIncompleteError('this device is offline: connect to send the changes first');
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PushIncompleteError('the server did not answer in time')), timeoutMs);
  });
  try {
    await Promise.race([replication.awaitInSync(), timeout]);
    const left = pendingTotal(await firstValueFrom(observeOutbox(replication, 0)));
    if (left > 0) throw new PushIncompleteError(`${left} ${left === 1 ? 'change is' : 'changes are'} still unsent`);
  } finally {
    clearTimeout(timer);
  }
  await wipeLocalData(options);
}
