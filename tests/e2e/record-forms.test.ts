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
  it('new deal, task and communication forms name every mistake at once, each at its field, and focus the first', async () => {
    const { page } = await openDemoContext(browser, { viewport: { width: 1440, height: 900 }, locale: 'en-GB' });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${renderer.url}#/deals`);
    await page.getByRole('button', { name: 'New deal' }).click({ timeout: 120_000 });
    const dialog = page.getByRole('dialog', { name: 'New deal' });
    // It opens on its first field, not on the × (Dialog).
    await expect.poll(() => dialog.getByLabel('Name').evaluate((n) => n === document.activeElement)).toBe(true);

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

    // Add task (CreateForm): 31/02 as due date is named at the field and focused, not saved as no date.
    await page.goto(`${renderer.url}#/tasks`);
    await page.getByRole('button', { name: 'New task' }).click({ timeout: 60_000 });
    const task = page.getByRole('dialog', { name: 'Add task' });
    await expect.poll(() => task.getByLabel('Title').evaluate((n) => n === document.activeElement)).toBe(true);
    await task.getByLabel('Title').fill('t'.repeat(250));
    await task.getByLabel('Due date').fill('');
    await task.getByLabel('Due date').click();
    await page.keyboard.type('02312026');
    await task.getByRole('button', { name: 'Add task' }).click();
    await expect.poll(() => invalidControls(task)).toEqual(['Due date must be a real date, e.g. 28/02/2026']);
    expect(await task.getByLabel('Due date').evaluate((n) => n === document.activeElement)).toBe(true);
    await task.getByLabel('Due date').fill('2026-02-28');
    await task.getByRole('button', { name: 'Add task' }).click();
    await expect.poll(() => invalidControls(task)).toEqual(['Title must be at most 200 characters']);
    expect(await task.getByLabel('Title').evaluate((n) => n === document.activeElement)).toBe(true);
    await task.getByRole('button', { name: 'Cancel' }).click();
    // Quick add too: no task added with no due date.
    const quick = page.getByRole('form', { name: 'Quick add task' });
    await quick.getByLabel('New task title').fill('Quick QA');
    await quick.getByLabel('Due date').fill('');
    await quick.getByLabel('Due date').click();
    await page.keyboard.type('02312026');
    await quick.getByRole('button', { name: 'Add' }).click();
    await expect
      .poll(() => quick.getByRole('alert').textContent())
      .toBe('Due date must be a real date, e.g. 28/02/2026');

    // Log communication: no record, a duration of "ten", a 400-character subject, all at once, each
    // described by its own message (Subject's pointed at the record's, which shared its id).
    await page.goto(`${renderer.url}#/communications`);
    await page.getByRole('button', { name: /^Log/ }).first().click({ timeout: 60_000 });
    const log = page.getByRole('dialog', { name: 'Log communication' });
    await log.getByLabel('Duration (min)').fill('ten');
    await log.getByLabel('Subject', { exact: true }).fill('s'.repeat(400));
    await log.getByRole('button', { name: 'Log call' }).click();
    await expect
      .poll(() => invalidControls(log))
      .toEqual([
        'Record is required: choose the record this is about',
        'Subject must be at most 300 characters',
        'Duration (min) must be a number',
      ]);
    expect(await log.getByLabel('About', { exact: true }).evaluate((n) => n === document.activeElement)).toBe(true);
    await log.getByRole('button', { name: 'Cancel' }).click();
    expect(errors).toEqual([]);
  }, 240_000);
});
