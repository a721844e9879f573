import { type ComponentType, type LazyExoticComponent, lazy } from 'react';

/**
 * Code fetched on demand (a screen, a dialog, the XLSX and PDF writers) keeps the start bundle
 * small, but the app is offline-first: a rep who opened it online and then lost the network must
 * still reach every screen and export. So each on-demand load is registered here, and
 * `preloadOnDemand` fetches them all soon after the app has painted. In Electron the files are
 * local and this only warms them; in the browser it is what makes them work offline.
 */
const loaders = new Set<() => Promise<unknown>>();

/** A load that runs once (a failed fetch may be retried by the next call), and is preloaded. */
export function onDemand<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  const start = () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
  loaders.add(start);
  return start;
}

/** React.lazy over `onDemand`: the component's chunk is preloaded with the rest. */
export function lazyComponent<P extends object>(
  load: () => Promise<ComponentType<P>>,
): { Component: LazyExoticComponent<ComponentType<P>>; preload: () => Promise<unknown> } {
  const preload = onDemand(load);
  return { Component: lazy(() => preload().then((component) => ({ default: component }))), preload };
}

/**
 * Fetches every registered load, and those that loading them registers in turn (a screen's own
 * on-demand dialogs). A failure is reported and left for the next visit to retry.
 */
export async function preloadOnDemand(): Promise<void> {
  const done = new Set<() => Promise<unknown>>();
  for (;;) {
    const pending = [...loaders].filter((load) => !done.has(load));
    if (pending.length === 0) return;
    for (const load of pending) done.add(load);
    await Promise.all(
      pending.map((load) =>
        load().catch((error: unknown) => console.warn('[on-demand] could not preload a chunk:', error)),
      ),
    );
  }
}
