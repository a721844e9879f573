import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactPath, launchChromium, startRenderer } from '../support/browser';

let browser: Browser;
let renderer: Awaited<ReturnType<typeof startRenderer>>;

beforeAll(async () => {
  [browser, renderer] = await Promise.all([launchChromium(), startRenderer()]);
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
    await page.goto(renderer.url);
    await page.getByRole('heading', { name: 'Contacts' }).waitFor({ timeout: 120_000 });
    await page.locator('tbody tr').first().waitFor({ timeout: 60_000 });
    expect(await page.locator('tbody tr').count()).toBe(50);
    const contactCount = await page.locator('#nav-contact .count').textContent();
    expect(Number((contactCount ?? '').replace(/\D/g, ''))).toBeGreaterThan(100);
    await page.screenshot({ path: artifactPath('start-contacts.png') });

    // Keyboard: arrow down from Contacts selects the next entity.
    await page.locator('#nav-contact').focus();
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.locator('.entity-nav button.active').textContent()).not.toContain('Contacts');

    await page.locator('#nav-deal').click();
    await page.getByRole('heading', { name: 'Deals' }).waitFor();
    await page.locator('tbody tr').first().waitFor();
    await page.screenshot({ path: artifactPath('start-deals.png') });

    // A reload reopens the same database without seeding again.
    await page.reload();
    await page.locator('tbody tr').first().waitFor({ timeout: 60_000 });
    expect(await page.locator('#nav-contact .count').textContent()).toBe(contactCount);
    expect(errors).toEqual([]);
  }, 240_000);
});
