import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { authRoutes } from '../../sync-server/src/auth/auth.routes';
import { bootstrapAdmin } from '../../sync-server/src/auth/bootstrap-admin';
import { jwtAuthenticate } from '../../sync-server/src/auth/jwt-authenticate';
import { artifactPath, type Renderer } from '../support/browser';
import { openDemoContext, openE2e } from '../support/e2e';
import { newDevice } from '../support/e2e-team';
import { startTestServer, type TestServer } from '../support/sync-server';

let browser: Browser;
let renderer: Renderer;

beforeAll(async () => {
  ({ browser, renderer } = await openE2e());
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await renderer?.close();
});

async function openSettings(page: Page, tab: string, heading: string) {
  await page.goto(`${renderer.url}#/settings?tab=${tab}`);
  await page.getByRole('grid', { name: heading }).locator('tbody tr').first().waitFor({ timeout: 240_000 });
}

describe('settings and audit in Chromium on the demo data (admin)', () => {
  it('adds a contact custom field, edits a role cell, and reads the audit trail and log', async () => {
    const { page } = await openDemoContext(browser, { viewport: { width: 1440, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    // Custom fields: a bad key is refused at the field, a good one is created.
    await openSettings(page, 'fields', 'Custom fields');
    await page.getByRole('button', { name: 'New custom field' }).click();
    const dialog = page.getByRole('dialog', { name: 'New custom field' });
    // The key follows the label until it is typed in.
    await dialog.getByLabel(/^Label/).fill('Favourite sport');
    expect(await dialog.getByLabel(/^Key/).inputValue()).toBe('favouriteSport');
    await dialog.getByLabel(/^Key/).fill('Favourite sport');
    await dialog.getByLabel(/^Label/).fill('Favourite sports');
    expect(await dialog.getByLabel(/^Key/).inputValue()).toBe('Favourite sport');
    await dialog.getByLabel(/^Label/).fill('Favourite sport');
    await dialog.getByRole('button', { name: 'Create custom field' }).click();
    await expect
      .poll(() => dialog.locator('.field-problem').allTextContents())
      .toEqual(['Key must start with a lower-case letter and contain only letters, digits and _']);
    await page.screenshot({ path: artifactPath('settings-custom-field-error.png') });
    await dialog.getByLabel(/^Key/).fill('preferredChannel');
    await dialog.getByRole('button', { name: 'Create custom field' }).click();
    await expect.poll(() => dialog.locator('.field-problem').textContent()).toContain('is already used by the field');
    await dialog.getByLabel(/^Key/).fill('favouriteSport');
    await dialog.getByRole('button', { name: 'Create custom field' }).click();
    const fieldPane = page.getByRole('article', { name: 'Custom field Favourite sport' });
    await fieldPane.waitFor();
    await page.screenshot({ path: artifactPath('settings-custom-fields.png') });

    // The new field is in the contact list and the New contact form at once.
    await page.goto(`${renderer.url}#/contacts`);
    const contacts = page.getByRole('grid', { name: 'Contacts' });
    await contacts.locator('tbody tr').first().waitFor();
    await contacts.getByRole('columnheader', { name: 'Favourite sport' }).waitFor();
    await page.getByRole('button', { name: /^New contact/ }).click();
    const form = page.getByRole('dialog', { name: 'New contact' });
    await form.getByLabel('First name').fill('Serena');
    await form.getByLabel('Last name').fill('Volley');
    await form.getByLabel('Favourite sport').fill('Tennis');
    await page.screenshot({ path: artifactPath('settings-contact-form.png') });
    await form.getByRole('button', { name: /^Create/ }).click();
    await form.waitFor({ state: 'hidden' });
    // The full-width list (no record open) has a column per custom field.
    await page.goto(`${renderer.url}#/contacts`);
    await contacts.getByRole('gridcell', { name: 'Tennis' }).first().waitFor();
    await page.screenshot({ path: artifactPath('settings-contact-list.png') });
    // The contact's own History (the detail pane every record screen shares).
    await contacts
      .getByRole('row', { name: /Serena Volley/ })
      .first()
      .click();
    const contact = page.getByRole('article', { name: 'Contact Serena Volley' });
    await contact.getByRole('button', { name: 'History' }).click();
    const contactHistory = contact.getByRole('list', { name: 'History' });
    await contactHistory.locator('summary').first().click();
    expect(await contactHistory.locator('summary .badge').allTextContents()).toEqual(['Created']);
    await contactHistory.getByRole('row', { name: /Favourite sport\s*Tennis/ }).waitFor();
    await contact.getByRole('button', { name: 'History' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: artifactPath('audit-contact.png') });
    // A demo contact came in a bulk write: its trail finds its creation in that entry, narrowed to it.
    await contacts.getByRole('row').filter({ hasNotText: 'Serena' }).nth(1).click();
    const seeded = page.locator('.detail-pane article').first();
    await seeded.getByRole('button', { name: 'History' }).click();
    await seeded.getByRole('list', { name: 'History' }).getByText('Bulk write').first().waitFor();
    expect(await seeded.getByText('Its creation is not in the trail').count()).toBe(0);

    // Roles: built-in ones are read-only; a copy is edited cell by cell.
    await openSettings(page, 'roles', 'Roles');
    await page
      .getByRole('grid', { name: 'Roles' })
      .getByRole('row', { name: /Sales rep/ })
      .click();
    const builtIn = page.getByRole('article', { name: 'Role Sales rep' });
    await builtIn.getByText('Built-in · read-only').waitFor();
    expect(await builtIn.getByRole('combobox').count()).toBe(0);
    await builtIn.getByRole('button', { name: 'Duplicate' }).click();
    const copy = page.getByRole('dialog', { name: 'Duplicate role' });
    await copy.getByLabel('Name of the new role').fill('Field rep');
    await copy.getByRole('button', { name: 'Duplicate' }).click();
    const custom = page.getByRole('article', { name: 'Role Field rep' });
    await custom.waitFor();
    const cell = custom.getByRole('combobox', { name: 'Contacts: delete' });
    expect(await cell.inputValue()).toBe('own');
    await cell.selectOption('all');
    await expect.poll(() => cell.inputValue()).toBe('all');
    await page.getByText('Contacts: delete set to all.').waitFor();
    await page.screenshot({ path: artifactPath('settings-roles.png') });

    // The record's own trail: relabel the custom field, open its History.
    await openSettings(page, 'fields', 'Custom fields');
    await page
      .getByRole('grid', { name: 'Custom fields' })
      .getByRole('row', { name: /Favourite sport/ })
      .click();
    await fieldPane.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit custom field' });
    await edit.getByLabel(/^Label/).fill('Favourite sports');
    await edit.getByRole('button', { name: 'Save' }).click();
    const relabelled = page.getByRole('article', { name: 'Custom field Favourite sports' });
    await relabelled.getByRole('button', { name: 'History' }).click();
    const history = relabelled.getByRole('list', { name: 'History' });
    await expect.poll(() => history.locator(':scope > li').count()).toBe(2);
    await history.locator('summary').first().click();
    const diff = history.locator('.audit-diff').first();
    expect(await diff.locator('tbody tr').first().textContent()).toBe('LabelFavourite sport→Favourite sports');
    await page.screenshot({ path: artifactPath('audit-record.png') });

    // The global log, filtered to role updates: the cell's change, leaf by leaf.
    await page.goto(`${renderer.url}#/audit`);
    const entries = page.getByRole('list', { name: 'Audit entries' });
    await entries.locator(':scope > li').first().waitFor({ timeout: 60_000 });
    await page.screenshot({ path: artifactPath('audit-global.png') });
    await page.getByLabel('Entity').selectOption('userRole');
    await page.getByLabel('Action').selectOption('update');
    await expect.poll(() => entries.locator(':scope > li').count()).toBe(1);
    await entries.locator('summary').first().click();
    const roleDiff = entries.locator('.audit-diff tbody tr').first();
    expect(await roleDiff.textContent()).toBe('Permissions › Contacts › deleteown→all');
    await page.screenshot({ path: artifactPath('audit-filtered.png') });

    // A date range on the index: today keeps the entry; To before From is refused.
    const today = await page.evaluate(() => {
      const d = new Date();
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    });
    await page.getByLabel('From').fill(today);
    await expect.poll(() => entries.locator(':scope > li').count()).toBe(1);
    await page.getByLabel('To').fill('2000-01-01');
    await page.getByRole('alert').filter({ hasText: 'To must be on or after the From date' }).waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => entries.locator(':scope > li').count()).toBeGreaterThan(1);

    // An entry opens its record.
    await page.getByLabel('Entity').selectOption('userRole');
    await page.getByLabel('Action').selectOption('update');
    await expect.poll(() => entries.locator(':scope > li').count()).toBe(1);
    await entries.locator('summary').first().click();
    await entries.getByRole('button', { name: 'Open record' }).click();
    await page.getByRole('article', { name: 'Role Field rep' }).waitFor();

    // Integrations: credentials are refused in settings and masked in an endpoint.
    await openSettings(page, 'integrations', 'Integrations');
    await page.getByRole('button', { name: 'New integration' }).click();
    const hook = page.getByRole('dialog', { name: 'New integration' });
    await hook.getByLabel(/^Name/).fill('Billing hook');
    await hook.getByLabel(/^Provider/).selectOption('webhook');
    await hook.getByLabel(/^Endpoint URL/).fill('https://hooks.example/in?token=abcdefghijklmnop');
    await hook.getByLabel(/^Settings/).fill('{"retries": 2, "apiKey": "sk_live_1234567890"}');
    await hook.getByRole('button', { name: 'Create integration' }).click();
    await hook.getByRole('alert').filter({ hasText: 'config.apiKey looks like a secret' }).waitFor();
    await hook.getByLabel(/^Settings/).fill('{"retries": 2}');
    await hook.getByRole('button', { name: 'Create integration' }).click();
    const integration = page.getByRole('article', { name: 'Integration Billing hook' });
    await integration.getByText('token=••••••••mnop').waitFor();
    expect(await page.content()).not.toContain('abcdefghijklmnop');
    await page.screenshot({ path: artifactPath('settings-integrations.png') });

    // Every other area opens with its first record.
    for (const [tab, heading] of [
      ['users', 'Users'],
      ['groups', 'Groups'],
      ['products', 'Products'],
      ['currencies', 'Currencies'],
      ['rates', 'Exchange rates'],
      ['workflows', 'Workflows'],
    ] as const) {
      await openSettings(page, tab, heading);
      await page.getByRole('grid', { name: heading }).locator('tbody tr').first().click();
      await page.locator('.detail-pane article').waitFor();
      await page.screenshot({ path: artifactPath(`settings-${tab}.png`) });
    }
    expect(errors).toEqual([]);
  }, 480_000);
});

const SECRET = 'a settings e2e secret, long enough for HS256 keys: 0123456789';
const REP = { email: 'rep@example.com', password: 'correct horse battery staple' };

describe('settings for a signed-in rep (real server, Postgres)', () => {
  let server: TestServer;
  beforeAll(async () => {
    const port = new URL(renderer.url).port;
    server = await startTestServer('crm_e2e_settings', {
      authenticate: jwtAuthenticate(SECRET),
      corsOrigins: [`http://127.0.0.1:${port}`, `http://localhost:${port}`],
      async beforeListen(app, db) {
        let n = 0;
        const boot = await bootstrapAdmin(db, REP, { now: () => new Date(), newId: () => `e2e_${++n}` });
        // The bootstrapped user becomes a rep: the built-in roles exist, and signing in is all this needs.
        await db.query(`UPDATE users SET role_id = 'role_rep', first_name = 'Riley', last_name = 'Rep' WHERE id = $1`, [
          boot.userId,
        ]);
        authRoutes(app, { db, secret: SECRET });
      },
    });
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });

  it('shows every settings area read-only: no New, no Edit, a matrix of plain cells', async () => {
    // A new device that signs in: no demo data to seed first (start-page.test.ts covers seeding).
    const { context, page, errors } = await newDevice(browser);
    onTestFinished(() => context.close());
    await page.goto(`${renderer.url}#/settings?tab=roles`);
    await page.getByRole('button', { name: 'Sign in' }).click({ timeout: 180_000 });
    const dialog = page.getByRole('dialog', { name: 'Sign in' });
    await dialog.getByLabel('Server address').fill(server.url);
    await dialog.getByLabel('Email').fill(REP.email);
    await dialog.getByLabel('Password').fill(REP.password);
    await dialog.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.sync-indicator.sync-synced').waitFor({ timeout: 120_000 });

    await page.evaluate(() => {
      location.hash = '#/settings?tab=roles';
    });
    await page.getByRole('note').filter({ hasText: 'Read-only' }).waitFor({ timeout: 60_000 });
    const roles = page.getByRole('grid', { name: 'Roles' });
    await roles.getByRole('row', { name: /Sales rep/ }).click();
    const role = page.getByRole('article', { name: 'Role Sales rep' });
    await role.getByRole('table', { name: 'Permissions of Sales rep' }).waitFor();
    expect(await role.getByRole('combobox').count()).toBe(0);
    expect(await role.getByRole('button', { name: /^(Edit|Duplicate|Delete)$/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'New role' }).count()).toBe(0);
    await page.screenshot({ path: artifactPath('settings-rep-read-only.png') });

    for (const tab of ['Users', 'Custom fields', 'Integrations']) {
      await page.getByRole('tab', { name: tab }).click();
      await page.getByRole('note').filter({ hasText: 'Read-only' }).waitFor();
      expect(await page.getByRole('button', { name: /^(New|Invite)/ }).count()).toBe(0);
    }
    expect(errors).toEqual([]);
  }, 480_000);
});
