import type { EntityDef } from '../../../src-shared/schema/define-entity';
import type { Database } from '../db/database';
import { selectForUpdate, updateRow } from './row-writer';

/**
 * A device whose write over a removed record is refused (typically an offline edit of a record a
 * retention run deleted: retention/removal-guard.ts) keeps its copy: RxDB counts a refused row as
 * pushed, and the tombstone it was answered with is older than what it now holds, so no pull
 * brings it again. Like the erasure guard (privacy/erasure-guard.ts), the server then writes each
 * such tombstone again, unchanged but with a new txid, so the device's next pull replaces its copy.
 * Live rows are left alone: a refused edit of a live record leaves nothing the device may not keep.
 */
export async function resendRemoved(
  db: Database,
  refused: readonly { entity: EntityDef; id: string }[],
): Promise<{ txid: string; written: number } | undefined> {
  if (refused.length === 0) return undefined;
  return db.transaction(async (tx) => {
    let txid = '0';
    let written = 0;
    for (const { entity, id } of refused) {
      const current = await selectForUpdate(tx, entity, id);
      if (current?._deleted !== true) continue;
      txid = await updateRow(tx, entity, current, { erasing: true });
      written++;
    }
    return written === 0 ? undefined : { txid, written };
  });
}
