import { useEffect, useState } from 'react';
import { useCrm } from '../../app/crm-context';
import { SearchLoading } from './SearchLoading';
import { loadSearchCode, useSearchCode } from './search-code';
import './search.css';

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/**
 * The index build waits this long after the app opened: the first list page comes first (it reads
 * the same IndexedDB), then the index fills in idle time. Opening search starts it at once.
 */
export const BUILD_DELAY_MS = 1500;

/** Runs `run` when the page is idle (at the latest after a second), or at once without idle callbacks. */
function whenIdle(run: () => void): () => void {
  if (typeof requestIdleCallback !== 'function') {
    run();
    return () => {};
  }
  const handle = requestIdleCallback(run, { timeout: 1000 });
  return () => cancelIdleCallback(handle);
}

/**
 * The top bar's search box: a click or Ctrl/Cmd+K anywhere opens global search. The palette's code
 * is fetched on demand (search-code.ts); until it is here the shortcut opens a frame that keeps
 * what is typed, so the first press works at once and loses nothing.
 */
export function SearchLauncher() {
  const { db, repos } = useCrm();
  const { code, error, want } = useSearchCode();
  const [open, setOpen] = useState(false);
  // Here, not in the palette: what is typed while its code loads is the query it starts from.
  const [query, setQuery] = useState('');

  useEffect(() => {
    let live = true;
    const cancels = [whenIdle(want)];
    const timer = setTimeout(() => {
      cancels.push(
        whenIdle(() => {
          loadSearchCode().then(
            (search) => live && void search.searchIndexOf(db, repos).start(),
            () => {},
          );
        }),
      );
    }, BUILD_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
      for (const cancel of cancels) cancel();
    };
  }, [db, repos, want]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      // Ctrl or Cmd held: a search may follow, fetch its code now.
      if (event.key === 'Control' || event.key === 'Meta') want();
      if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'k') {
        // Also from inside a field or a form: the browser's own Ctrl+K (search the web) never applies here.
        event.preventDefault();
        want();
        setOpen(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [want]);

  const Palette = code?.SearchPalette;
  return (
    <>
      <button
        type="button"
        className="search-launcher"
        aria-keyshortcuts="Control+K Meta+K"
        aria-haspopup="dialog"
        onPointerEnter={want}
        onFocus={want}
        onClick={() => {
          want();
          setOpen(true);
        }}
      >
        <span>
          <span aria-hidden="true">⌕ </span>Search contacts, companies, leads, deals, notes…
        </span>
        <kbd>{isMac ? '⌘ K' : 'Ctrl K'}</kbd>
      </button>
      {Palette && code ? (
        <Palette
          index={code.searchIndexOf(db, repos)}
          open={open}
          query={query}
          onQueryChange={setQuery}
          onClose={() => setOpen(false)}
        />
      ) : (
        open && (
          <SearchLoading
            query={query}
            onQueryChange={setQuery}
            onClose={() => setOpen(false)}
            error={error}
            onRetry={want}
          />
        )
      )}
    </>
  );
}
