import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authRoutes } from '../../sync-server/src/auth/auth.routes';
import { setPasswordHash } from '../../sync-server/src/auth/credentials';
import { jwtAuthenticate } from '../../sync-server/src/auth/jwt-authenticate';
import { hashPassword } from '../../sync-server/src/auth/passwords';
import { seedOrg } from '../integration/sync-scope-fixtures';
import { artifactPath, type Renderer } from '../support/browser';
import { openE2e } from '../support/e2e';
import { newDevice, PASSWORD, signInThroughUi } from '../support/e2e-team';
import { startTestServer, type TestServer } from '../support/sync-server';

/**
 * Settings → API keys in Chromium, signed in as the administrator of a real server: a key made for
 * a rep shows its secret once, works against the public API within the rep's scope, and stops
 * working when revoked.
 */

const SECRET = 'an api-keys e2e secret, long enough for HS256 keys: 0123456789';
let browser: Browser;
let renderer: Renderer;
let server: TestServer;

beforeAll(async () => {
  ({ browser, renderer } = await openE2e());
  const port = new URL(renderer.url).port;
  server = await startTestServer('crm_api_keys_e2e', {
    authenticate: jwtAuthenticate(SECRET),
    corsOrigins: [`http://127.0.0.1:${port}`, `http://localhost:${port}`],
    async beforeListen(app, db) {
      await seedOrg(db);
      await setPasswordHash(db, 'u_admin', await hashPassword(PASSWORD), new Date());
      authRoutes(app, { db, secret: SECRET });
    },
  });
}, 120_000);
afterAll(async () => {
  await server?.close();
  await browser?.close();
  await renderer?.close();
});

describe('API keys in Settings', () => {
  it('creates a key shown once, which reads as its user, and revokes it', async () => {
    const { context, page, errors } = await newDevice(browser);
    // The shared Vite server may still be compiling the renderer on a loaded machine.
    page.setDefaultNavigationTimeout(180_000);
    await signInThroughUi(page, renderer.url, server.url, 'u_admin@example.com');
    await page.goto(`${renderer.url}#/settings?tab=apiKeys`);
    await page.getByRole('button', { name: 'New API key' }).click();
    const dialog = page.getByRole('dialog', { name: 'New API key' });
    await dialog.getByLabel('Name', { exact: true }).fill('Data warehouse');
    await dialog.getByLabel('Acts as').selectOption('u_rep_a1');
    await dialog.getByLabel('Role', { exact: true }).selectOption('role_rep');
    await dialog.getByLabel('Every entity access').selectOption('read');
    await page.screenshot({ path: artifactPath('settings-api-key-form.png') });
    await dialog.getByRole('button', { name: 'Create key' }).click();
    const output = dialog.getByRole('status', { name: 'New API key' });
    await output.waitFor();
    const secret = (await output.textContent()) ?? '';
    expect(secret).toMatch(/^crm_[A-Za-z0-9_-]{43}$/);
    await page.screenshot({ path: artifactPath('settings-api-key-secret.png') });
    await dialog.getByRole('button', { name: 'Done' }).click();

    const row = page.getByRole('row', { name: /Data warehouse/ });
    await expect.poll(() => row.textContent()).toContain('Active');
    expect(await page.locator('.api-keys').textContent()).not.toContain(secret);

    const asKey = () => fetch(`${server.url}/api/v1/contact`, { headers: { authorization: `Bearer ${secret}` } });
    const read = await asKey();
    expect(read.status).toBe(200);
    const ids = ((await read.json()) as { data: { id: string }[] }).data.map((c) => c.id);
    expect(ids).toEqual(['c_a1']);

    await row.getByRole('button', { name: 'Revoke Data warehouse' }).click();
    await expect.poll(() => row.textContent()).toContain('Revoked');
    await page.screenshot({ path: artifactPath('settings-api-keys.png') });
    expect((await asKey()).status).toBe(401);
    expect(errors).toEqual([]);
    await context.close();
  }, 240_000);
});
