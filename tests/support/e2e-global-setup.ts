import type { TestProject } from 'vitest/node';
import { startBuiltRenderer, startRenderer } from './browser';
import { startDemoProfile } from './e2e-demo-profile';

/**
 * globalSetup of the `e2e` project (vitest.config.ts): ONE production build of the web renderer,
 * served for every end-to-end file of the run (browser.ts startBuiltRenderer). Vitest runs a
 * project's globalSetup only when the run has files of that project, so unit, contract, integration
 * and property runs never start it. Files reach it through tests/support/e2e.ts (`openE2e`).
 *
 * It also starts seeding one Chromium profile with the demo data (tests/support/e2e-demo-profile.ts),
 * in the background: tests that open the demo get a copy (`openDemoContext`) instead of each seeding.
 *
 * Chromium stays one per file: a browser shared through `chromium.launchServer` + `connect` gives
 * downloads no local path (`download.path()` throws "not available when connecting remotely"), which
 * the attachment and export tests read, and a launch costs a second or two.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // E2E_DEV_SERVER=1: the Vite dev server instead of the production build (to debug with sources).
  const renderer = process.env.E2E_DEV_SERVER === '1' ? await startRenderer() : await startBuiltRenderer();
  project.provide('e2eRendererUrl', renderer.url);
  // E2E_SEEDED_PROFILE=0: every test seeds its own demo data, as before (to compare the two).
  if (process.env.E2E_SEEDED_PROFILE === '0') return () => renderer.close();
  const demo = await startDemoProfile(renderer.url);
  project.provide('e2eDemoProfile', demo.root);
  return async () => {
    await demo.stop();
    await renderer.close();
  };
}
