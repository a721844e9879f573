/**
 * Runs INSIDE Chromium before the app's own scripts (an init script of the bench's page): notes
 * when the first list row is painted, and times user actions from the DOM event to the rendered
 * result. It reads the DOM only, so it measures what a user sees; the app has no hook for it.
 */

const ROW = '[role="grid"] tbody tr[aria-rowindex]';

/** Resolves at the first animation frame where `check` holds (checked on DOM mutations and frames). */
function when(check: () => boolean, timeoutMs = 30_000, what: () => string = () => check.toString()): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const tick = () => {
      if (check()) return resolve(performance.now());
      if (performance.now() - started > timeoutMs) return reject(new Error(`timed out: ${what()}`));
      requestAnimationFrame(tick);
    };
    tick();
  });
}

/** The first painted rows' text, for a timeout's message. */
function rowsSignature(): string {
  const rows = [...document.querySelectorAll(ROW)].slice(0, 3).map((r) => r.textContent ?? '');
  const empty = document.querySelector('.entity-list .empty')?.textContent ?? '';
  return rows.join('|') + empty;
}

/**
 * The list shows the rows of its current filter: it says so (aria-busy false) and they are painted.
 * Comparing the first rows before and after is no test: 1,780 of the 100k contacts (347 at 20k)
 * share the newest millisecond ("now", where the demo generator clamps creation times), the first
 * of them by id are active, so "all" and "active" begin with the same people; such a wait for the
 * rows to change timed out.
 */
function listSettled(): boolean {
  const list = document.querySelector('section.entity-list');
  return (
    list?.getAttribute('aria-busy') === 'false' &&
    (document.querySelector(ROW) !== null || document.querySelector('.entity-list .empty') !== null)
  );
}

/** Time from navigation start to the first painted row of a list (performance.now() counts from navigation). */
const firstRow = when(() => document.querySelector(ROW) !== null, 120_000);

/** Sets an input's value as typing does (React listens to the native input event). */
function setValue(element: HTMLInputElement, value: string, event: 'input'): void {
  Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set?.call(element, value);
  element.dispatchEvent(new Event(event, { bubbles: true }));
}

const FILTER = 'select[aria-label="Filter by status"]';

/** The status filter's values, "all" left out. */
function filterValues(): string[] {
  const select = document.querySelector<HTMLSelectElement>(FILTER);
  if (!select) throw new Error('no status filter on screen');
  return [...select.options].map((o) => o.value).filter(Boolean);
}

let filterArmed: { changedAt: Promise<number> } | undefined;

/** Before the bench chooses a filter value (as a user would, through Playwright): note the change event's time. */
function armFilter(): void {
  const select = document.querySelector<HTMLSelectElement>(FILTER);
  if (!select) throw new Error('no status filter on screen');
  const changedAt = new Promise<number>((resolve) =>
    select.addEventListener('change', () => resolve(performance.now()), { once: true, capture: true }),
  );
  filterArmed = { changedAt };
}

/** After it: the time from the change event to the new filter's rows painted. */
async function filterPainted(): Promise<number> {
  const armed = filterArmed;
  if (!armed) throw new Error('armFilter() first');
  const start = await armed.changedAt;
  // React commits the change (aria-busy true) within the change event, before this first looks.
  const end = await when(
    listSettled,
    30_000,
    () =>
      `filter ${document.querySelector<HTMLSelectElement>(FILTER)?.value}: rows still ${rowsSignature().slice(0, 120)}`,
  );
  return end - start;
}

