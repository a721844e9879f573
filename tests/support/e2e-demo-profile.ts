import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { launchChromiumProfile } from './browser';

/**
 * A Chromium profile that already holds the demo data set, built once per run and copied per test.
 *
 * Seeding the 'small' demo set (~12k records, encrypted at rest) took 20–35 s of every end-to-end
 * test that opened the demo; a copy of a seeded profile opens in a couple of seconds. The profile is
 * seeded the way a first run seeds it (the app's own first-run code, in Chromium, against the run's
 * renderer, so the same origin owns the IndexedDB); start-page.test.ts still seeds a fresh profile
 * and encryption-at-rest.test.ts still writes one. Copies are Chromium user-data-dirs launched with
 * launchPersistentContext: its own browser process, so downloads have a local path as before.
 *
 * The e2e globalSetup starts the build in the background (the unit group runs first, so it is
 * normally done long before an e2e file asks) and the files wait for its `ready` marker.
 */
const PROFILE = 'profile';
const READY = 'ready';
const FAILED = 'failed';
const SEED_TIMEOUT_MS = 300_000;

/** Seeds the demo data into `root`/profile through the app at `rendererUrl`; throws on any page error. */
async function seedProfile(context: BrowserContext, rendererUrl: string): Promise<void> {
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${rendererUrl}#/contacts`, { timeout: SEED_TIMEOUT_MS });
    await page.waitForFunction(() => localStorage.getItem('fieldcrm.demoSeeded') === 'small', undefined, {
      timeout: SEED_TIMEOUT_MS,
      polling: 250,
    });
    await page.getByRole('grid', { name: 'Contacts' }).locator('tbody tr').first().waitFor({ timeout: 60_000 });
    if (errors.length > 0) throw new Error(`seeding the demo profile raised page errors: ${errors.join('; ')}`);
  } finally {
    // A clean close flushes IndexedDB and localStorage to disk before the profile is copied.
    await context.close();
  }
}

/**
 * Starts building the profile in the background: `root` is known at once; `stop` waits for the build
 * (or cuts it short when no test needed it yet) and deletes it.
 */
export async function startDemoProfile(rendererUrl: string): Promise<{ root: string; stop: () => Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'fieldcrm-e2e-demo-'));
  const context = await launchChromiumProfile(join(root, PROFILE), { viewport: { width: 1440, height: 900 } });
  const done = seedProfile(context, rendererUrl).then(
    () => writeFile(join(root, READY), ''),
    (error: unknown) =>
      writeFile(join(root, FAILED), error instanceof Error ? (error.stack ?? error.message) : String(error)),
  );
  return {
    root,
    stop: async () => {
      await context.close();
      await done;
      await rm(root, { recursive: true, force: true });
    },
  };
}

async function waitUntilBuilt(root: string): Promise<void> {
  const end = Date.now() + SEED_TIMEOUT_MS + 60_000;
  while (!existsSync(join(root, READY))) {
    if (existsSync(join(root, FAILED))) {
      throw new Error(`the seeded demo profile could not be built:\n${await readFile(join(root, FAILED), 'utf8')}`);
    }
    if (Date.now() > end) throw new Error(`the seeded demo profile in ${root} was not ready in time`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

// Chromium's per-process lock files: a copy must not look like a profile another browser holds.
const NOT_COPIED = new Set(['SingletonLock', 'SingletonSocket', 'SingletonCookie']);

/**
 * A fresh copy of the seeded profile in its own Chromium: a first page on the demo data without the
 * seeding. `dispose` closes the browser and deletes the copy.
 */
export async function openDemoProfileCopy(
  root: string,
  options: BrowserContextOptions,
): Promise<{ context: BrowserContext; page: Page; dispose: () => Promise<void> }> {
  const started = Date.now();
  await waitUntilBuilt(root);
  const built = Date.now();
  const dir = await mkdtemp(join(tmpdir(), 'fieldcrm-e2e-profile-'));
  await cp(join(root, PROFILE), dir, { recursive: true, filter: (source) => !NOT_COPIED.has(basename(source)) });
  const copied = Date.now();
  const context = await launchChromiumProfile(dir, options);
  const page = context.pages()[0] ?? (await context.newPage());
  // E2E_TIMING=1: where a test's start goes. A file run on its own waits for the build here (its
  // seeding), which a full run has done during the unit group.
  if (process.env.E2E_TIMING === '1') {
    console.info(
      `[e2e] demo profile copy: waited ${built - started} ms for the build, copied in ${copied - built} ms, Chromium up in ${Date.now() - copied} ms`,
    );
  }
  const dispose = async () => {
    await context.close();
    await rm(dir, { recursive: true, force: true });
  };
  return { context, page, dispose };
}
