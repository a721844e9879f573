import type { WriteGate } from '../sync/write-access';
import { personalFields } from './anonymise';

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * A removed record's personal data stays gone: once a row is a removal tombstone (a retention
 * deletion clears its personal fields as it removes it), a push may not set them again. Without
 * this, a device that edited the record offline merges its edit into the tombstone it is answered
 * with and pushes it back: the record stays removed, but the personal values it carried return.
 * The refused write is set aside on the device like any other refusal.
 */
export function withRemovalGuard(inner: WriteGate): WriteGate {
  return {
    load: (tx, docs) => inner.load(tx, docs),
    mayWrite(entity, before, after) {
      const decision = inner.mayWrite(entity, before, after);
      if (!decision.allowed || before?._deleted !== true) return decision;
      const field = personalFields(entity).find((name) => !same(before[name], after[name]));
      if (field === undefined) return decision;
      return {
        allowed: false,
        field,
        reason: 'cannot be written: the record was removed with its personal data (retention or deletion)',
      };
    },
    mayRead: (entity, doc) => inner.mayRead(entity, doc),
  };
}
