import type { RxConflictHandler } from 'rxdb';
import { getEntity, isEntityName } from '../../src-shared/entities/registry';
import { withDerived } from '../../src-shared/schema/define-entity';
import type { StoredDoc } from '../../src-shared/schema/to-rx-schema';
import { type Doc, type MergeResult, mergeThreeWay, sameValue } from '../../src-shared/sync/merge';

/** The replicated state of a document: its fields and `_deleted`, without RxDB's bookkeeping. */
function replicated(doc: Doc): Doc {
  const out: Doc = {};
  for (const [key, value] of Object.entries(doc)) if (!key.startsWith('_') || key === '_deleted') out[key] = value;
  out._deleted = doc._deleted === true;
  return out;
}

/**
 * Derived fields (a lead's scoreRank) follow the merged fields they come from, and are never a
 * collision of their own: the user reviews the score, not its inverted copy.
 */
function settleDerived(result: MergeResult): MergeResult {
  const kind = String(result.merged.kind);
  if (!isEntityName(kind)) return result;
  const entity = getEntity(kind);
  if (!entity.derived) return result;
  const derived = new Set(Object.keys(entity.derived));
  return {
    merged: withDerived(entity, result.merged),
    collisions: result.collisions.filter((c) => !derived.has(c.field)),
  };
}

/** One resolved push conflict: the three states the merge saw and what it made of them. */
export interface ResolvedConflict {
  /** The server state the device's change was based on (undefined: both created the same id). */
  base: Doc | undefined;
  mine: Doc;
  theirs: Doc;
  result: MergeResult;
}

export interface ConflictHandlerOptions {
  /**
   * Told of every merge that had same-field collisions, before RxDB writes the merged state, so
   * the review item is durable by the time the merge is. A failure here is reported, never thrown:
   * the merge must still happen or the replicas would stop converging.
   */
  onCollisions?: (conflict: ResolvedConflict) => Promise<void>;
  onError?: (error: unknown) => void;
}

/**
 * Resolves a push the server refused as stale with the shared three-way merge, so an offline edit
 * to one field never erases someone else's edit to another. RxDB writes the result locally (the
 * audit records it as a merge) and pushes it again with the server's state as its base.
 *
 * RxDB may call `resolve` again for the same conflict (when a local write lands between the
 * resolution and its write), so `onCollisions` must be idempotent.
 */
export function createConflictHandler(options: ConflictHandlerOptions = {}): RxConflictHandler<StoredDoc> {
  return {
    isEqual: (a, b) => sameValue(replicated(a as Doc), replicated(b as Doc)),
    async resolve(input) {
      const base = input.assumedMasterState ? replicated(input.assumedMasterState as Doc) : undefined;
      const mine = replicated(input.newDocumentState as Doc);
      const theirs = replicated(input.realMasterState as Doc);
      const result = settleDerived(mergeThreeWay(base, mine, theirs));
      if (result.collisions.length > 0 && options.onCollisions) {
        try {
          await options.onCollisions({ base, mine, theirs, result });
        } catch (error) {
          (options.onError ?? ((e) => console.error('Sync review item not recorded', e)))(error);
        }
      }
      return result.merged as never;
    },
  };
}

/** The handler without a review store (tools and tests that open bare collections). */
export const crmConflictHandler: RxConflictHandler<StoredDoc> = createConflictHandler();
