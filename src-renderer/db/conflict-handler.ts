import type { RxConflictHandler } from 'rxdb';
import type { StoredDoc } from '../../src-shared/schema/to-rx-schema';
import { type Doc, mergeThreeWay, sameValue } from '../../src-shared/sync/merge';

/** The replicated state of a document: its fields and `_deleted`, without RxDB's bookkeeping. */
function replicated(doc: Doc): Doc {
  const out: Doc = {};
  for (const [key, value] of Object.entries(doc)) if (!key.startsWith('_') || key === '_deleted') out[key] = value;
  out._deleted = doc._deleted === true;
  return out;
}

/**
 * Resolves a push the server refused as stale with the shared three-way merge, so an offline edit
 * to one field never erases someone else's edit to another. RxDB writes the result locally (the
 * audit records it as a merge) and pushes it again with the server's state as its base.
 */
export const crmConflictHandler: RxConflictHandler<StoredDoc> = {
  isEqual: (a, b) => sameValue(replicated(a as Doc), replicated(b as Doc)),
  async resolve(input) {
    const base = input.assumedMasterState ? replicated(input.assumedMasterState as Doc) : undefined;
    const { merged } = mergeThreeWay(
      base,
      replicated(input.newDocumentState as Doc),
      replicated(input.realMasterState as Doc),
    );
    return merged as never;
  },
};
