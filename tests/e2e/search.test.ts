import type { Browser, Page } from 'playwright-core';
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

type Demo = Record<string, unknown> & { id: string };

/** A record of the demo data set the renderer seeds (the same deterministic generator). */
function demoRecord(entity: string, position: number): Demo {
  for (const batch of generateDemoData({ size: 'small' })) {
    if (batch.entity === entity) return batch.records[position] as Demo;
  }
  throw new Error(`no demo ${entity}`);
}

/** Types into the open palette, moves with the arrow keys to the hit titled `title`, and opens it. */
async function openByKeyboard(page: Page, query: string, title: string): Promise<void> {
  const input = page.getByRole('dialog', { name: 'Search' }).getByRole('combobox');
  await input.fill('');
  await input.pressSequentially(query, { delay: 30 });
  const listbox = page.getByRole('listbox', { name: 'Results' });
  await listbox.getByRole('option').filter({ hasText: title }).first().waitFor();
  // While the index is still growing the hits are answered again and reordered under the arrows
  // (a loaded CI machine once ended on the company instead of its deal): walk a settled list.
  await page.locator('.search-progress[data-state="ready"]').waitFor({ timeout: 60_000 });
  for (let step = 0; step < 25; step++) {
    const active = page.locator('[role="option"][aria-selected="true"] .search-hit-title');
    if ((await active.textContent()) === title) break;
    await page.keyboard.press('ArrowDown');
  }
  await expect(page.locator('[role="option"][aria-selected="true"] .search-hit-title').textContent()).resolves.toBe(
    title,
  );
}

