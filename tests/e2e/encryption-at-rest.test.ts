import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactPath, type Renderer } from '../support/browser';
import { openE2e } from '../support/e2e';

/**
 * Issue 7: personal data written in the app is not in plain text in Chromium's IndexedDB files.
 * Chromium runs with a profile of our own (launchPersistentContext) so the test can read the
 * LevelDB files (.log, .ldb) under <profile>/Default/IndexedDB after the browser has closed.
 */
let renderer: Renderer;
let profile: string;
let context: BrowserContext | undefined;

beforeAll(async () => {
  const opened = await openE2e();
  // Only the renderer is wanted: the file's browser must be one whose profile is on a known path.
  await opened.browser.close();
  renderer = opened.renderer;
  profile = mkdtempSync(join(tmpdir(), 'fieldcrm-e2e-profile-'));
}, 120_000);
afterAll(async () => {
  await context?.close();
  await renderer?.close();
  if (profile) rmSync(profile, { recursive: true, force: true, maxRetries: 5 });
});

const RUN = Date.now().toString(36);
const PII = {
  firstName: `Piifirst${RUN}`,
  lastName: `Piilast${RUN}`,
  email: `pii-marker-${RUN}@example.com`,
  phone: `+44 20 7946 ${RUN.slice(-4).replace(/\D/g, '7').padStart(4, '7')}`,
};
const CONTROL = `control-marker-${RUN}`;
/** A custom field's value: sealed with the personal fields (field-encryption-storage.ts). */
const CUSTOM = `custom-marker-${RUN}`;

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push(path);
  }
  return out;
}

/** Where a marker appears in the files: as Latin-1/UTF-8 bytes (V8's one-byte strings) or UTF-16LE. */
function occurrences(files: string[], marker: string): string[] {
  const forms = [Buffer.from(marker, 'latin1'), Buffer.from(marker, 'utf16le')];
  return files.filter((file) => {
    const bytes = readFileSync(file);
    return forms.some((form) => bytes.includes(form));
  });
}

describe('encryption at rest in Chromium', () => {
  it('writes a contact whose personal fields and custom field value are nowhere in plain text on disk, its job title is', async () => {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
      viewport: { width: 1400, height: 900 },
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // The demo seed is not this test's subject (and minutes on a loaded machine).
    await page.addInitScript(() => localStorage.setItem('fieldcrm.demoSeeded', 'small'));
    // A contact custom field, so the contact below has a value in it.
    await page.goto(`${renderer.url}#/settings?tab=fields`, { timeout: 120_000 });
    await page.getByRole('button', { name: 'New custom field' }).click({ timeout: 120_000 });
    const fieldDialog = page.getByRole('dialog', { name: 'New custom field' });
    await fieldDialog.getByLabel(/^Label/).fill('Marker field');
    await fieldDialog.getByLabel(/^Key/).fill('markerField');
    await fieldDialog.getByRole('button', { name: 'Create custom field' }).click();
    await page.getByRole('article', { name: 'Custom field Marker field' }).waitFor();

    await page.goto(`${renderer.url}#/contacts`, { timeout: 120_000 });
    await page.getByRole('button', { name: /^New contact/ }).click({ timeout: 120_000 });
    const form = page.getByRole('dialog', { name: 'New contact' });
    await form.getByLabel('First name').fill(PII.firstName);
    await form.getByLabel('Last name').fill(PII.lastName);
    await form.getByLabel('Email', { exact: true }).fill(PII.email);
    await form.getByLabel('Phone', { exact: true }).fill(PII.phone);
    await form.getByLabel('Job title').fill(CONTROL);
    await form.getByLabel('Marker field').fill(CUSTOM);
    await form.getByRole('button', { name: /^Create/ }).click();
    await form.waitFor({ state: 'hidden' });

    // The list and search read the records decrypted.
    const contacts = page.getByRole('grid', { name: 'Contacts' });
    await contacts.getByRole('row', { name: new RegExp(`${PII.firstName} ${PII.lastName}`) }).waitFor();
    await page.keyboard.press('Control+k');
    const palette = page.getByRole('dialog', { name: 'Search' });
    await palette.getByRole('combobox').pressSequentially(PII.lastName, { delay: 20 });
    await palette.getByRole('option').filter({ hasText: PII.lastName }).first().waitFor();
    await page.screenshot({ path: artifactPath('encryption-at-rest-search.png') });
    await page.keyboard.press('Escape');
    expect(errors).toEqual([]);
    await page.close();
    await context.close();
    context = undefined;

    const files = filesUnder(join(profile, 'Default', 'IndexedDB')).filter((f) => /\.(log|ldb|sst)$/.test(f));
    expect(files.length, 'IndexedDB LevelDB files').toBeGreaterThan(0);
    // The control proves the scan reads the records: a field that is not personal data is there.
    expect(occurrences(files, CONTROL).length, `${CONTROL} in ${files.join(', ')}`).toBeGreaterThan(0);
    for (const [field, marker] of Object.entries({ ...PII, customField: CUSTOM })) {
      expect(occurrences(files, marker), `${field} (${marker}) in plain text`).toEqual([]);
    }
  }, 300_000);
});
