import type { Browser, BrowserContext, Page } from 'playwright-core';
import { authRoutes } from '../../sync-server/src/auth/auth.routes';
import { setPasswordHash } from '../../sync-server/src/auth/credentials';
import { jwtAuthenticate } from '../../sync-server/src/auth/jwt-authenticate';
import { hashPassword } from '../../sync-server/src/auth/passwords';
import { seedOrg } from '../integration/sync-scope-fixtures';
import { NAVIGATION_TIMEOUT_MS, type Renderer } from './browser';
import { startTestServer, type TestServer } from './sync-server';

/**
 * Team A of seedOrg on a JWT-authenticated sync server, for end-to-end tests that sign in through
 * the UI: manager u_mgr_a and rep u_rep_a1 (owner of deal d_a1) can sign in with PASSWORD.
 */
export const PASSWORD = 'correct horse battery staple';
export const REP = { id: 'u_rep_a1', email: 'u_rep_a1@example.com' };
export const MANAGER = { id: 'u_mgr_a', email: 'u_mgr_a@example.com' };
const SECRET = 'a team e2e secret, long enough for HS256 keys: 0123456789';

export function startTeamServer(prefix: string, renderer: Renderer): Promise<TestServer> {
  const port = new URL(renderer.url).port;
  return startTestServer(prefix, {
    authenticate: jwtAuthenticate(SECRET),
    corsOrigins: [`http://127.0.0.1:${port}`, `http://localhost:${port}`],
    async beforeListen(app, db) {
      await seedOrg(db);
      const hash = await hashPassword(PASSWORD);
      for (const user of [REP, MANAGER]) await setPasswordHash(db, user.id, hash, new Date());
      authRoutes(app, { db, secret: SECRET });
    },
  });
}

export async function until(ok: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** A new laptop that signs in straight away: no demo data set to load first (start-page.test.ts covers it). */
export async function newDevice(browser: Browser): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  context.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT_MS);
  await context.addInitScript(() => localStorage.setItem('fieldcrm.demoSeeded', 'small'));
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { context, page, errors };
}

/** Signs in through the account menu's dialog and waits for the first sync. */
export async function signInThroughUi(page: Page, at: string, serverUrl: string, email: string): Promise<void> {
  await page.goto(at);
  await page.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: 180_000 });
  await page.getByRole('button', { name: 'Sign in' }).click();
  const dialog = page.getByRole('dialog', { name: 'Sign in' });
  await dialog.getByLabel('Server address').fill(serverUrl);
  await dialog.getByLabel('Email').fill(email);
  await dialog.getByLabel('Password').fill(PASSWORD);
  await dialog.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('.sync-indicator.sync-synced').waitFor({ timeout: 120_000 });
}

export const go = (page: Page, hash: string) =>
  page.evaluate((h) => {
    location.hash = h;
  }, hash);
