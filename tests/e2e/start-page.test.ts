import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactPath, type Renderer } from '../support/browser';
import { openE2e } from '../support/e2e';

let browser: Browser;
let renderer: Renderer;

beforeAll(async () => {
  ({ browser, renderer } = await openE2e());
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await renderer?.close();
});

describe('npm start page in Chromium (real IndexedDB)', () => {
  it('opens the local database, seeds demo data on first run and lists what it holds', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${renderer.url}#/contacts`);
    const grid = page.getByRole('grid', { name: 'Contacts' });
    await grid.locator('tbody tr').first().waitFor({ timeout: 120_000 });
    expect(await grid.locator('tbody tr').count()).toBeGreaterThan(10);
    // The count comes after the rows (live-pages.ts counts once the first page is painted).
    const countText = async () => (await page.locator('.entity-list .count').textContent()) ?? '';
    await expect
      .poll(async () => Number((await countText()).replace(/\D/g, '')), { timeout: 30_000 })
      .toBeGreaterThan(100);
    const count = await countText();
    await page.screenshot({ path: artifactPath('start-contacts.png') });

    // Keyboard: Alt+4 opens Deals (its pipeline board by default).
    await page.keyboard.press('Alt+4');
    await page.getByRole('region', { name: 'Pipeline board' }).locator('.deal-card').first().waitFor();
    await page.screenshot({ path: artifactPath('start-deals.png') });

    // A reload reopens the same database without seeding again.
    await page.goto(`${renderer.url}#/contacts`);
    await page.reload();
    await grid.locator('tbody tr').first().waitFor({ timeout: 60_000 });
    await expect.poll(countText, { timeout: 30_000 }).toBe(count);
    expect(errors).toEqual([]);
  }, 240_000);
});
