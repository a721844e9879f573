import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { inject, onTestFinished } from 'vitest';
import { launchChromium, NAVIGATION_TIMEOUT_MS, type Renderer, startRenderer } from './browser';
import { openDemoProfileCopy } from './e2e-demo-profile';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's one renderer server (tests/support/e2e-global-setup.ts). */
    e2eRendererUrl?: string;
    /** Where the run's seeded demo profile is built (tests/support/e2e-demo-profile.ts). */
    e2eDemoProfile?: string;
  }
}

/**
 * The renderer and a browser for an end-to-end file's beforeAll. Under the `e2e` project the renderer
 * is shared by every file of the run (its globalSetup started it) and `renderer.close()` leaves it
 * running; without the globalSetup (another config) the file starts its own, as before. The browser
 * is the file's own Chromium (see e2e-global-setup.ts for why it is not shared).
 */
export async function openE2e(): Promise<{ browser: Browser; renderer: Renderer }> {
  const url = inject('e2eRendererUrl');
  const [browser, renderer] = await Promise.all([
    launchChromium(),
    url ? { url, close: async () => {} } : startRenderer(),
  ]);
  return { browser, renderer };
}

/**
 * A new browser context whose first page opens on the demo data already seeded: a copy of the run's
 * seeded profile (its own Chromium). Without the e2e globalSetup it is a fresh context of `browser`
 * that seeds on first open, as every test did before. Call it inside a test: the context is closed
 * (and the copy deleted) when the test finishes.
 */
export async function openDemoContext(
  browser: Browser,
  options: BrowserContextOptions,
): Promise<{ context: BrowserContext; page: Page }> {
  const { context, page, dispose } = await openDemoContextForFile(browser, options);
  onTestFinished(dispose);
  return { context, page };
}

/**
 * openDemoContext for a file's beforeAll (tests that share one page): the caller disposes of it in
 * afterAll. Without the globalSetup the page seeds on its first open, which the caller waits for.
 */
export async function openDemoContextForFile(
  browser: Browser,
  options: BrowserContextOptions,
): Promise<{ context: BrowserContext; page: Page; dispose: () => Promise<void> }> {
  const root = inject('e2eDemoProfile');
  if (root) {
    const copy = await openDemoProfileCopy(root, options);
    copy.context.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT_MS);
    return copy;
  }
  const context = await browser.newContext(options);
  context.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT_MS);
  return { context, page: await context.newPage(), dispose: () => context.close() };
}
