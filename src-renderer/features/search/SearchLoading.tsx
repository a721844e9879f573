import { useLayoutEffect, useRef } from 'react';

interface SearchLoadingProps {
  query: string;
  onQueryChange: (query: string) => void;
  onClose: () => void;
  /** The chunk could not be fetched: said, with a way to try again. */
  error: string | undefined;
  onRetry: () => void;
}

/**
 * The palette's frame while its code is fetched (search-code.ts): opened at once by Ctrl/Cmd+K, it
 * takes what the user types into the query the palette starts from, so no keystroke is lost.
 */
export function SearchLoading({ query, onQueryChange, onClose, error, onRetry }: SearchLoadingProps) {
  const ref = useRef<HTMLDialogElement>(null);
  // Before paint: the dialog is modal and its input focused before the next keystroke is dispatched.
  useLayoutEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: a click on the backdrop closes; Escape does it by keyboard.
    <dialog
      ref={ref}
      className="dialog search-palette"
      aria-label="Search"
      aria-busy={error === undefined}
      onClose={onClose}
      onClick={(e) => e.target === ref.current && onClose()}
    >
      <div className="search-input-row">
        <span className="search-glyph" aria-hidden="true">
          ⌕
        </span>
        <input
          type="search"
          role="combobox"
          aria-expanded={false}
          aria-autocomplete="list"
          placeholder="Search contacts, companies, leads, deals, notes…"
          value={query}
          onChange={(e) => onQueryChange(e.target.value)}
          // Nothing to move to or open yet.
          onKeyDown={(e) => (e.key === 'Enter' || e.key === 'ArrowDown' || e.key === 'ArrowUp') && e.preventDefault()}
          spellCheck={false}
          autoComplete="off"
        />
        <kbd>Esc</kbd>
      </div>
      <div className="search-empty" role="status">
        {error === undefined ? (
          <span>Opening search…</span>
        ) : (
          <>
            <strong>Search could not be opened</strong>
            <span>
              Its code did not load ({error}).{' '}
              <button type="button" className="link-button" onClick={onRetry}>
                Try again
              </button>
            </span>
          </>
        )}
      </div>
    </dialog>
  );
}
