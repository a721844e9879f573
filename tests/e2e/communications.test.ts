import { readFile } from 'node:fs/promises';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { httpTransport } from '../../src-renderer/db/sync-transport';
import type { WireDoc } from '../../src-shared/sync/protocol';
import { authRoutes } from '../../sync-server/src/auth/auth.routes';
import { bootstrapAdmin } from '../../sync-server/src/auth/bootstrap-admin';
import { jwtAuthenticate } from '../../sync-server/src/auth/jwt-authenticate';
import { artifactPath, type Renderer } from '../support/browser';
import { openDemoContext, openE2e } from '../support/e2e';
import { newDevice, PASSWORD, signInThroughUi, until } from '../support/e2e-team';
import { openTestDb } from '../support/local-db';
import { startTestServer } from '../support/sync-server';

let browser: Browser;
let renderer: Renderer;

beforeAll(async () => {
  ({ browser, renderer } = await openE2e());
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await renderer?.close();
});

/** A 2×2 PNG (red, green / blue, white), small enough to inline; decodes in Chromium for the preview. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==',
  'base64',
);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

/** Drops files made in the page onto an element, as dragging them from the desktop does. */
async function dropFiles(target: Locator, files: { name: string; type: string; text?: string; size?: number }[]) {
  await target.evaluate((element, specs) => {
    const data = new DataTransfer();
    for (const spec of specs) {
      const content = spec.text ?? new Uint8Array(spec.size ?? 0);
      data.items.add(new File([content], spec.name, { type: spec.type }));
    }
    for (const type of ['dragover', 'drop']) {
      element.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
    }
  }, files);
}

async function openCommunications(page: Page) {
  await page.goto(`${renderer.url}#/communications`);
  const grid = page.getByRole('grid', { name: 'Communications' });
  await grid.locator('tbody tr').first().waitFor({ timeout: 120_000 });
  return grid;
}

