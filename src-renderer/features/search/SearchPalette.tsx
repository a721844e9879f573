import {
  type KeyboardEvent,
  type ReactNode,
  useDeferredValue,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { useNavigation } from '../../app/navigation';
import { SCREEN_KEYS } from '../../app/screen-keys';
import { GROUP_LABEL, SCREEN_OF, type SearchKind } from './search-documents';
import {
  foldTerm,
  type IndexProgress,
  MIN_PREFIX,
  type SearchGroup,
  type SearchHit,
  type SearchIndex,
} from './search-index';
import { useIndexProgress, useIndexSaves, useSearchableKinds } from './useSearchIndex';

const PER_KIND = 5;

/** Each kind shows its screen's sidebar icon. */
const iconOf = (kind: SearchKind): string => SCREEN_KEYS.find((k) => k.screen === SCREEN_OF[kind])?.icon ?? '•';

/** The title with the words the query's terms begin marked, so the user sees why it matched. */
function highlight(title: string, query: string): ReactNode {
  const terms = query
    .split(/[\s@.,;:]+/)
    .map(foldTerm)
    .filter(Boolean);
  if (terms.length === 0) return title;
  let offset = 0;
  return title.split(/(\s+)/).map((word) => {
    const at = offset;
    offset += word.length;
    const folded = foldTerm(word);
    const term = terms.find((t) => folded.startsWith(t));
    if (!term) return word;
    return (
      <span key={at}>
        <mark>{word.slice(0, term.length)}</mark>
        {word.slice(term.length)}
      </span>
    );
  });
}

interface SearchPaletteProps {
  index: SearchIndex;
  open: boolean;
  /** Held by the launcher: what was typed before this code arrived (SearchLoading) is where it starts. */
  query: string;
  onQueryChange: (query: string) => void;
  onClose: () => void;
}

/** Ctrl/Cmd+K: type, move with the arrows, Enter opens the record on its screen, Escape closes. */
export function SearchPalette({ index, open, query, onQueryChange: setQuery, onClose }: SearchPaletteProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  /** Made while open: it replaces the loading frame the user may be typing in. */
  const replacesLoading = useRef(open);
  const [active, setActive] = useState(0);
  // Results follow every keystroke (no fixed debounce delay): the search runs in the worker, and
  // rendering the results of a query already typed past never holds up typing.
  const shown = useDeferredValue(query);
  const progress = useIndexProgress(index);
  const saves = useIndexSaves(index);
  const kinds = useSearchableKinds();
  const openRecord = useNavigation((s) => s.open);

  // Before paint: taking over from the loading frame, the input has the focus before the next keystroke.
  useLayoutEffect(() => {
    const dialog = ref.current;
    const input = inputRef.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      // The text typed while the code loaded is being typed still: the caret goes after it. A query
      // left from an earlier search is selected, so typing replaces it.
      if (replacesLoading.current) input?.setSelectionRange(input.value.length, input.value.length);
      else input?.select();
      void index.start();
    }
    replacesLoading.current = false;
    if (!open && dialog.open) dialog.close();
  }, [open, index]);

  // Answered again as the index grows while building and as records change (progress moves then).
  const [result, setResult] = useState<{ query: string; groups: SearchGroup[] }>({ query: '', groups: [] });
  // biome-ignore lint/correctness/useExhaustiveDependencies: `progress` changes whenever the index does.
  useEffect(() => {
    if (!open) return;
    let live = true;
    void index
      .search(shown, { kinds, perKind: PER_KIND })
      .then((groups) => live && setResult({ query: shown, groups }));
    return () => {
      live = false;
    };
  }, [index, shown, kinds, open, progress]);
  const { groups } = result;
  const hits = useMemo(() => groups.flatMap((g) => g.hits), [groups]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: new results start again at the top.
  useEffect(() => setActive(0), [result.query]);
  const current = Math.min(active, Math.max(0, hits.length - 1));

  const choose = (hit: SearchHit | undefined) => {
    if (!hit) return;
    onClose();
    openRecord(SCREEN_OF[hit.kind], hit.id);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (hits.length === 0) return;
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((current + step + hits.length) % hits.length);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      // Enter right after typing opens the best hit of the query as typed, not of one still on screen.
      if (query !== result.query)
        void index.search(query, { kinds, perKind: PER_KIND }).then((g) => choose(g[0]?.hits[0]));
      else choose(hits[current]);
    } else if (event.key === 'Escape') {
      // A search field's own Escape clears the query and keeps the dialog open: Escape closes, as the palette says.
      event.preventDefault();
      onClose();
    }
  };

  useEffect(() => {
    document.getElementById(`search-hit-${current}`)?.scrollIntoView({ block: 'nearest' });
  }, [current]);

  const building = progress.status === 'building' || progress.status === 'idle' || progress.status === 'loading';
  // Answers come from the saved names-only index while the full one loads: names only, said so.
  const partial = progress.status === 'partial';
  let position = 0;
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: a click on the backdrop closes; Escape does it by keyboard.
    <dialog
      ref={ref}
      className="dialog search-palette"
      aria-label="Search"
      onClose={onClose}
      onClick={(e) => e.target === ref.current && onClose()}
    >
      {open && (
        <>
          <div className="search-input-row">
            <span className="search-glyph" aria-hidden="true">
              ⌕
            </span>
            <input
              ref={inputRef}
              type="search"
              role="combobox"
              aria-expanded={hits.length > 0}
              aria-controls="search-results"
              aria-activedescendant={hits.length > 0 ? `search-hit-${current}` : undefined}
              aria-autocomplete="list"
              placeholder="Search contacts, companies, leads, deals, notes…"
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              onKeyDown={onKeyDown}
              spellCheck={false}
              autoComplete="off"
            />
            <kbd>Esc</kbd>
          </div>
          <div
            id="search-results"
            className="search-results"
            role="listbox"
            aria-label="Results"
            data-query={result.query}
            data-partial={partial || undefined}
          >
            {partial && result.query.trim() !== '' && (
              <div className="search-partial" role="note">
                Names only for now: loading the full index…
              </div>
            )}
            {groups.map((group) => (
              // biome-ignore lint/a11y/useSemanticElements: a group of options inside a listbox (WAI-ARIA), not a form's fieldset.
              <div key={group.kind} role="group" aria-labelledby={`search-group-${group.kind}`}>
                <div className="search-group-head" id={`search-group-${group.kind}`}>
                  {GROUP_LABEL[group.kind]}
                  <span className="muted">
                    {group.total > group.hits.length
                      ? `${group.hits.length} of ${group.total.toLocaleString()}`
                      : group.total.toLocaleString()}
                  </span>
                </div>
                {group.hits.map((hit) => {
                  const n = position++;
                  return (
                    // biome-ignore lint/a11y/useKeyWithClickEvents: the keyboard works the options from the combobox input (aria-activedescendant).
                    <div
                      key={hit.id}
                      id={`search-hit-${n}`}
                      role="option"
                      aria-selected={n === current}
                      className={n === current ? 'search-hit active' : 'search-hit'}
                      onMouseMove={() => n !== current && setActive(n)}
                      tabIndex={-1}
                      onClick={() => choose(hit)}
                    >
                      <span className={`search-kind search-kind-${hit.kind}`} aria-hidden="true">
                        {iconOf(hit.kind)}
                      </span>
                      <span className="search-hit-text">
                        <span className="search-hit-title">{highlight(hit.title, result.query)}</span>
                        {hit.detail && <span className="search-hit-detail">{hit.detail}</span>}
                      </span>
                      {n === current && (
                        <span className="search-enter" aria-hidden="true">
                          ↵ open
                        </span>
                      )}
                    </div>
                  );
                })}
              </div>
            ))}
            {hits.length === 0 && (
              <div className="search-empty" role="status">
                {result.query.trim() === '' ? (
                  <>
                    <strong>Find anything</strong>
                    <span>Names, emails, phone numbers, companies, domains, deal names and notes.</span>
                  </>
                ) : (
                  <>
                    <strong>No matches for “{result.query.trim()}”</strong>
                    <span>
                      {progress.status === 'loading'
                        ? 'The saved index is being brought up to date: results in a moment.'
                        : partial
                          ? 'Only names are searched until the full index has loaded: emails, phones and notes in a moment.'
                          : building
                            ? 'The index is still being built: more records will be searched in a moment.'
                            : result.query.trim().length < MIN_PREFIX
                              ? 'Type a third letter to match the start of names and words.'
                              : 'Try fewer letters or another field, such as an email or a phone number.'}
                    </span>
                  </>
                )}
              </div>
            )}
          </div>
          <footer className="search-foot">
            <span>
              <kbd>↑</kbd> <kbd>↓</kbd> move <kbd>↵</kbd> open <kbd>Esc</kbd> close
            </span>
            <IndexStatus progress={progress} saves={saves} from={index.report?.from} />
          </footer>
        </>
      )}
    </dialog>
  );
}

/** Where the index is: loading the saved one, building (n%, with a bar), ready, or failed. */
function IndexStatus({ progress, saves, from }: { progress: IndexProgress; saves: number; from?: string | undefined }) {
  const { status, indexed, total } = progress;
  const percent = total > 0 ? Math.min(99, Math.floor((indexed / total) * 100)) : 0;
  let text: string;
  if (status === 'failed') text = 'The search index could not be built';
  else if (status === 'loading')
    text = total > 0 ? `Loading the saved index of ${total.toLocaleString()} records…` : 'Loading the saved index…';
  else if (status === 'partial') text = 'Loading the full index…';
  else if (status === 'ready') text = `${indexed.toLocaleString()} records indexed`;
  else text = `Indexing… ${percent}%`;
  return (
    // data-*: how the index was made ready and how often it was kept this session (read by the APP bench).
    <span
      role="status"
      aria-live="polite"
      className="search-progress"
      data-state={status}
      data-from={from}
      data-saves={saves}
    >
      {status === 'building' && (
        <progress max={Math.max(total, 1)} value={indexed} aria-label={`${indexed} of ${total} records indexed`} />
      )}
      {text}
    </span>
  );
}
