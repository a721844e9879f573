import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactPath, type Renderer } from '../support/browser';
import { openDemoContextForFile, openE2e } from '../support/e2e';

let browser: Browser;
let renderer: Renderer;
let page: Page;
let dispose: (() => Promise<void>) | undefined;
const errors: string[] = [];

beforeAll(async () => {
  ({ browser, renderer } = await openE2e());
  ({ page, dispose } = await openDemoContextForFile(browser, { viewport: { width: 1440, height: 900 } }));
  page.on('pageerror', (e) => errors.push(e.message));
  // A copy of the run's seeded profile (or, without the e2e globalSetup, seeded on first open).
  await page.goto(`${renderer.url}#/contacts`);
  await page.getByRole('grid', { name: 'Contacts' }).locator('tbody tr').first().waitFor({ timeout: 180_000 });
}, 240_000);
afterAll(async () => {
  await dispose?.();
  await browser?.close();
  await renderer?.close();
});

describe('tasks, notes and content on the demo data (Chromium)', () => {
  it('My day shows overdue tasks; a task is added with the keyboard, completed with Space, reopened', async () => {
    await page.goto(`${renderer.url}#/tasks`);
    const myDay = page.getByRole('grid', { name: 'My day' });
    await myDay.locator('tr.task-row').first().waitFor();
    await expect.poll(() => page.locator('.demo-note').count()).toBe(1);
    expect(await myDay.locator('tr.task-group.danger').count()).toBe(1);
    await page.screenshot({ path: artifactPath('tasks-my-day.png') });

    // N focuses the quick add; Enter adds a task due today (the default date).
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('n');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('New task title');
    await page.keyboard.type('Call Ada about the e2e renewal');
    await page.keyboard.press('Enter');
    const row = myDay.locator('tr.task-row', { hasText: 'Call Ada about the e2e renewal' });
    await row.waitFor();
    expect(await row.locator('.task-due').textContent()).toMatch(/^Today/);

    // Space on the focused row completes it: it leaves My day.
    await row.click();
    await page.getByRole('article', { name: 'Task Call Ada about the e2e renewal' }).waitFor();
    await myDay.focus();
    await page.screenshot({ path: artifactPath('tasks-detail.png') });
    await page.keyboard.press('Space');
    await row.waitFor({ state: 'detached' });
    const detail = page.getByRole('article', { name: 'Task Call Ada about the e2e renewal' });
    await detail.getByRole('button', { name: 'Reopen' }).waitFor();
    expect(await detail.locator('dd').allTextContents()).toContain('Completed');

    // Reopen from the detail: back in My day.
    await detail.getByRole('button', { name: 'Reopen' }).click();
    await row.waitFor();

    // S snoozes the focused task a day: it leaves My day for Upcoming, at the same time tomorrow.
    await row.click();
    await myDay.focus();
    await page.keyboard.press('s');
    await row.waitFor({ state: 'detached' });
    await page.getByRole('tab', { name: 'Upcoming' }).click();
    const upcoming = page.getByRole('grid', { name: 'Upcoming' });
    const snoozed = upcoming.locator('tr.task-row', { hasText: 'Call Ada about the e2e renewal' });
    await snoozed.waitFor();
    expect(await snoozed.locator('.task-due').textContent()).toMatch(/^Tomorrow/);
    expect(await upcoming.locator('tr.task-group th').first().textContent()).toMatch(/^Tomorrow/);
    await page.screenshot({ path: artifactPath('tasks-upcoming.png') });
    await page.getByRole('tab', { name: 'My day' }).click();

    // Bad input is named: an invalid date in the dialog.
    await page.getByRole('button', { name: 'New task' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add task' });
    await dialog.getByLabel('Title').fill('Bad date task');
    await dialog.getByLabel('Due date').fill('');
    await dialog.getByLabel('Time (default 17:00)').fill('10:00');
    await dialog.getByRole('button', { name: 'Add task' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'Due' }).waitFor();
    await page.screenshot({ path: artifactPath('tasks-add-dialog-error.png') });
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    // The other views. My day shows a few of the demo's long overdue backlog; "see all" opens Overdue.
    await page.getByRole('button', { name: /more overdue — see all/ }).click();
    await page.getByRole('grid', { name: 'Overdue' }).locator('tr.task-row').nth(8).waitFor();
    expect(await page.getByRole('tab', { name: 'Overdue' }).getAttribute('aria-selected')).toBe('true');
    await page.screenshot({ path: artifactPath('tasks-overdue.png') });
    await page.getByRole('tab', { name: 'By record' }).click();
    await page.getByRole('grid', { name: 'By record' }).locator('tr.task-row').first().waitFor();
    await page.screenshot({ path: artifactPath('tasks-by-record.png') });
    await page.getByRole('tab', { name: 'All' }).click();
    await page.getByRole('grid', { name: 'All tasks' }).locator('tr.task-row').first().waitFor();
    await page.screenshot({ path: artifactPath('tasks-all.png') });
    expect(errors).toEqual([]);
  }, 180_000);

  it('a task titled with a long link wraps: its actions stay in the pane', async () => {
    await page.goto(`${renderer.url}#/tasks`);
    await page.getByRole('button', { name: 'New task' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add task' });
    const title =
      'Send proposal https://docs.example.com/document/d/1aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789/edit?usp=sharing';
    await dialog.getByLabel('Title').fill(title);
    await dialog.getByLabel('Description').fill(`Deck: ${title.slice(14)}abcdefghijklmnopqrstuvwxyz`);
    await dialog.getByRole('button', { name: 'Add task' }).click();
    const detail = page.getByRole('article', { name: `Task ${title}` });
    await detail.waitFor();
    const pane = await page.locator('.detail-pane').boundingBox();
    const edit = await detail.getByRole('button', { name: 'Edit' }).boundingBox();
    const description = await detail.locator('.task-description').boundingBox();
    await page.screenshot({ path: artifactPath('tasks-long-title.png') });
    if (!pane || !edit || !description) throw new Error('the task detail is not drawn');
    // A title or description wider than the pane pushed Edit, Delete and Close out of sight.
    expect(edit.x + edit.width).toBeLessThanOrEqual(pane.x + pane.width);
    expect(description.x + description.width).toBeLessThanOrEqual(pane.x + pane.width);
    expect(await page.locator('.detail-pane').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    expect(errors).toEqual([]);
  }, 120_000);

  it('a task typed and closed with Escape before it is added is there again on reopening', async () => {
    await page.goto(`${renderer.url}#/tasks`);
    await page.getByRole('button', { name: 'New task' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add task' });
    await dialog.getByLabel('Title').fill('Send Ada the signed order form');
    await dialog.getByLabel('Description').fill('She needs it before the board meets on Thursday');
    // One Escape too many used to throw it away.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'New task' }).click();
    await expect.poll(() => dialog.getByLabel('Title').inputValue()).toBe('Send Ada the signed order form');
    expect(await dialog.getByLabel('Description').inputValue()).toBe('She needs it before the board meets on Thursday');
    await dialog.getByRole('button', { name: 'Add task' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'New task' }).click();
    expect(await dialog.getByLabel('Title').inputValue()).toBe('');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(errors).toEqual([]);
  }, 120_000);

  it('notes: newest first with their record; a note without text is refused, then added and read', async () => {
    await page.goto(`${renderer.url}#/notes`);
    const grid = page.getByRole('grid', { name: 'Notes' });
    await grid.locator('tbody tr').first().waitFor();
    await page.screenshot({ path: artifactPath('notes-list.png') });

    await page.keyboard.press('n'); // N writes a new note
    const dialog = page.getByRole('dialog', { name: 'Add note' });
    const record = dialog.getByLabel('Contact', { exact: true });
    await expect.poll(() => record.locator('option').count()).toBeGreaterThan(2);
    await record.selectOption({ index: 1 });
    await dialog.getByLabel('Title').fill('E2E kick-off call');
    await dialog.getByRole('button', { name: 'Add note' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'Note is required' }).waitFor();
    await page.screenshot({ path: artifactPath('notes-add-error.png') });
    await dialog
      .getByRole('textbox', { name: /^Note/ })
      .fill('# Agreed\n- **Two** seats from January\n- <script>alert(1)</script> stays text\n\nCall back Friday.');
    await page.keyboard.press('Control+Enter');
    const reader = page.getByRole('article', { name: 'Note E2E kick-off call' });
    await reader.waitFor();
    expect(await reader.locator('.note-text strong').textContent()).toBe('Two');
    expect(await reader.locator('.note-text li').nth(1).textContent()).toBe('<script>alert(1)</script> stays text');
    expect(await reader.locator('.note-text script').count()).toBe(0);
    // Newest first: the note just written heads the list.
    expect(await grid.locator('tbody tr').first().textContent()).toContain('E2E kick-off call');
    await page.screenshot({ path: artifactPath('notes-reader.png') });

    await reader.getByRole('button', { name: 'Edit' }).click();
    await reader.getByRole('textbox', { name: /^Note/ }).fill('   ');
    await reader.getByRole('button', { name: 'Save' }).click();
    await reader.getByRole('alert').filter({ hasText: 'Note is required' }).waitFor();
    await page.keyboard.press('Escape');
    await reader.locator('.note-text').waitFor();
    expect(errors).toEqual([]);
  }, 120_000);

  it('notes: an edit left for another note is still there on coming back; Cancel drops it', async () => {
    await page.goto(`${renderer.url}#/notes`);
    const grid = page.getByRole('grid', { name: 'Notes' });
    await grid.locator('tbody tr').nth(2).click();
    const editor = page.getByRole('form', { name: 'Edit note' });
    await page.locator('article.note-detail').getByRole('button', { name: 'Edit' }).click();
    await editor.getByRole('textbox', { name: /^Note/ }).fill('Typed while on the phone: send the revised quote');
    // Another note opened mid-edit used to throw the typed text away without a word.
    await grid.locator('tbody tr').nth(3).click();
    await page.locator('article.note-detail .note-text').waitFor();
    await grid.locator('tbody tr').nth(2).click();
    await expect
      .poll(() => editor.getByRole('textbox', { name: /^Note/ }).inputValue())
      .toBe('Typed while on the phone: send the revised quote');
    await page.screenshot({ path: artifactPath('notes-draft-kept.png') });
    await editor.getByRole('button', { name: 'Cancel' }).click();
    await page.locator('article.note-detail .note-text').waitFor();
    await grid.locator('tbody tr').nth(3).click();
    await grid.locator('tbody tr').nth(2).click();
    await page.locator('article.note-detail .note-text').waitFor();
    expect(await editor.count()).toBe(0);
    expect(errors).toEqual([]);
  }, 120_000);

  it('notes: a new note closed with Escape before it is saved is there again on reopening', async () => {
    await page.goto(`${renderer.url}#/notes`);
    await page.getByRole('grid', { name: 'Notes' }).locator('tbody tr').first().waitFor();
    await page.getByRole('button', { name: 'New note' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add note' });
    const text = 'Met the buyer: budget approved, wants a pilot in March';
    await dialog.getByRole('textbox', { name: /^Note/ }).fill(text);
    // One Escape too many used to throw the note away.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'New note' }).click();
    await expect.poll(() => dialog.getByRole('textbox', { name: /^Note/ }).inputValue()).toBe(text);
    await page.screenshot({ path: artifactPath('notes-new-draft-kept.png') });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(errors).toEqual([]);
  }, 120_000);

  it('content library: engagement per item, filter by type, sorted by engagement; detail lists who did what', async () => {
    await page.goto(`${renderer.url}#/content`);
    const grid = page.getByRole('grid', { name: 'Content' });
    // The rows come first; the engagement columns when every interaction is counted.
    await grid.locator('tbody tr').first().waitFor();
    await grid.locator('tbody tr .content-engagement .num').first().waitFor();
    expect(await page.locator('.content-library .count').textContent()).toMatch(/^30 items · [\d,]+ interactions$/);
    const totals = async () =>
      Promise.all(
        (await grid.locator('tbody tr .content-engagement .num').allTextContents()).map((t) =>
          Number(t.replace(/\D/g, '')),
        ),
      );
    const sorted = await totals();
    expect(sorted[0]).toBeGreaterThan(0);
    expect(sorted).toEqual([...sorted].sort((a, b) => b - a));
    await page.screenshot({ path: artifactPath('content-library.png') });

    await page.getByRole('combobox', { name: 'Filter by type' }).selectOption('caseStudy');
    await expect
      .poll(async () => new Set(await grid.locator('tbody tr .content-type').allTextContents()))
      .toEqual(new Set(['Case Study']));

    await grid.locator('tbody tr').first().click();
    const detail = page.locator('article.content-detail');
    await detail.locator('table.interactions tbody tr').first().waitFor();
    const interactions = Number(
      ((await detail.locator('.stat-tile.strong .stat-value').first().textContent()) ?? '').replace(/\D/g, ''),
    );
    expect(await detail.locator('table.interactions tbody tr').count()).toBe(Math.min(100, interactions));
    await page.screenshot({ path: artifactPath('content-engagement.png') });

    // Who engaged opens on their own screen.
    await detail.locator('table.interactions .content-person').first().click();
    await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/^#\/(leads|contacts)\/.+/);
    expect(errors).toEqual([]);
  }, 120_000);
});
