import { useEffect, useState } from 'react';
import type { Observable } from 'rxjs';

/** The latest value of an observable; re-subscribes when `deps` change. */
export function useObservable<T>(factory: () => Observable<T>, initial: T, deps: readonly unknown[]): T {
  const [value, setValue] = useState<T>(initial);
  useEffect(
    () => {
      const subscription = factory().subscribe(setValue);
      return () => subscription.unsubscribe();
    },
    // biome-ignore lint/correctness/useExhaustiveDependencies: the caller names what the factory depends on.
    deps,
  );
  return value;
}
