import { of } from 'rxjs';
import { useCrm } from '../app/crm-context';
import type { Replication } from '../db/replication';
import { useObservable } from '../ui/useObservable';

/** The running replication (undefined in demo mode, signed out, or waiting for a new sign-in). */
export function useReplication(): Replication | undefined {
  const { sync } = useCrm();
  return useObservable(() => sync?.replication$ ?? of(undefined), sync?.replication$.value, [sync]);
}
