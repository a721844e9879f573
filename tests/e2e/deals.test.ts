import type { Browser, Page } from 'playwright-core';
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

/** Waits for a value under a loaded machine (vitest's default is 1 s). */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000 });
const column = (page: Page, stage: string) => page.locator(`.deal-column[data-stage="${stage}"]`);
const cardIn = (page: Page, stage: string, id: string) => column(page, stage).locator(`[data-deal-id="${id}"]`);
const countOf = async (page: Page, stage: string) =>
  Number(((await column(page, stage).locator('.deal-column-count').textContent()) ?? '').replace(/\D/g, ''));

async function firstCardId(page: Page, stage: string): Promise<string> {
  const id = await column(page, stage).locator('.deal-card').first().getAttribute('data-deal-id');
  if (!id) throw new Error(`no card in ${stage}`);
  return id;
}

/** The demo's Deals list with its first deal open, and the page errors seen from then on. */
async function openFirstListedDeal() {
  const { page } = await openDemoContext(browser, { viewport: { width: 1440, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${renderer.url}#/deals?tab=list`);
  await page.getByRole('grid', { name: 'Deals' }).locator('tbody tr').first().click();
  return { page, errors, detail: page.getByRole('complementary', { name: 'Deal' }) };
}

describe('Deals screen in Chromium on the demo data', () => {
  it('drags a card between stages, moves one with the keyboard, adds a line item', async () => {
    const { page } = await openDemoContext(browser, { viewport: { width: 1600, height: 950 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${renderer.url}#/deals`);
    await column(page, 'prospecting').locator('.deal-card').first().waitFor({ timeout: 120_000 });
    await page.screenshot({ path: artifactPath('deals-board.png') });

    // Drag and drop: prospecting → qualification.
    const before = {
      prospecting: await countOf(page, 'prospecting'),
      qualification: await countOf(page, 'qualification'),
    };
    const dragged = await firstCardId(page, 'prospecting');
    await cardIn(page, 'prospecting', dragged).dragTo(column(page, 'qualification'));
    await cardIn(page, 'qualification', dragged).waitFor();
    expect(await cardIn(page, 'prospecting', dragged).count()).toBe(0);
    await poll(() => countOf(page, 'qualification')).toBe(before.qualification + 1);
    expect(await countOf(page, 'prospecting')).toBe(before.prospecting - 1);

    // The move is in the deal's stage history.
    await cardIn(page, 'qualification', dragged).click();
    const detail = page.getByRole('complementary', { name: 'Deal' });
    const history = detail.getByRole('region', { name: 'Stage history' });
    await poll(() => history.locator('li').first().textContent()).toMatch(/Prospecting\s*to\s*→\s*Qualification/);
    expect(page.url()).toContain(`#/deals/${dragged}?tab=board`);
    await page.screenshot({ path: artifactPath('deals-detail.png') });

    // Keyboard: focus a card, Shift+→ moves it one stage on.
    const keyed = await firstCardId(page, 'proposal');
    await cardIn(page, 'proposal', keyed).focus();
    await page.keyboard.press('Shift+ArrowRight');
    await cardIn(page, 'negotiation', keyed).waitFor();
    expect(await cardIn(page, 'proposal', keyed).count()).toBe(0);
    // The focus went along with the card.
    await poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-deal-id'))).toBe(keyed);

    // Keyboard in the detail: "Move to stage" → Closed lost asks for the reason first.
    await cardIn(page, 'negotiation', keyed).focus();
    await page.keyboard.press('Enter');
    await poll(() => page.url()).toContain(keyed);
    await detail.getByLabel('Move to stage').selectOption('closedLost');
    const lossDialog = page.getByRole('dialog', { name: 'Why was this deal lost?' });
    await lossDialog.getByRole('button', { name: 'Mark as lost' }).click();
    await lossDialog.getByText('Loss reason is required').waitFor();
    expect(await cardIn(page, 'negotiation', keyed).count()).toBe(1);
    await page.screenshot({ path: artifactPath('deals-loss-reason.png') });
    await lossDialog.locator('input').fill('Price too high');
    await lossDialog.getByRole('button', { name: 'Mark as lost' }).click();
    await cardIn(page, 'closedLost', keyed).waitFor();
    await poll(() => history.locator('li').first().textContent()).toMatch(/Negotiation\s*to\s*→\s*Closed lost/i);
    await detail.getByText('Price too high').first().waitFor();

    // A line item from the catalogue: bad quantity is named, then it is added.
    const items = detail.getByRole('region', { name: 'Line items' });
    const rowsBefore = await items.locator('tbody tr').count();
    await items.getByRole('button', { name: 'Add line item' }).click();
    const form = page.getByRole('dialog', { name: 'Add line item' });
    await form.getByLabel('Product').selectOption({ index: 1 });
    await poll(() => form.getByLabel('Unit price').inputValue()).not.toBe('');
    await form.getByLabel('Quantity').fill('0');
    await form.getByRole('button', { name: 'Add line item' }).click();
    await form.getByText('Quantity must be a number above 0').waitFor();
    await form.getByLabel('Quantity').fill('3');
    await form.getByLabel('Discount %').fill('10');
    await page.screenshot({ path: artifactPath('deals-line-item.png') });
    await form.getByRole('button', { name: 'Add line item' }).click();
    await poll(() => items.locator('tbody tr').count()).toBe(rowsBefore + 1);
    await detail.getByRole('heading', { name: 'Line items' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: artifactPath('deals-detail-line-items.png') });

    // A new deal starts in its stage with a first history record.
    await page.getByRole('button', { name: 'New deal' }).click();
    const create = page.getByRole('dialog', { name: 'New deal' });
    await create.getByLabel('Name').fill('Umbrella Corp – pilot');
    await create.getByLabel('Amount').fill('12500');
    await create.getByLabel('Stage').selectOption('qualification');
    await create.getByRole('button', { name: 'Create deal' }).click();
    const created = column(page, 'qualification').locator('.deal-card', { hasText: 'Umbrella Corp – pilot' });
    await created.waitFor();
    await poll(() => history.locator('li').first().textContent()).toMatch(/Created in\s*Qualification/);
    expect(await detail.getByText('25 %').count()).toBeGreaterThan(0);

    // The list view keeps its place in the URL.
    await page.getByRole('tab', { name: 'List' }).click();
    await page.getByRole('grid', { name: 'Deals' }).locator('tbody tr').first().waitFor();
    expect(page.url()).toContain('tab=list');
    await page.screenshot({ path: artifactPath('deals-list.png') });

    // The board opens fast on the demo's few hundred deals (database already seeded).
    await page.goto(`${renderer.url}#/deals?tab=board`);
    const started = Date.now();
    await page.reload();
    await page.locator('.deals-screen').waitFor();
    const shellMs = Date.now() - started;
    await column(page, 'closedLost').locator('.deal-card').first().waitFor();
    const openMs = Date.now() - started;
    console.info(`[deals] after reload: screen ${shellMs} ms, board with cards ${openMs} ms`);
    // The app's own start (dev server, database open) is not the board's; the board's part is.
    expect(openMs - shellMs).toBeLessThan(4_000);

    // The owner filter narrows every column to that owner's deals.
    const stages = ['prospecting', 'qualification', 'proposal', 'negotiation', 'closedWon', 'closedLost'];
    const sum = async () => (await Promise.all(stages.map((st) => countOf(page, st)))).reduce((x, y) => x + y, 0);
    const allDeals = await sum();
    const avatar = column(page, 'prospecting').locator('.deal-card .avatar').first();
    const ownerName = (await avatar.getAttribute('title')) ?? '';
    const initials = (await avatar.textContent()) ?? '';
    await page.getByLabel('Filter by owner').selectOption({ label: ownerName });
    await poll(async () =>
      (await page.locator('.deal-card .avatar').allTextContents()).every((t) => t === initials),
    ).toBe(true);
    await poll(sum).toBeLessThan(allDeals);
    expect(await sum()).toBeGreaterThan(0);
    await page.screenshot({ path: artifactPath('deals-board-owner.png') });
    await page.getByLabel('Filter by owner').selectOption('');

    // Closed columns show the latest 50 and load more on request.
    const lost = column(page, 'closedLost');
    await poll(() => lost.locator('.deal-card').count()).toBe(50);
    await lost.getByRole('button', { name: /Show more/ }).click();
    await poll(() => lost.locator('.deal-card').count()).toBeGreaterThan(50);

    // Totals in another currency.
    await page.getByLabel('Display currency').selectOption('EUR');
    await poll(() => column(page, 'prospecting').locator('.deal-column-total').textContent()).toContain('€');
    await poll(() => page.locator('.deal-summary').textContent()).toMatch(/Pipeline\s*€/);
    expect(errors).toEqual([]);
  }, 300_000);
  it("a deal's primary contact is found by name among every contact, not only the newest 500", async () => {
    const { page, errors, detail } = await openFirstListedDeal();
    await detail.getByRole('button', { name: 'Edit', exact: true }).click();
    const form = page.getByRole('dialog', { name: 'Edit deal' });
    // The demo's oldest contact (of 600): the picker offered the newest 500 and no way to the rest.
    await form.getByLabel('Find Primary contact').fill('Madisyn Kem');
    const contact = form.getByLabel('Primary contact', { exact: true });
    await poll(() => contact.locator('option').allTextContents()).toContain('Madisyn Kemmer');
    await contact.selectOption({ label: 'Madisyn Kemmer' });
    await page.screenshot({ path: artifactPath('deals-find-contact.png') });
    await form.getByRole('button', { name: 'Save' }).click();
    await poll(() => detail.locator('.field-list').textContent()).toContain('Madisyn Kemmer');
    expect(errors).toEqual([]);
  }, 120_000);
  it('an Edit deal closed with Escape or × keeps what was typed until Cancel', async () => {
    const { page, errors, detail } = await openFirstListedDeal();
    const form = page.getByRole('dialog', { name: 'Edit deal' });
    const edit = async () => {
      await detail.getByRole('button', { name: 'Edit', exact: true }).click();
      await form.getByLabel('Name').waitFor();
    };
    await edit();
    const saved = await form.getByLabel('Name').inputValue();
    await form.getByLabel('Name').fill(`${saved} – renewal terms agreed`);
    await page.keyboard.press('Escape');
    await form.waitFor({ state: 'hidden' });
    // Escape threw the typed name away: the next Edit showed the saved one.
    await edit();
    expect(await form.getByLabel('Name').inputValue()).toBe(`${saved} – renewal terms agreed`);
    await page.screenshot({ path: artifactPath('deals-edit-draft.png') });
    await form.getByRole('button', { name: 'Close' }).click();
    await edit();
    expect(await form.getByLabel('Name').inputValue()).toBe(`${saved} – renewal terms agreed`);
    await form.getByRole('button', { name: 'Cancel' }).click();
    await edit();
    expect(await form.getByLabel('Name').inputValue()).toBe(saved);
    expect(errors).toEqual([]);
  }, 120_000);
  it('beside an open deal the list shows every amount whole', async () => {
    const { page } = await openDemoContext(browser, { viewport: { width: 1440, height: 900 } });
    await page.goto(`${renderer.url}#/deals?tab=list`);
    await page.getByLabel('Filter by Stage').selectOption('negotiation');
    const grid = page.getByRole('grid', { name: 'Deals' });
    await poll(() => grid.locator('tbody tr .badge').allTextContents()).not.toContain('Prospecting');
    await grid.locator('tbody tr').first().click();
    await page.getByRole('complementary', { name: 'Deal' }).waitFor();
    const amounts = grid.locator('tbody tr td:nth-child(4)');
    await poll(() => amounts.allTextContents()).toContain('¥115,178,400');
    await page.screenshot({ path: artifactPath('deals-list-beside-deal.png') });
    // The column was too narrow: ¥115,178,400 read "¥115,178,…", a thousandth of the deal.
    const cut = await amounts.evaluateAll((cells) =>
      cells.filter((c) => c.scrollWidth > c.clientWidth).map((c) => c.textContent),
    );
    expect(cut).toEqual([]);

    // Its line items fit the pane: Remove was cut off at the pane's edge (it scrolled sideways).
    await grid.locator('tbody tr', { hasText: '¥115,178,400' }).click();
    const items = page.getByRole('region', { name: 'Line items' });
    await items.locator('tbody tr').first().waitFor();
    const pane = page.locator('.detail-pane');
    expect(await pane.evaluate((el) => el.scrollWidth - el.clientWidth)).toBe(0);
  }, 120_000);
});
