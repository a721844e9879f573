import { type EntityDef, LIST_ORDERS } from '../../src-shared/schema/define-entity';
import { declaredIndexes, sharesCollection } from '../../src-shared/schema/to-rx-schema';

const DEFAULT_SORT: readonly string[] = LIST_ORDERS.newest;

function endsWith(index: readonly string[], sort: readonly string[]): boolean {
  return (
    sort.length > 0 && index.length >= sort.length && sort.every((f, i) => index[index.length - sort.length + i] === f)
  );
}

/**
 * Chooses the stored index a list query of one kind must use. RxDB's own planner may pick an
 * index of a neighbouring kind in a shared collection, from which IndexedDB left this kind's
 * documents out; so the repository always names the index, choosing among this kind's own:
 * the one whose equality fields are all constrained, covering the most constrained fields, and on
 * a tie the one that also serves the sort (`sort`, the trailing fields of LIST_ORDERS).
 *
 * `equalityFields` must only name fields the query gives a value (not undefined): an index may
 * hold an optional field (a contact's companyId), and IndexedDB leaves documents without it out of
 * that index, which is sound only for `field = value`.
 */
export function chooseIndex(
  entity: EntityDef,
  equalityFields: ReadonlySet<string>,
  sort: readonly string[] = DEFAULT_SORT,
): string[] {
  let best: string[] | undefined;
  let bestScore = -1;
  for (const index of declaredIndexes(entity)) {
    const sorted = endsWith(index, sort);
    const equality = sorted ? index.slice(0, index.length - sort.length) : index.filter((f) => f !== 'newest');
    if (!equality.every((f) => equalityFields.has(f))) continue;
    const score = equality.length * 2 + (sorted ? 1 : 0);
    if (score > bestScore) {
      best = index;
      bestScore = score;
    }
  }
  // ['isDeleted', 'newest'] always exists, so only a query that leaves `deleted` open lands here.
  const chosen = best ?? ['isDeleted', 'newest'];
  return sharesCollection(entity) ? ['kind', ...chosen] : chosen;
}
