import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium } from 'playwright-core';
import { build, createServer, preview, type ViteDevServer } from 'vite';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * A first load fetches the app's modules one by one from the Vite dev server: on a loaded machine it
 * has taken over Playwright's default 30 s. What the test then waits for has its own timeout.
 */
export const NAVIGATION_TIMEOUT_MS = 120_000;

function chromiumOptions() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: .ci/run installs it (apt-get install chromium)`);
  return {
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  };
}

/** Debian's Chromium with the flags this machine needs (DESIGN.md §2); a fresh profile each launch. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch(chromiumOptions());
}

/** The same Chromium on a profile kept in `userDataDir` (a benchmark's seeded database reused). */
export async function launchChromiumProfile(
  userDataDir: string,
  options: BrowserContextOptions,
): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, { ...chromiumOptions(), ...options });
}

export interface Renderer {
  url: string;
  close: () => Promise<void>;
}

/** The web renderer on a free loopback port. */
export async function startRenderer(): Promise<Renderer> {
  const server: ViteDevServer = await createServer({
    configFile: fileURLToPath(new URL('../../vite.web.config.ts', import.meta.url)),
    // No file watching or hot reload: an edit saved elsewhere in the checkout mid-test would
    // otherwise reload the page under the test (seen as filters and dialogs losing their state).
    server: { port: 0, strictPort: false, host: '127.0.0.1', hmr: false, watch: null },
    logLevel: 'error',
  });
  await server.listen();
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite did not report its URL');
  return { url, close: () => server.close() };
}

/**
 * The web renderer as a production build, served by Vite's preview server on a free loopback port.
 * A page load is then a handful of files instead of the ~430 modules the dev server hands out one
 * by one, which every e2e context open and reload paid (seconds each on this 2-core machine); the
 * build also runs the app as users get it (bundled workers, the CSP meta tag of the browser build).
 */
export async function startBuiltRenderer(): Promise<Renderer> {
  const configFile = fileURLToPath(new URL('../../vite.web.config.ts', import.meta.url));
  const outDir = mkdtempSync(join(tmpdir(), 'fieldcrm-web-'));
  await build({ configFile, logLevel: 'error', build: { outDir, emptyOutDir: true } });
  const server = await preview({
    configFile,
    logLevel: 'error',
    build: { outDir },
    preview: { port: 0, strictPort: false, host: '127.0.0.1' },
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report its URL');
  return {
    url,
    close: async () => {
      await server.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

/** Screenshots go here for people to look at; CI keeps them as artifacts. */
export function artifactPath(name: string): string {
  const dir = fileURLToPath(new URL('../artifacts/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  return `${dir}${name}`;
}
