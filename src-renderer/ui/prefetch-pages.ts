import { type Subscription, take } from 'rxjs';
import { type PagedListOptions, type PageRow, type PageSource, pageOptions, wheresOf } from './live-pages';

/** Runs `task` when the page is idle (or after `timeout` ms at the latest); returns its cancel. */
export type Scheduler = (task: () => void) => () => void;

/**
 * requestIdleCallback where there is one (Chromium, Electron): a prefetch never takes a frame from
 * what the user is doing. The timeout keeps a list that never idles (a sync in progress) from
 * holding it off for ever.
 */
export const whenIdle: Scheduler = (task) => {
  if (typeof requestIdleCallback === 'function') {
    const handle = requestIdleCallback(task, { timeout: 2000 });
    return () => cancelIdleCallback(handle);
  }
  const timer = setTimeout(task, 50);
  return () => clearTimeout(timer);
};

/**
 * The queries of a list's first page under `options`: one per filter of the union, exactly as
 * LivePages asks for them (pageOptions, no bounds, the first page's limit), so that RxDB's query
 * cache knows them as the same queries.
 */
export function firstPageQueries(options: PagedListOptions, firstPageSize: number) {
  return wheresOf(options).map((where) => pageOptions(options, where, { limit: firstPageSize }));
}

/**
 * A list's options under each other value of each of its filter selects, the other selects as
 * chosen: what the list reads ahead. `selects` lists each select's values as it offers them ('' or
 * undefined for "all" included); `optionsOf` is the function the list's own options come from, so
 * the read-ahead asks exactly the queries that choosing one of them asks (a copy could drift).
 * In the order of `selects` and of their values: under PREFETCH_MAX, the first ones are read.
 */
export function otherChoices<F extends object>(
  chosen: F,
  selects: { readonly [K in keyof F]?: readonly F[K][] },
  optionsOf: (filters: F) => PagedListOptions,
): PagedListOptions[] {
  return (Object.keys(selects) as (keyof F)[]).flatMap((key) =>
    (selects[key] ?? [])
      .filter((value) => value !== chosen[key])
      .map((value) => optionsOf({ ...chosen, [key]: value })),
  );
}

/**
 * Reads the first page of each of `choices` (a list's options under each value of its filters),
 * one query per idle moment, and lets each go once it has answered. RxDB keeps a query's result in
 * its query cache after its last subscriber has gone (up to 100 queries a collection), and
 * answers the same query from there while nothing has been written since; so a filter switched to
 * for the first time shows its rows without an IndexedDB read or a decryption. Measured (APP, 100k
 * contacts): a status never chosen before took 30–100 ms to paint, one chosen before 15–20 ms.
 * Returns a cancel: nothing more is read, and the query under way is let go.
 */
export function prefetchFirstPages<R extends PageRow>(
  source: PageSource<R>,
  choices: readonly PagedListOptions[],
  firstPageSize: number,
  schedule: Scheduler = whenIdle,
): () => void {
  const queries = choices.flatMap((options) => firstPageQueries(options, firstPageSize));
  return readOneAtATime(
    queries.map((query) => (done) => {
      try {
        // take(1): the query is let go as soon as it has answered (at once, if it was cached).
        const subscription: Subscription = source
          .observe(query)
          .pipe(take(1))
          .subscribe({ complete: done, error: done });
        return () => subscription.unsubscribe();
      } catch {
        // A query the repository refuses (e.g. a filter on an encrypted field) is the list's to
        // report when it is shown; the next one is read.
        done();
        return () => {};
      }
    }),
    schedule,
  );
}

/**
 * One read ahead: starts reading, calls `done` once what it read is in RxDB's query cache (maybe
 * before it returns, when the cache already had it), and returns what lets the read go.
 */
export type ReadAhead = (done: () => void) => () => void;

/**
 * Runs `reads` one per idle moment (`schedule`), each let go once done, in order. Returns a
 * cancel: nothing more is read, and the read under way is let go.
 */
export function readOneAtATime(reads: readonly ReadAhead[], schedule: Scheduler = whenIdle): () => void {
  let next = 0;
  let cancelled = false;
  let release: (() => void) | undefined;
  let cancelScheduled: (() => void) | undefined;
  const readNext = () => {
    cancelScheduled = undefined;
    const read = reads[next++];
    if (cancelled || !read) return;
    let finished = false;
    // `done` may come while `read` is still starting (a cached answer): let go after it returned.
    const done = () => {
      if (finished) return;
      finished = true;
      queueMicrotask(() => {
        release?.();
        release = undefined;
        if (!cancelled) cancelScheduled = schedule(readNext);
      });
    };
    release = read(done);
  };
  cancelScheduled = schedule(readNext);
  return () => {
    cancelled = true;
    cancelScheduled?.();
    release?.();
    release = undefined;
  };
}
