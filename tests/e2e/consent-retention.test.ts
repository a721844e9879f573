import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactPath, type Renderer } from '../support/browser';
import { openE2e } from '../support/e2e';

/**
 * Consent on a contact's detail in Chromium, offline (no server, no demo data): give email consent
 * in one click, log an email, withdraw in one click, and the next email is refused naming the
 * person and the channel. Settings → Retention shows the policies and asks to sign in for the runs.
 */

let browser: Browser;
let renderer: Renderer;
beforeAll(async () => {
  ({ browser, renderer } = await openE2e());
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await renderer?.close();
});

describe('consent and retention in Chromium', () => {
  it('gives and withdraws consent in one click each; an email without consent is blocked by name', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 950 } });
    await context.addInitScript(() => localStorage.setItem('fieldcrm.demoSeeded', 'small'));
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // The first load compiles the renderer on a cold dev server.
    await page.goto(`${renderer.url}#/contacts`, { timeout: 180_000 });
    await page.getByRole('button', { name: 'New contact' }).click({ timeout: 120_000 });
    const create = page.getByRole('dialog', { name: 'New contact' });
    await create.getByLabel('First name').fill('Grace');
    await create.getByLabel('Last name').fill('Hopper');
    await create.getByRole('button', { name: /Create|Save/ }).click();
    await page
      .getByRole('grid', { name: /Contacts/ })
      .getByText('Grace')
      .click();
    const consent = page.getByRole('region', { name: 'Consent' });
    await consent.getByText('Email').waitFor();
    await context.setOffline(true);

    // Details that do not fit: the problem names each field as the form labels it.
    await consent
      .getByRole('button', { name: /With details/ })
      .nth(1)
      .click();
    await consent.getByLabel('Source').fill('S'.repeat(201));
    await consent.getByLabel('Proof link').fill('not a link');
    await consent.getByRole('button', { name: 'Record phone consent' }).click();
    await expect
      .poll(() => consent.getByRole('alert').textContent())
      .toBe('Source must be at most 200 characters; Proof link must be a valid http(s) URL');
    expect(await consent.getByLabel('Source').inputValue()).toHaveLength(201);
    await consent.getByRole('button', { name: 'Cancel' }).click();

    await consent.getByRole('button', { name: 'Give Email consent' }).click();
    await consent.getByText(/Granted · Consent/).waitFor();

    const log = async (expectOk: boolean) => {
      await page.getByRole('button', { name: 'Log call' }).click();
      const dialog = page.locator('form[aria-label="Log communication"]');
      await dialog.locator('label.chip', { hasText: 'Email' }).click();
      await dialog.getByLabel('Subject').fill('Spring offer');
      await dialog.getByRole('button', { name: 'Log email' }).click();
      if (expectOk) await dialog.waitFor({ state: 'detached' });
      return dialog;
    };
    await log(true);

    await consent.getByRole('button', { name: 'Withdraw Email consent' }).click();
    await consent.locator('.badge-lost', { hasText: 'Withdrawn' }).waitFor();
    await consent.getByText('History (2)').click();
    const dialog = await log(false);
    await dialog
      .getByText('Contact Grace Hopper withdrew consent to email on', { exact: false })
      .waitFor({ timeout: 10_000 });
    await page.screenshot({ path: artifactPath('consent-blocked.png') });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await page.screenshot({ path: artifactPath('consent-section.png') });

    await page.goto(`${renderer.url}#/settings?tab=retention`);
    await page.getByRole('button', { name: 'New policy' }).waitFor();
    await page.getByText('sign in to a server to see its runs').waitFor();
    await page.screenshot({ path: artifactPath('settings-retention.png') });
    expect(errors).toEqual([]);
    await context.close();
  }, 300_000);
});
