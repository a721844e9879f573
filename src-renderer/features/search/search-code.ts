import { useCallback, useState } from 'react';
import { onDemand } from '../../ui/on-demand';

/** What the search chunk holds (search-runtime.ts). */
export type SearchCode = typeof import('./search-runtime');

let loaded: SearchCode | undefined;

/**
 * The search chunk, fetched once: when the page is idle after the first paint, at the first sign
 * the user is about to search (pointer or focus on the launcher, Ctrl or Cmd held), or by the
 * app's preload of every on-demand chunk (ui/on-demand.ts), whichever comes first.
 */
export const loadSearchCode = onDemand(() =>
  import('./search-runtime').then((code) => {
    loaded = code;
    return code;
  }),
);

export interface SearchCodeState {
  /** The chunk once it is here; undefined until then. */
  code: SearchCode | undefined;
  /** Why it could not be fetched (offline before it was preloaded); a later `want` tries again. */
  error: string | undefined;
  /** Fetches it now (once; a no-op when it is here or on its way). */
  want: () => void;
}

export function useSearchCode(): SearchCodeState {
  const [code, setCode] = useState(loaded);
  const [error, setError] = useState<string>();
  const want = useCallback(() => {
    if (loaded) {
      setCode(loaded);
      return;
    }
    setError(undefined);
    loadSearchCode().then(setCode, (reason: unknown) => {
      console.warn('[search] the search code could not be fetched', reason);
      setError(reason instanceof Error ? reason.message : String(reason));
    });
  }, []);
  return { code, error, want };
}