describe('global search in Chromium (demo data)', () => {
  it('Ctrl+K finds a contact, a lead and a deal; arrows + Enter open each on its screen', async () => {
    const contact = demoRecord('contact', 1);
    const lead = demoRecord('lead', 1);
    const deal = demoRecord('deal', 1);
    const contactName = `${contact.firstName} ${contact.lastName}`;
    const leadName = `${lead.firstName} ${lead.lastName}`;

    const { page } = await openDemoContext(browser, { viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${renderer.url}#/contacts`);
    await page.getByRole('grid', { name: 'Contacts' }).locator('tbody tr').first().waitFor({ timeout: 120_000 });

    // The launcher in the top bar opens the palette; Escape closes it.
    await page.getByRole('button', { name: /Search contacts, companies/ }).click();
    const palette = page.getByRole('dialog', { name: 'Search' });
    await palette.waitFor();
    // The palette's code may still be on its way (fetched on demand): its frame says so meanwhile.
    await palette.locator('.search-progress').waitFor();
    await expect(palette.getByRole('status').last().textContent()).resolves.toMatch(
      /Indexing|Loading the saved index|Loading the full index|records indexed/,
    );
    await palette.locator('.search-progress', { hasText: 'records indexed' }).waitFor({ timeout: 60_000 });
    await page.screenshot({ path: artifactPath('search-empty.png') });
    await page.keyboard.press('Escape');
    await palette.waitFor({ state: 'hidden' });

    // Contact: part of the first and last name.
    await page.locator('main').click();
    await page.keyboard.press('Control+k');
    await palette.waitFor();
    await openByKeyboard(
      page,
      `${String(contact.firstName).slice(0, 4)} ${String(contact.lastName).slice(0, 3)}`,
      contactName,
    );
    await page.screenshot({ path: artifactPath('search-contact.png') });
    await page.keyboard.press('Enter');
    await palette.waitFor({ state: 'hidden' });
    await page.waitForFunction((id) => location.hash === `#/contacts/${id}`, contact.id);
    await page.locator('.detail-pane, .record-detail').first().getByText(contactName).first().waitFor();
    await page.screenshot({ path: artifactPath('search-contact-opened.png') });

    // Lead: its last name only, from another screen.
    await page.keyboard.press('Control+k');
    await openByKeyboard(page, String(lead.lastName), leadName);
    await page.keyboard.press('Enter');
    await page.waitForFunction((id) => location.hash.startsWith(`#/leads/${id}`), lead.id);

    // Deal: two words of its name (many deals share words: the arrows pick the right one).
    const dealWords = String(deal.name).split(/\s+/).slice(0, 2).join(' ');
    await page.keyboard.press('Control+k');
    await openByKeyboard(page, dealWords, String(deal.name));
    await page.screenshot({ path: artifactPath('search-deal.png') });
    await page.keyboard.press('Enter');
    await page.waitForFunction((id) => location.hash.startsWith(`#/deals/${id}`), deal.id);

    // No match: an empty state that says so.
    await page.keyboard.press('Control+k');
    await page.getByRole('dialog', { name: 'Search' }).getByRole('combobox').fill('zzqxv');
    await palette.getByText('No matches for “zzqxv”').waitFor();
    await page.screenshot({ path: artifactPath('search-no-match.png') });
    // One Escape closes it, with a query typed too (the search field's own Escape would clear it first).
    await page.keyboard.press('Escape');
    await palette.waitFor({ state: 'hidden', timeout: 2_000 });

    // The next session loads the index this one saved once built (sealed in IndexedDB, by the
    // worker) instead of reading every record again.
    await page.keyboard.press('Control+k');
    await palette.locator('.search-progress[data-saves="1"]').waitFor({ timeout: 60_000 });
    await page.keyboard.press('Escape');
    await page.goto(`${renderer.url}#/contacts`);
    await page.reload();
    await page.getByRole('grid', { name: 'Contacts' }).locator('tbody tr').first().waitFor({ timeout: 120_000 });
    await page.keyboard.press('Control+k');
    await palette.locator('.search-progress[data-from="saved"]', { hasText: 'records indexed' }).waitFor({
      timeout: 60_000,
    });
    await openByKeyboard(page, String(lead.lastName), leadName);
    await page.keyboard.press('Escape');
    expect(errors).toEqual([]);
  }, 240_000);

  it('Ctrl+K opens at once while the palette’s code is still on its way, and keeps every key typed meanwhile', async () => {
    const contact = demoRecord('contact', 2);
    const last = String(contact.lastName);
    const { page } = await openDemoContext(browser, { viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // The search chunk (search-runtime.ts, on demand) is held back until the keys are typed.
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let asked = 0;
    // The built renderer's chunk (assets/search-runtime-<hash>.js), or the dev server's module.
    await page.route(/\/search-runtime(-[\w-]+\.js|\.ts)(\?|$)/, async (route) => {
      asked++;
      await held;
      await route.continue();
    });
    await page.goto(`${renderer.url}#/contacts`);
    await page.getByRole('grid', { name: 'Contacts' }).locator('tbody tr').first().waitFor({ timeout: 120_000 });
    // Preloaded when idle: asked for already, not here yet.
    await expect.poll(() => asked, { timeout: 10_000 }).toBeGreaterThan(0);

    await page.locator('main').click();
    await page.keyboard.press('Control+k');
    const palette = page.getByRole('dialog', { name: 'Search' });
    await palette.getByText('Opening search…').waitFor();
    await page.keyboard.type(last.slice(0, 3), { delay: 20 });
    await expect(palette.getByRole('combobox').inputValue()).resolves.toBe(last.slice(0, 3));
    await page.screenshot({ path: artifactPath('search-loading.png') });

    release();
    await palette.locator('.search-progress').waitFor();
    // The palette took over with the query typed so far, the caret after it: typing goes on.
    await page.keyboard.type(last.slice(3), { delay: 20 });
    await expect(palette.getByRole('combobox').inputValue()).resolves.toBe(last);
    await palette.getByRole('listbox', { name: 'Results' }).getByRole('option').first().waitFor({ timeout: 60_000 });
    await expect.poll(() => page.locator('#search-results').getAttribute('data-query'), { timeout: 60_000 }).toBe(last);
    expect(errors).toEqual([]);
  }, 240_000);
});
