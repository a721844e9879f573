import { useSyncExternalStore } from 'react';
import { onDemand } from '../../ui/on-demand';

/** What the search chunk holds (search-runtime.ts). */
export type SearchCode = typeof import('./search-runtime');

/**
 * The search chunk, fetched once: when the page is idle after the first paint, at the first sign
 * the user is about to search (pointer or focus on the launcher, Ctrl or Cmd held), or by the
 * app's preload of every on-demand chunk (ui/on-demand.ts), whichever comes first.
 */
export const loadSearchCode = onDemand(() => import('./search-runtime'));

export interface SearchCodeState<T = SearchCode> {
  /** The chunk once it is here; undefined until then. */
  code: T | undefined;
  /** Why it could not be fetched (offline before it was preloaded); a later `want` tries again. */
  error: string | undefined;
  /** Fetches it now (once; a no-op when it is here or on its way). */
  want: () => void;
}

export interface SearchCodeStore<T> {
  get: () => Omit<SearchCodeState<T>, 'want'>;
  subscribe: (listener: () => void) => () => void;
  want: () => void;
}

/**
 * What useSearchCode reports, kept outside React so that the failed fetch and its retry (the
 * launcher's "Try again") are unit-tested without a DOM
 * (tests/unit/src-renderer/features/search/SearchLoading.test.tsx).
 */
export function searchCodeStore<T>(load: () => Promise<T>): SearchCodeStore<T> {
  let state: Omit<SearchCodeState<T>, 'want'> = { code: undefined, error: undefined };
  const listeners = new Set<() => void>();
  const set = (next: typeof state) => {
    state = next;
    for (const listener of listeners) listener();
  };
  return {
    get: () => state,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    want: () => {
      if (state.code !== undefined) return;
      if (state.error !== undefined) set({ code: undefined, error: undefined });
      load().then(
        (code) => state.code === undefined && set({ code, error: undefined }),
        (reason: unknown) => {
          console.warn('[search] the search code could not be fetched', reason);
          set({ code: undefined, error: reason instanceof Error ? reason.message : String(reason) });
        },
      );
    },
  };
}

const searchCode = searchCodeStore(loadSearchCode);

export function useSearchCode(): SearchCodeState {
  const { code, error } = useSyncExternalStore(searchCode.subscribe, searchCode.get);
  return { code, error, want: searchCode.want };
}
