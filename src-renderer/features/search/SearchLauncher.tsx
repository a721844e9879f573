import { useEffect, useState } from 'react';
import { SearchPalette } from './SearchPalette';
import { useSearchIndex } from './useSearchIndex';

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** The top bar's search box: a click or Ctrl/Cmd+K anywhere opens global search. */
export function SearchLauncher() {
  const index = useSearchIndex();
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'k') {
        // Also from inside a field or a form: the browser's own Ctrl+K (search the web) never applies here.
        event.preventDefault();
        setOpen(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <>
      <button
        type="button"
        className="search-launcher"
        aria-keyshortcuts="Control+K Meta+K"
        aria-haspopup="dialog"
        onClick={() => setOpen(true)}
      >
        <span>
          <span aria-hidden="true">⌕ </span>Search contacts, companies, leads, deals, notes…
        </span>
        <kbd>{isMac ? '⌘ K' : 'Ctrl K'}</kbd>
      </button>
      <SearchPalette index={index} open={open} onClose={() => setOpen(false)} />
    </>
  );
}