describe('communications in Chromium (demo data, real IndexedDB)', () => {
  it('logs a call with attachments offline; it is in the list and detail, and survives a reload', async () => {
    const { context, page } = await openDemoContext(browser, { viewport: { width: 1440, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const grid = await openCommunications(page);
    const count = async () =>
      Number(((await page.locator('.comm-list .count').textContent()) ?? '').replace(/\D/g, ''));
    // The total is counted apart from the first page of rows: wait for it rather than read it once.
    await expect.poll(count, { timeout: 30_000 }).toBeGreaterThan(100);
    const before = await count();
    await page.screenshot({ path: artifactPath('communications-list.png') });

    // Filters: calls only.
    await page.getByLabel('Filter by type').selectOption('call');
    await expect.poll(count, { timeout: 30_000 }).toBeLessThan(before);
    await page.getByLabel('Filter by type').selectOption('');

    await context.setOffline(true);
    await page.getByRole('button', { name: 'Log communication' }).click();
    const dialog = page.getByRole('dialog', { name: 'Log communication' });
    await dialog.waitFor();

    // Saving without a record names the field; nothing is written.
    await dialog.getByRole('button', { name: 'Log call' }).click();
    await dialog.getByText('Record is required: choose the record this is about').waitFor();

    const recordSelect = dialog.locator('.comm-about-pick select').nth(1);
    await expect.poll(() => recordSelect.locator('option').count(), { timeout: 30_000 }).toBeGreaterThan(5);
    const contactId = await recordSelect.locator('option').nth(1).getAttribute('value');
    await recordSelect.selectOption(contactId ?? '');
    await dialog.getByLabel('Subject').fill('Pricing call: volume discount');
    await dialog.getByLabel('Duration (min)').fill('18');
    await dialog.getByLabel('Outcome').fill('Send revised proposal by Friday');
    await dialog.getByLabel('Body').fill('Discussed the 200-seat tier. Procurement needs the security questionnaire.');
    await dialog
      .locator('input[type=file]')
      .setInputFiles([{ name: 'whiteboard.png', mimeType: 'image/png', buffer: PNG }]);
    await dropFiles(dialog.locator('form'), [
      { name: 'proposal-v2.pdf', type: 'application/pdf', text: PDF.toString() },
    ]);
    await dialog.getByRole('list', { name: 'Files to attach' }).getByText('proposal-v2.pdf').waitFor();
    await page.screenshot({ path: artifactPath('communications-log-dialog.png') });

    await dialog.getByRole('button', { name: 'Log call' }).click();
    await page.getByText('Call logged with 2 files.').waitFor();
    await expect.poll(count, { timeout: 30_000 }).toBe(before + 1);

    // Newest first: the new call heads the list and its detail is open.
    await expect
      .poll(() => grid.locator('tbody tr').first().textContent(), { timeout: 30_000 })
      .toContain('Pricing call: volume discount');
    const detail = page.getByRole('complementary', { name: 'Record' });
    await detail.getByRole('heading', { name: /Pricing call: volume discount/ }).waitFor();
    const attachments = detail.getByRole('region', { name: 'Attachments' });
    await attachments.getByText('whiteboard.png').waitFor();
    await attachments.getByText('proposal-v2.pdf').waitFor();
    await attachments.getByRole('img', { name: 'Preview of whiteboard.png' }).waitFor();
    expect(await attachments.getByText('On this device').count()).toBe(2);
    await page.screenshot({ path: artifactPath('communications-detail.png') });

    // Saving an attachment hands the browser the original bytes.
    const download = page.waitForEvent('download');
    await attachments.locator('li', { hasText: 'proposal-v2.pdf' }).getByRole('button', { name: 'Save' }).click();
    const saved = await download;
    expect(saved.suggestedFilename()).toBe('proposal-v2.pdf');

    // A reload keeps the record and the bytes (IndexedDB). The dev server serves the page, so online again.
    await context.setOffline(false);
    await page.reload();
    await detail.getByRole('region', { name: 'Attachments' }).getByText('whiteboard.png').waitFor({ timeout: 60_000 });
    await detail.getByRole('img', { name: 'Preview of whiteboard.png' }).waitFor();
    expect(errors).toEqual([]);
  }, 420_000);

  it('refuses a file over 25 MB by name and an invalid date by field', async () => {
    const { page } = await openDemoContext(browser, { viewport: { width: 1280, height: 860 } });
    await openCommunications(page);
    await page.keyboard.press('Alt+l');
    const dialog = page.getByRole('dialog', { name: 'Log communication' });
    await dialog.waitFor();
    // Dropped onto the dialog; made in the page (25 MB through the automation channel is slow under load).
    await dropFiles(dialog.locator('form'), [
      { name: 'site-video.mov', type: 'video/quicktime', size: 25 * 1024 * 1024 + 1 },
    ]);
    await dialog.getByText('"site-video.mov" is 26,214,401 bytes: a file can be at most 25 MB').waitFor();
    expect(await dialog.getByRole('list', { name: 'Files to attach' }).count()).toBe(0);
    await dialog.getByLabel('When').fill('');
    await dialog.getByRole('button', { name: 'Log call' }).click();
    await dialog.getByText('When is required').waitFor();
    await page.screenshot({ path: artifactPath('communications-errors.png') });
  }, 420_000);

  it('keeps a call typed and closed with Escape before it is logged, until it is logged', async () => {
    const { page } = await openDemoContext(browser, { viewport: { width: 1280, height: 860 } });
    await openCommunications(page);
    await page.keyboard.press('Alt+l');
    const dialog = page.getByRole('dialog', { name: 'Log communication' });
    await dialog.waitFor();
    const notes = 'Budget confirmed for Q1; send the revised quote by Friday';
    await dialog.getByLabel('Body').fill(notes);
    // One Escape too many used to throw the call's notes away.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await page.keyboard.press('Alt+l');
    await expect.poll(() => dialog.getByLabel('Body').inputValue()).toBe(notes);
    await dialog.locator('select').nth(1).selectOption({ index: 1 });
    await dialog.getByRole('button', { name: 'Log call' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.keyboard.press('Alt+l');
    await dialog.waitFor();
    expect(await dialog.getByLabel('Body').inputValue()).toBe('');
  }, 420_000);
});

const SECRET = 'an e2e test secret for attachments, long enough for HS256: 0123456789';
const ADMIN = { email: 'manager@example.com', password: PASSWORD };

/** A device of the organisation: no demo data to seed first (start-page.test.ts covers seeding). */
async function signedInDevice(serverUrl: string) {
  const device = await newDevice(browser);
  onTestFinished(() => device.context.close());
  await signInThroughUi(device.page, `${renderer.url}#/communications`, serverUrl, ADMIN.email);
  return device;
}

describe('attachments across devices (real server, Postgres)', () => {
  it('logs a call with an attachment offline; once online, another device of the organisation opens the file', async () => {
    const port = new URL(renderer.url).port;
    let adminId = '';
    const server = await startTestServer('crm_e2e_files', {
      authenticate: jwtAuthenticate(SECRET),
      corsOrigins: [`http://127.0.0.1:${port}`, `http://localhost:${port}`],
      async beforeListen(app, db) {
        let n = 0;
        const boot = await bootstrapAdmin(db, ADMIN, { now: () => new Date(), newId: () => `e2e_files_${++n}` });
        adminId = boot.userId;
        authRoutes(app, { db, secret: SECRET });
      },
    });
    onTestFinished(() => server.close());

    // The customer, already on the server.
    const login = await fetch(`${server.url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const other = httpTransport({ baseUrl: server.url, headers: () => ({ authorization: `Bearer ${accessToken}` }) });
    const t = await openTestDb({
      collections: ['contacts', 'audit'],
      actor: () => ({ userId: adminId, deviceId: 'seed' }),
    });
    const grace = await t.repos.contact.create({ firstName: 'Grace', lastName: 'Hopper' });
    await t.close();
    expect(
      await other.push('contacts', {
        rows: [{ newDocumentState: { ...(grace as unknown as WireDoc), _deleted: false } }],
      }),
    ).toEqual({ conflicts: [], rejected: [] });

    // Device 1: signs in, goes offline, logs the call with the file.
    const { context: rep, page } = await signedInDevice(server.url);
    await page.evaluate(() => {
      location.hash = '#/communications';
    });
    await page.getByRole('button', { name: 'Log communication' }).waitFor();
    await rep.setOffline(true);
    await page.getByRole('button', { name: 'Log communication' }).click();
    const dialog = page.getByRole('dialog', { name: 'Log communication' });
    const record = dialog.locator('.comm-about-pick select').nth(1);
    await expect.poll(() => record.locator('option').count(), { timeout: 30_000 }).toBe(2);
    await record.selectOption(grace.id);
    await dialog.getByLabel('Subject').fill('Kick-off call');
    await dialog.locator('input[type=file]').setInputFiles([
      { name: 'whiteboard.png', mimeType: 'image/png', buffer: PNG },
      { name: 'proposal.pdf', mimeType: 'application/pdf', buffer: PDF },
    ]);
    await dialog.getByRole('button', { name: 'Log call' }).click();
    await page.getByText('Call logged with 2 files.').waitFor();
    const detail = page.getByRole('complementary', { name: 'Record' });
    const attachments = detail.getByRole('region', { name: 'Attachments' });
    await expect.poll(() => attachments.getByText('Waiting to upload').count(), { timeout: 30_000 }).toBe(2);
    const communicationId = decodeURIComponent(new URL(page.url()).hash.split('/')[2] ?? '');
    expect(communicationId).not.toBe('');
    await page.screenshot({ path: artifactPath('communications-offline-waiting.png') });
    const blobs = async () =>
      (await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM file_blobs')).rows[0]?.n ?? 0;
    expect(await blobs()).toBe(0);

    // Online again: the record syncs and the bytes upload.
    await rep.setOffline(false);
    await until(async () => (await blobs()) === 2);
    await expect.poll(() => attachments.getByText('Waiting to upload').count(), { timeout: 30_000 }).toBe(0);
    expect(await attachments.getByText('On this device').count()).toBe(2);
    await until(
      async () =>
        (
          await server.db.query('SELECT 1 FROM communication_attachments WHERE communication_id = $1', [
            communicationId,
          ])
        ).rows.length === 2,
    );

    // Device 2: the manager signs in elsewhere, opens the call and the file it does not have yet.
    const { page: second } = await signedInDevice(server.url);
    await second.evaluate((id) => {
      location.hash = `#/communications/${id}`;
    }, communicationId);
    const theirs = second.getByRole('complementary', { name: 'Record' }).getByRole('region', { name: 'Attachments' });
    const pdf = theirs.locator('li', { hasText: 'proposal.pdf' });
    await pdf.getByText('On the server').waitFor({ timeout: 60_000 });
    const download = second.waitForEvent('download');
    await pdf.getByRole('button', { name: 'Download' }).click();
    const saved = await download;
    expect(saved.suggestedFilename()).toBe('proposal.pdf');
    expect((await readFile((await saved.path()) ?? '')).equals(PDF)).toBe(true);
    await pdf.getByText('On this device').waitFor();
    const png = theirs.locator('li', { hasText: 'whiteboard.png' });
    const image = second.waitForEvent('download');
    await png.getByRole('button', { name: 'Download' }).click();
    await image;
    await png.getByRole('img', { name: 'Preview of whiteboard.png' }).waitFor();
    await second.screenshot({ path: artifactPath('communications-other-device.png') });
  }, 480_000);
});
