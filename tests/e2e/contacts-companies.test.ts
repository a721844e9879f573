import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoRecord, generateDemoData } from '../../src-shared/demo/generate-demo-data';
import { artifactPath, type Renderer } from '../support/browser';
import { openDemoContextForFile, openE2e } from '../support/e2e';

let browser: Browser;
let renderer: Renderer;

type Rec = DemoRecord & Record<string, unknown> & { id: string };

/** The demo data set the renderer seeds, to pick records whose 360 has something in every section. */
function demoRecords(): Record<string, Rec[]> {
  const by: Record<string, Rec[]> = {};
  for (const batch of generateDemoData({ size: 'small' })) {
    by[batch.entity] = [...(by[batch.entity] ?? []), ...(batch.records as Rec[])];
  }
  return by;
}

function countBy(records: readonly Rec[], key: (r: Rec) => unknown): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of records) {
    const k = key(r);
    if (typeof k === 'string') counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}

const demo = demoRecords();
const all = (entity: string) => demo[entity] ?? [];
const attached = new Set(all('communicationAttachment').map((a) => a.communicationId));
const dealsOfContact = countBy(all('deal'), (d) => d.contactId);
const socialOf = countBy(all('socialProfile'), (p) => p.subjectId);
const openTasksOf = countBy(
  all('task').filter((t) => ['open', 'inProgress', 'waiting'].includes(String(t.status))),
  (t) => t.subjectId,
);
const attachmentsOf = countBy(
  all('communication').filter((c) => attached.has(c.id)),
  (c) => c.subjectId,
);
/** A contact with deals, open tasks, a social profile and communications with attachments. */
const contact = all('contact').find(
  (c) => dealsOfContact.get(c.id) && openTasksOf.get(c.id) && socialOf.get(c.id) && attachmentsOf.get(c.id),
);
const researchOf = countBy(all('companyResearch'), (r) => r.companyId);
const contactsAt = countBy(all('contact'), (c) => c.companyId);
const dealsAt = countBy(all('deal'), (d) => d.companyId);
/** A subsidiary with people, deals and research, whose parent has other subsidiaries too. */
const company = all('company').find(
  (c) =>
    typeof c.parentCompanyId === 'string' &&
    (contactsAt.get(c.id) ?? 0) >= 2 &&
    dealsAt.get(c.id) &&
    researchOf.get(c.id) &&
    all('company').filter((s) => s.parentCompanyId === c.parentCompanyId).length >= 2,
);
const parent = all('company').find((c) => c.id === company?.parentCompanyId);

beforeAll(async () => {
  ({ browser, renderer } = await openE2e());
}, 120_000);
afterAll(async () => {
  await dispose?.();
  await browser?.close();
  await renderer?.close();
});

/** Under load (two cores, many builds) the first read of a section can take a while. */
const SLOW = { timeout: 30_000 };

let page: Page;
let dispose: (() => Promise<void>) | undefined;
const errors: string[] = [];

/** One page for every test, on a copy of the run's seeded demo profile; each test waits until all of it is in. */
async function openApp(): Promise<{ page: Page; errors: string[] }> {
  if (!page) {
    ({ page, dispose } = await openDemoContextForFile(browser, {
      viewport: { width: 1500, height: 950 },
      acceptDownloads: true,
    }));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${renderer.url}#/contacts`);
    await page.waitForFunction(() => localStorage.getItem('fieldcrm.demoSeeded') !== null, undefined, {
      timeout: 180_000,
    });
  }
  await page.goto(`${renderer.url}#/contacts`);
  await page.getByRole('grid', { name: 'Contacts' }).locator('tbody tr').first().waitFor({ timeout: 60_000 });
  return { page, errors };
}

