import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactPath, type Renderer } from '../support/browser';
import { openDemoContext, openE2e } from '../support/e2e';

let browser: Browser;
let renderer: Renderer;

beforeAll(async () => {
  ({ browser, renderer } = await openE2e());
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await renderer?.close();
});

/** The text each invalid control of the dialog is described by, in the form's order. */
const invalidControls = (dialog: import('playwright-core').Locator) =>
  dialog
    .locator('[aria-invalid="true"]')
    .evaluateAll((controls) =>
      controls.map((c) => document.getElementById(c.getAttribute('aria-describedby') ?? '')?.textContent ?? '(none)'),
    );

describe('Record forms in Chromium on the demo data', () => {
  it('a new deal with four mistakes names all four at once, each at its field, and focuses the first', async () => {
    const { page } = await openDemoContext(browser, { viewport: { width: 1440, height: 900 }, locale: 'en-GB' });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${renderer.url}#/deals`);
    await page.getByRole('button', { name: 'New deal' }).click({ timeout: 120_000 });
    const dialog = page.getByRole('dialog', { name: 'New deal' });

    // No name; an amount that is no number; 31/02 as close date; a next step past its 300 characters.
    await dialog.getByLabel('Amount').fill('12abc');
    await dialog.getByLabel('Expected close').click();
    await page.keyboard.type('02312026');
    expect(await dialog.getByLabel('Expected close').evaluate((d: HTMLInputElement) => d.validity.badInput)).toBe(true);
    await dialog.getByLabel('Next step').fill('x'.repeat(400));
    // The browser no longer cuts it to the limit without a word.
    expect(await dialog.getByLabel('Next step').inputValue()).toHaveLength(400);
    await dialog.getByLabel('Next step').press('Enter');

    // Before: the amount alone, then the name and the length on the next try; the date was dropped.
    await expect
      .poll(() => invalidControls(dialog), { timeout: 15_000 })
      .toEqual([
        'Name is required',
        'Amount must be an amount, e.g. 1250.50',
        'Expected close must be a real date, e.g. 28/02/2026',
        'Next step must be at most 300 characters',
      ]);
    expect(await dialog.getByLabel('Name').evaluate((n) => n === document.activeElement)).toBe(true);
    await page.screenshot({ path: artifactPath('record-form-problems.png') });

    // Escape closes with the draft kept; Cancel ends it.
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    await page.getByRole('button', { name: 'New deal' }).click();
    expect(await dialog.getByLabel('Amount').inputValue()).toBe('12abc');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(errors).toEqual([]);
  });
});