/** Scroll: jump to the end of the loaded rows → the next page is read and its rows painted. */
async function measureScroll(samples: number): Promise<{ load: number[]; jump: number[] }> {
  const scroller = document.querySelector<HTMLElement>('.vtable');
  const grid = document.querySelector('[role="grid"]');
  if (!scroller || !grid) throw new Error('no list on screen');
  const load: number[] = [];
  const jump: number[] = [];
  const lastIndex = () =>
    Math.max(...[...document.querySelectorAll(ROW)].map((r) => Number(r.getAttribute('aria-rowindex'))));
  const countText = () => document.querySelector('.entity-list .count')?.textContent ?? '';
  // The count is read after the first page: an empty one would read as "nothing more to load".
  await when(
    () => /\d/.test(countText()),
    30_000,
    () => `no count on the list: "${countText()}"`,
  );
  for (let i = 0; i < samples; i++) {
    const loaded = Number(grid.getAttribute('aria-rowcount'));
    const text = countText();
    const total = Number(text.replace(/\D/g, ''));
    // aria-rowcount counts the header row: the whole list is loaded, nothing more to read. A capped
    // count ("10,000+") is a lower bound, never the end.
    if (!text.includes('+') && loaded - 1 >= total) break;
    let start = performance.now();
    scroller.scrollTop = scroller.scrollHeight;
    let end = await when(() => Number(grid.getAttribute('aria-rowcount')) > loaded && lastIndex() >= loaded - 5);
    load.push(end - start);
    // A jump within what is loaded (no read): back to a random place, rows painted there.
    const target = Math.floor(Math.random() * loaded * 0.8);
    const rowHeight = scroller.scrollHeight / Number(grid.getAttribute('aria-rowcount'));
    start = performance.now();
    scroller.scrollTop = target * rowHeight;
    end = await when(() => Math.abs(lastIndex() - target) < 60);
    jump.push(end - start);
  }
  if (load.length === 0)
    throw new Error(`no page to scroll to: ${grid.getAttribute('aria-rowcount')} rows loaded of "${countText()}"`);
  return { load, jump };
}

/** Search: the palette is open; each query typed → its results painted (the listbox says which query it shows). */
async function measureSearch(queries: readonly string[]): Promise<{ times: number[]; hits: number[] }> {
  const input = document.querySelector<HTMLInputElement>('dialog[open] input[role="combobox"]');
  if (!input) throw new Error('the search palette is not open');
  const times: number[] = [];
  const hits: number[] = [];
  for (const query of queries) {
    setValue(input, '', 'input');
    await when(() => document.querySelector('#search-results')?.getAttribute('data-query') === '');
    const start = performance.now();
    setValue(input, query, 'input');
    const end = await when(() => document.querySelector('#search-results')?.getAttribute('data-query') === query);
    times.push(end - start);
    hits.push(document.querySelectorAll('#search-results [role="option"]').length);
  }
  return { times, hits };
}

/** Opens search from the top bar (which starts the index build if it has not started) → the palette says the index is complete. */
async function openSearchAndTimeIndex(): Promise<number> {
  const launcher = document.querySelector<HTMLButtonElement>('.search-launcher');
  if (!launcher) throw new Error('no search launcher');
  const start = performance.now();
  launcher.click();
  const end = await when(
    () => /records indexed/.test(document.querySelector('.search-progress')?.textContent ?? ''),
    600_000,
  );
  return end - start;
}

/**
 * A session with a saved index: opens search and types `query` at once → (ready) its results are
 * painted with at least one hit (from the names index while the full one loads) → (full) the
 * palette says the index is complete.
 */
async function openSearchAndTimeReady(query: string): Promise<{ ready: number; full: number; partial: boolean }> {
  const launcher = document.querySelector<HTMLButtonElement>('.search-launcher');
  if (!launcher) throw new Error('no search launcher');
  const start = performance.now();
  launcher.click();
  await when(() => document.querySelector('dialog[open] input[role="combobox"]') !== null);
  const input = document.querySelector<HTMLInputElement>('dialog[open] input[role="combobox"]');
  if (!input) throw new Error('the search palette did not open');
  setValue(input, query, 'input');
  const results = () => document.querySelector('#search-results');
  const ready = await when(
    () =>
      results()?.getAttribute('data-query') === query &&
      document.querySelectorAll('#search-results [role="option"]').length > 0,
    600_000,
  );
  const partial = results()?.hasAttribute('data-partial') ?? false;
  const full = await when(
    () => /records indexed/.test(document.querySelector('.search-progress')?.textContent ?? ''),
    600_000,
  );
  setValue(input, '', 'input');
  return { ready: ready - start, full: full - start, partial };
}

/** With the palette open: the index saved for the next session (it is saved once built). */
async function waitForIndexSave(): Promise<void> {
  await when(
    () => Number(document.querySelector('.search-progress')?.getAttribute('data-saves') ?? 0) >= 1,
    600_000,
    () => `the index was not saved: ${document.querySelector('.search-progress')?.outerHTML}`,
  );
}

/** How the index was made ready this session: 'saved' (loaded and caught up) or 'scan' (built). */
const indexSource = (): string => document.querySelector('.search-progress')?.getAttribute('data-from') ?? '';

Object.assign(globalThis, {
  __benchProbe: {
    firstRow,
    filterValues,
    armFilter,
    filterPainted,
    measureScroll,
    measureSearch,
    openSearchAndTimeIndex,
    openSearchAndTimeReady,
    waitForIndexSave,
    indexSource,
  },
});