describe('contacts and companies in Chromium on the demo data', () => {
  it('picks demo records that have something in every section', () => {
    expect(contact).toBeDefined();
    expect(company).toBeDefined();
    expect(parent).toBeDefined();
  });

  it('lists contacts with index-served filters and opens a contact’s 360', async () => {
    const { page, errors } = await openApp();
    const count = page.locator('.entity-list .count');
    // The count comes after the rows (live-pages.ts counts once the first page is painted).
    await expect
      .poll(async () => (await count.textContent())?.replace(/\D/g, ''), SLOW)
      .toBe(String(all('contact').length));
    await page.screenshot({ path: artifactPath('contacts-list.png') });

    // Status filter: the count is the demo's number of inactive contacts.
    await page.getByLabel('Filter by status').selectOption('inactive');
    const inactive = all('contact').filter((c) => c.status === 'inactive').length;
    await expect.poll(async () => (await count.textContent())?.replace(/\D/g, ''), SLOW).toBe(String(inactive));
    await page.getByLabel('Filter by status').selectOption('');

    // Owner alone (a union of owner-and-status index reads).
    const ownerId = String(contact?.ownerId);
    await page.getByLabel('Filter by owner').selectOption(ownerId);
    const owned = all('contact').filter((c) => c.ownerId === ownerId).length;
    await expect.poll(async () => (await count.textContent())?.replace(/\D/g, ''), SLOW).toBe(String(owned));
    await page.getByLabel('Filter by owner').selectOption('');

    await page.goto(`${renderer.url}#/contacts/${contact?.id}`);
    const pane = page.getByRole('complementary', { name: 'Contact' });
    const name = `${contact?.firstName} ${contact?.lastName ?? ''}`.trim();
    await pane.getByRole('heading', { name, level: 2 }).waitFor();

    // Open tasks, deals, social profiles: the demo's own related records.
    const tasks = pane.locator('.open-tasks li');
    await expect.poll(() => tasks.count(), SLOW).toBe(openTasksOf.get(String(contact?.id)));
    const deals = pane.locator('.related-deals tbody tr');
    await expect.poll(() => deals.count(), SLOW).toBe(dealsOfContact.get(String(contact?.id)));
    const profiles = pane.locator('.social-profiles .profiles-360 li');
    await expect.poll(() => profiles.count(), SLOW).toBe(socialOf.get(String(contact?.id)));

    // Timeline: communications with their attachments' file names, newest first.
    const items = pane.locator('.rt-list > li');
    await items.first().waitFor();
    const times = await pane.locator('.rt-list time').evaluateAll((els) => els.map((e) => e.getAttribute('datetime')));
    expect(times.length).toBeGreaterThan(1);
    expect([...times].sort().reverse()).toEqual(times);
    await pane.locator('.rt-list .rt-files li').first().waitFor();
    const files = await pane.locator('.rt-list .rt-files li').allTextContents();
    const fileNames = all('communicationAttachment')
      .filter((a) => all('communication').some((c) => c.id === a.communicationId && c.subjectId === contact?.id))
      .map((a) => String(a.fileName));
    expect(files.map((f) => f.replace(/^\W+/, '').trim()).sort()).toEqual(fileNames.sort());
    await page.screenshot({ path: artifactPath('contacts-360.png') });
    await pane.locator('.record-timeline').scrollIntoViewIfNeeded();
    await page.screenshot({ path: artifactPath('contacts-360-timeline.png') });

    // Social profile: a bad URL is refused naming the field; a good one is added, then removed with Undo.
    await pane.getByRole('button', { name: 'Add profile' }).click();
    await pane.getByLabel('Profile URL').fill('not a profile');
    await pane.getByRole('button', { name: 'Add', exact: true }).click();
    await expect
      .poll(() => pane.locator('.social-profiles [role="alert"]').textContent(), SLOW)
      .toContain('Profile URL');
    await page.screenshot({ path: artifactPath('contacts-social-error.png') });
    await pane.getByLabel('Profile URL').fill('github.com/e2e-octocat');
    await pane.getByRole('button', { name: 'Add', exact: true }).click();
    await pane.getByRole('link', { name: /GitHub · e2e-octocat/ }).waitFor();
    await pane.getByRole('button', { name: 'Remove GitHub profile e2e-octocat' }).click();
    await pane.getByRole('link', { name: /GitHub · e2e-octocat/ }).waitFor({ state: 'detached' });

    // A note added here shows in the notes and on the timeline.
    await pane.getByLabel('New note').fill('Prefers a call on Tuesdays (e2e)');
    await pane.getByRole('button', { name: 'Add note' }).click();
    await pane.locator('.notes-360 li', { hasText: 'Prefers a call on Tuesdays (e2e)' }).waitFor();
    await pane.locator('.rt-list li', { hasText: 'Prefers a call on Tuesdays (e2e)' }).waitFor();

    // "Log call" logs a call about this contact; it lands on the timeline.
    await pane.getByRole('button', { name: 'Log call' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Subject').fill('Check-in call (e2e)');
    await dialog.getByRole('button', { name: 'Log call' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await pane.locator('.rt-list li', { hasText: 'Check-in call (e2e)' }).waitFor();
    await page.screenshot({ path: artifactPath('contacts-360-logged.png') });

    // Rare actions sit behind "More", which Escape closes; the data bundle downloads as a JSON file about this contact.
    const more = pane.getByRole('button', { name: 'More' });
    const bundleButton = pane.getByRole('button', { name: 'Download data bundle' });
    await more.click();
    await bundleButton.waitFor();
    await page.keyboard.press('Escape');
    await bundleButton.waitFor({ state: 'hidden' });
    expect(await more.getAttribute('aria-expanded')).toBe('false');
    expect(await more.evaluate((el) => el === document.activeElement)).toBe(true);
    await more.click();
    const [download] = await Promise.all([page.waitForEvent('download'), bundleButton.click()]);
    const bundle = JSON.parse(readFileSync(await download.path(), 'utf8')) as { subject?: unknown };
    expect(bundle.subject).toMatchObject({ kind: 'contact', id: contact?.id });

    // On a 1024 px screen the list beside the record keeps only the columns that fit whole.
    const headers = page.getByRole('grid', { name: 'Contacts' }).locator('thead th');
    const wide = await headers.count();
    await page.setViewportSize({ width: 1024, height: 800 });
    await expect.poll(() => headers.count(), SLOW).toBeLessThan(wide);
    await page.screenshot({ path: artifactPath('contacts-360-1024.png') });
    await page.setViewportSize({ width: 1500, height: 950 });

    // The company reference opens the company's 360.
    await pane.locator('.summary-360 a.record-link').first().click();
    await page.waitForURL(/#\/companies\/co_/);
    await page.getByRole('complementary', { name: 'Company' }).locator('.company-hierarchy').waitFor();
    expect(errors).toEqual([]);
  }, 300_000);

  it('opens a company’s 360 and follows its hierarchy both ways', async () => {
    const { page, errors } = await openApp();
    await page.goto(`${renderer.url}#/companies`);
    await page.getByRole('grid', { name: 'Companies' }).locator('tbody tr').first().waitFor();
    await page.getByLabel('Filter by type').selectOption('customer');
    const customers = all('company').filter((c) => c.type === 'customer').length;
    await expect
      .poll(async () => (await page.locator('.entity-list .count').textContent())?.replace(/\D/g, ''), SLOW)
      .toBe(String(customers));
    await page.screenshot({ path: artifactPath('companies-list.png') });
    await page.getByLabel('Filter by type').selectOption('');

    await page.goto(`${renderer.url}#/companies/${company?.id}`);
    const pane = page.getByRole('complementary', { name: 'Company' });
    await pane.getByRole('heading', { name: String(company?.name), level: 2 }).waitFor();
    const people = pane.locator('.company-contacts tbody tr');
    await expect.poll(() => people.count(), SLOW).toBe(Math.min(50, contactsAt.get(String(company?.id)) ?? 0));
    const deals = pane.locator('.related-deals tbody tr');
    await expect.poll(() => deals.count(), SLOW).toBe(dealsAt.get(String(company?.id)));
    await pane.locator('.totals-360 dd').first().waitFor();
    const brief = all('companyResearch')
      .filter((r) => r.companyId === company?.id)
      .sort((a, b) => String(b.researchedAt).localeCompare(String(a.researchedAt)))[0];
    await pane.getByRole('article', { name: 'Latest research brief' }).getByText(String(brief?.title)).waitFor();
    await pane.locator('.record-timeline').waitFor();
    await page.screenshot({ path: artifactPath('companies-360.png') });
    await pane.locator('.company-research').scrollIntoViewIfNeeded();
    await page.screenshot({ path: artifactPath('companies-360-research.png') });

    // Up: the parent link in the hierarchy opens the parent, which lists this company among its subsidiaries.
    const hierarchy = pane.getByRole('list', { name: 'Company hierarchy' });
    await hierarchy.getByRole('link', { name: String(parent?.name) }).click();
    await page.waitForURL(new RegExp(`#/companies/${parent?.id}$`));
    await pane.getByRole('heading', { name: String(parent?.name), level: 2 }).waitFor();
    const siblings = all('company').filter((c) => c.parentCompanyId === parent?.id);
    await expect.poll(() => hierarchy.locator('li.hierarchy-child').count(), SLOW).toBe(siblings.length);
    await page.screenshot({ path: artifactPath('companies-hierarchy.png') });

    // Down again, and a person at the company opens their contact 360.
    await hierarchy.getByRole('link', { name: String(company?.name) }).click();
    await page.waitForURL(new RegExp(`#/companies/${company?.id}$`));
    await pane.getByRole('heading', { name: String(company?.name), level: 2 }).waitFor();
    await people.first().getByRole('link').click();
    await page.waitForURL(/#\/contacts\/ct_/);
    await page.getByRole('complementary', { name: 'Contact' }).locator('.record-timeline').waitFor();
    expect(errors).toEqual([]);
  }, 300_000);

  it('exports contacts with their whole name and email, as the list shows them', async () => {
    const { page, errors } = await openApp();
    await page.getByLabel('Filter by status').selectOption('inactive');
    const inactive = all('contact').filter((c) => c.status === 'inactive');
    await expect
      .poll(async () => (await page.locator('.entity-list .count').textContent())?.replace(/\D/g, ''), SLOW)
      .toBe(String(inactive.length));
    // With a contact open too (the list then shows fewer columns): the file is the same.
    await page.goto(`${renderer.url}#/contacts/${inactive[0]?.id}`);
    await page.getByRole('complementary', { name: 'Contact' }).getByRole('heading', { level: 2 }).waitFor();
    await page.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export contacts' });
    await dialog.getByRole('radio', { name: /^CSV/ }).check();
    const download = page.waitForEvent('download', { timeout: 60_000 });
    await dialog.getByRole('button', { name: 'Export CSV' }).click();
    const csv = readFileSync(await (await download).path(), 'utf8').replace(/^\uFEFF/, '');
    const [header = '', ...lines] = csv.trim().split(/\r?\n/);
    expect(header.split(',').slice(0, 4)).toEqual(['First name', 'Last name', 'Email', 'Company']);
    expect(header).toContain('Lifecycle stage');
    expect(lines).toHaveLength(inactive.length);
    for (const c of inactive.filter((c) => !String(c.firstName).includes(',')).slice(0, 5)) {
      expect(lines).toContainEqual(expect.stringContaining(`${c.firstName},${c.lastName},${c.email ?? ''},`));
    }
    expect(errors).toEqual([]);
  }, 300_000);

  it('exports companies with their domain and every list column, a company open or not', async () => {
    const { page, errors } = await openApp();
    await page.goto(`${renderer.url}#/companies/${company?.id}`);
    await page.getByRole('complementary', { name: 'Company' }).getByRole('heading', { level: 2 }).waitFor();
    await page.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export companies' });
    await dialog.getByRole('radio', { name: /^CSV/ }).check();
    const download = page.waitForEvent('download', { timeout: 60_000 });
    await dialog.getByRole('button', { name: 'Export CSV' }).click();
    const csv = readFileSync(await (await download).path(), 'utf8').replace(/^\uFEFF/, '');
    const [header = '', ...lines] = csv.trim().split(/\r?\n/);
    expect(header.split(',').slice(0, 8)).toEqual([
      'Name',
      'Domain',
      'Type',
      'Industry',
      'Status',
      'City',
      'Country',
      'Employees',
    ]);
    expect(lines).toHaveLength(all('company').length);
    const plain = all('company').find((c) => !/[,"]/.test(`${c.name}${c.industry}${c.city}${c.country}`));
    expect(lines).toContainEqual(expect.stringContaining(`${plain?.name},${plain?.domain ?? ''},`));
    expect(errors).toEqual([]);
  }, 300_000);
});
