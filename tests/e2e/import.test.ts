import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoData } from '../../src-shared/demo/generate-demo-data';
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

/** A demo contact (its email makes the file's duplicate) and a demo company (the file names it). */
function demoPicks() {
  let contact: Record<string, unknown> | undefined;
  let company: Record<string, unknown> | undefined;
  for (const batch of generateDemoData({ size: 'small' })) {
    if (batch.entity === 'contact') contact ??= (batch.records as Record<string, unknown>[]).find((c) => c.email);
    if (batch.entity === 'company') company ??= (batch.records as Record<string, unknown>[])[0];
  }
  if (!contact || !company) throw new Error('demo data has no contact or company');
  return { email: String(contact.email), lastName: String(contact.lastName), company: String(company.name) };
}

describe('import of contacts in Chromium on the demo data', () => {
  it('previews, reports the bad row, creates, skips the duplicate and undoes the import', async () => {
    const demo = demoPicks();
    const csv = [
      'First Name,Last Name,E-mail,Company,Job Title,Tags',
      `Imogen,Importwell,imogen.importwell@example.org,${demo.company},Buyer,expo`,
      'Bartholomew,Badmail,not an email,,Analyst,',
      `Dora,Duplicate,${demo.email},,Changed title,`,
      'Quentin,Quickimport,quentin.q@example.org,,CFO,"expo;vip"',
    ].join('\r\n');
    const { page } = await openDemoContext(browser, { viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${renderer.url}#/contacts`);
    await page.waitForFunction(() => localStorage.getItem('fieldcrm.demoSeeded') !== null, undefined, {
      timeout: 480_000,
    });

    // From the Contacts list, the sidebar's Import offers contacts; a file picked.
    await page.getByRole('grid', { name: 'Contacts' }).locator('tbody tr').first().waitFor({ timeout: 120_000 });
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Import' }).click();
    const kinds = page.getByRole('group', { name: 'What to import' });
    await kinds.getByRole('button', { name: 'Contacts', pressed: true }).waitFor();
    await page
      .locator('.import-choose input[type=file]')
      .setInputFiles([{ name: 'expo-contacts.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) }]);
    // Columns matched by name; the duplicate skipped rather than updated.
    await expect.poll(() => page.getByLabel('Field for column E-mail').inputValue()).toBe('email');
    expect(await page.getByLabel('Field for column Company').inputValue()).toBe('companyId');
    await page.getByLabel('Skip the row').check();
    // A mapping changed by hand is remembered for this header set.
    await page.getByLabel('Field for column Tags').selectOption('');
    const counts = page.locator('.import-counts');
    await expect.poll(() => counts.textContent(), { timeout: 30_000 }).toBe('2 new0 to update1 skipped1 with problems');
    const preview = page.getByRole('table', { name: 'Preview' });
    await expect.poll(() => preview.locator('tbody tr').count()).toBe(4);
    expect(await preview.locator('tbody tr').nth(0).textContent()).toContain(demo.company);
    expect(await preview.locator('thead').textContent()).not.toContain('Tags');
    expect(await preview.locator('tbody tr').nth(1).textContent()).toContain(
      'E-mail: "not an email" is not an email address',
    );
    expect(await preview.locator('tbody tr').nth(2).textContent()).toContain('already exists');
    await page.screenshot({ path: artifactPath('import-preview.png'), fullPage: true });

    // The problem report downloads as CSV naming row and column.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download problem report' }).click();
    // saveAs, not path(): the shared Chromium is connected remotely.
    const reportPath = artifactPath('import-problems.csv');
    await (await download).saveAs(reportPath);
    const report = readFileSync(reportPath, 'utf8');
    expect(report).toContain('3,E-mail,"""not an email"" is not an email address"');
    expect(report).toContain('4,,skipped: already exists');

    await page.getByRole('button', { name: 'Import 2 rows' }).click();
    const result = page.getByRole('region', { name: 'Import finished' });
    await result.waitFor({ timeout: 60_000 });
    expect(await result.textContent()).toContain('2 created · 0 updated · 1 skipped · 1 row with problems');
    expect(await result.getByRole('list', { name: 'Problems' }).textContent()).toContain(
      'row 3, column "E-mail": "not an email" is not an email address',
    );
    await page.screenshot({ path: artifactPath('import-result.png'), fullPage: true });

    // The created contacts are in the list (newest first).
    await result.getByRole('button', { name: 'Open Contacts' }).click();
    const grid = page.getByRole('grid', { name: 'Contacts' });
    await grid.getByText('Importwell').first().waitFor({ timeout: 60_000 });
    await grid.getByText('Quickimport').first().waitFor();
    expect(await grid.getByText('Badmail').count()).toBe(0);
    await page.screenshot({ path: artifactPath('import-contacts.png') });
    // The import's second contact: its creation is in a bulk write entry listed under the first
    // one's id, and its History finds it there, narrowed to it.
    await grid.getByText('Quickimport').first().click();
    const pane = page.getByRole('complementary', { name: 'Contact' });
    await pane.getByRole('button', { name: 'History' }).click();
    const trail = pane.getByRole('list', { name: 'History' });
    await trail.locator('li').first().waitFor({ timeout: 30_000 });
    expect(await trail.locator('li summary').allTextContents()).toEqual([
      expect.stringMatching(/Bulk write\s*new record/),
    ]);
    expect(await pane.getByText('Its creation is not in the trail').count()).toBe(0);
    await trail.locator('li summary').first().click();
    expect(await trail.locator('.audit-batch-item').count()).toBe(1);
    await page.screenshot({ path: artifactPath('import-contact-history.png') });

    // Undo the whole import from the Import screen: both created contacts leave the list.
    await page.keyboard.press('Alt+i');
    const history = page.getByRole('region', { name: 'Recent imports on this device' });
    await history.getByRole('button', { name: 'Undo import' }).first().click();
    await history.getByText('Undone').first().waitFor({ timeout: 60_000 });
    await page.screenshot({ path: artifactPath('import-undone.png') });
    // The same file again: the hand-made mapping comes back.
    await page
      .locator('.import-choose input[type=file]')
      .setInputFiles([{ name: 'expo-contacts.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) }]);
    await expect.poll(() => page.getByLabel('Field for column E-mail').inputValue()).toBe('email');
    expect(await page.getByLabel('Field for column Tags').inputValue()).toBe('');
    await page.keyboard.press('Alt+2');
    await grid.locator('tbody tr').first().waitFor();
    await expect.poll(() => grid.getByText('Importwell').count(), { timeout: 30_000 }).toBe(0);
    expect(await grid.getByText('Quickimport').count()).toBe(0);
    expect(errors).toEqual([]);
  }, 900_000);
});
