import type { EntityDef } from '../../src-shared/schema/define-entity';
import { declaredIndexes, sharesCollection } from '../../src-shared/schema/to-rx-schema';

/**
 * Chooses the stored index a list query of one kind must use. RxDB's own planner may pick an
 * index of a neighbouring kind in a shared collection, from which IndexedDB left this kind's
 * documents out; so the repository always names the index, choosing among this kind's own:
 * the one whose equality fields are all constrained, covering the most constrained fields.
 */
export function chooseIndex(entity: EntityDef, equalityFields: ReadonlySet<string>): string[] {
  let best: string[] | undefined;
  let bestScore = -1;
  for (const index of declaredIndexes(entity)) {
    const equality = index.filter((f) => f !== 'newest');
    if (!equality.every((f) => equalityFields.has(f))) continue;
    if (equality.length > bestScore) {
      best = index;
      bestScore = equality.length;
    }
  }
  // ['isDeleted', 'newest'] always exists, so only a query that leaves `deleted` open lands here.
  const chosen = best ?? ['isDeleted', 'newest'];
  return sharesCollection(entity) ? ['kind', ...chosen] : chosen;
}
