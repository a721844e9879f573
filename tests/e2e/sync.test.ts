import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpTransport } from '../../src-renderer/db/sync-transport';
import type { PushRejection, PushRequest, PushResponse, WireDoc } from '../../src-shared/sync/protocol';
import { authRoutes } from '../../sync-server/src/auth/auth.routes';
import { bootstrapAdmin } from '../../sync-server/src/auth/bootstrap-admin';
import { jwtAuthenticate } from '../../sync-server/src/auth/jwt-authenticate';
import { artifactPath, type Renderer } from '../support/browser';
import { openE2e } from '../support/e2e';
import { openTestDb } from '../support/local-db';
import { startTestServer, type TestServer } from '../support/sync-server';

/**
 * Sign-in and sync you can see, in Chromium against the real sync server on Postgres: a rep signs
 * in (wrong password and unreachable server first), watches the first sync, works offline with the
 * switch, sees the change wait in the outbox and drain, and settles a same-field conflict with a
 * manager's edit in the conflicts inbox.
 */

const SECRET = 'an e2e test secret, long enough for HS256 keys: 0123456789';
const ADMIN = { email: 'rep@example.com', password: 'correct horse battery staple' };
const SEEDED_CONTACTS = 120;

let browser: Browser;
let renderer: Renderer;
let server: TestServer;
let adminId = '';

beforeAll(async () => {
  ({ browser, renderer } = await openE2e());
  const port = new URL(renderer.url).port;
  server = await startTestServer('crm_e2e_sync', {
    authenticate: jwtAuthenticate(SECRET),
    corsOrigins: [`http://127.0.0.1:${port}`, `http://localhost:${port}`],
    async beforeListen(app, db) {
      let n = 0;
      const boot = await bootstrapAdmin(db, ADMIN, { now: () => new Date(), newId: () => `e2e_${++n}` });
      adminId = boot.userId;
      authRoutes(app, { db, secret: SECRET });
      refuseForbiddenTitles(app);
    },
  });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await renderer?.close();
  await server?.close();
});

/**
 * A rule of this test's server (a stand-in for the organisation's own rules): content titled
 * "Forbidden…" is refused for good with a reason, never stored. The rows are taken out of the
 * push before the server sees them, and their refusals added to its answer.
 */
function refuseForbiddenTitles(app: FastifyInstance): void {
  const refused = new WeakMap<object, PushRejection[]>();
  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST' || !request.url.startsWith('/sync/content/push')) return;
    const body = request.body as PushRequest;
    const bad = body.rows.filter((row) => String(row.newDocumentState.title ?? '').startsWith('Forbidden'));
    if (bad.length === 0) return;
    const rejected = bad.map((row) => ({
      id: row.newDocumentState.id,
      field: 'title',
      reason: 'titles may not start with "Forbidden"',
    }));
    body.rows = body.rows.filter((row) => !bad.includes(row));
    // An empty push is not one the server takes: answer it here.
    if (body.rows.length === 0) return reply.send({ conflicts: [], rejected } satisfies PushResponse);
    refused.set(request, rejected);
  });
  app.addHook('onSend', async (request, _reply, payload) => {
    const extra = refused.get(request);
    if (!extra || typeof payload !== 'string') return payload;
    const answer = JSON.parse(payload) as PushResponse;
    return JSON.stringify({ ...answer, rejected: [...answer.rejected, ...extra] });
  });
}

/** The server as another device of the organisation sees it: signed in as the same user over HTTP. */
async function otherDevice() {
  const login = await fetch(`${server.url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  return httpTransport({ baseUrl: server.url, headers: () => ({ authorization: `Bearer ${accessToken}` }) });
}

/** Records already on the server before the device signs in, so the first sync has something to show. */
async function seedServer(): Promise<void> {
  const t = await openTestDb({
    collections: ['contacts', 'audit'],
    actor: () => ({ userId: adminId, deviceId: 'e2e-seed' }),
  });
  const rows = [];
  for (let i = 0; i < SEEDED_CONTACTS; i++) {
    const c = await t.repos.contact.create({ firstName: `Seeded ${i}`, lastName: 'Contact' });
    rows.push({ newDocumentState: { ...(c as unknown as WireDoc), _deleted: false } });
  }
  await t.close();
  const response = await (await otherDevice()).push('contacts', { rows });
  expect(response).toEqual({ conflicts: [], rejected: [] });
}

async function indicator(page: Page) {
  return page.locator('.sync-indicator');
}

async function setOffline(page: Page, offline: boolean) {
  await page.locator('.sync-indicator').click();
  const toggle = page.getByRole('switch', { name: 'Work offline' });
  if ((await toggle.isChecked()) !== offline) await toggle.click();
  await page.locator(`.sync-indicator.sync-${offline ? 'forced-offline' : 'synced'}`).waitFor({ timeout: 60_000 });
}

async function serverTitle(id: string): Promise<string | undefined> {
  const { rows } = await server.db.query<{ title: string }>('SELECT title FROM content WHERE id = $1', [id]);
  return rows[0]?.title;
}

async function until(ok: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('sign-in and sync in Chromium (real server, Postgres)', () => {
  it('signs in, shows the first sync, works offline with an outbox, and resolves a conflict', async () => {
    await seedServer();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    // Demo mode first (its data set is start-page.test.ts's; not seeded here, which takes minutes
    // on a loaded machine): the indicator says so, and the account menu offers the sign-in.
    await page.addInitScript(() => localStorage.setItem('fieldcrm.demoSeeded', 'small'));
    await page.goto(`${renderer.url}#/sync`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: 120_000 });
    expect(await (await indicator(page)).textContent()).toContain('Demo data · not synced');

    await page.getByRole('button', { name: 'Sign in' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign in' });
    await dialog.getByLabel('Server address').fill('not a url');
    await dialog.getByLabel('Email').fill(ADMIN.email);
    await dialog.getByLabel('Password').fill('wrong password');
    await dialog.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toMatch(/^Server address/);

    await dialog.getByLabel('Server address').fill('http://127.0.0.1:9');
    await dialog.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent(), { timeout: 15_000 }).toMatch(/cannot be reached/);

    await dialog.getByLabel('Server address').fill(server.url);
    await dialog.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toBe('Wrong email or password.');
    expect(await dialog.getByLabel('Password').getAttribute('aria-invalid')).toBe('true');
    await page.screenshot({ path: artifactPath('sync-sign-in-error.png') });

    // Pulls held back so that the first sync's progress can be seen midway: contacts' briefly, the
    // other collections' until the test has seen (and pictured) contacts received. A gate rather
    // than a fixed delay per pull, which cost seconds for every page of every collection.
    let releasePulls = () => {};
    const pullsHeld = new Promise<void>((resolve) => {
      releasePulls = resolve;
    });
    await page.route('**/sync/*/pull', async (route) => {
      if (route.request().url().includes('/sync/contacts/')) await new Promise((resolve) => setTimeout(resolve, 300));
      else await pullsHeld;
      await route.continue().catch(() => undefined); // the page may have reloaded meanwhile
    });
    await dialog.getByLabel('Password').fill(ADMIN.password);
    await dialog.getByRole('button', { name: 'Sign in' }).click();

    const progress = page.getByRole('dialog', { name: 'Setting up this device' });
    await progress.getByText(/[1-9][\d,]* records received/).waitFor({ timeout: 60_000 });
    await page.screenshot({ path: artifactPath('sync-initial-progress.png') });
    releasePulls();
    await progress.waitFor({ state: 'detached', timeout: 60_000 });
    await page.unroute('**/sync/*/pull');
    await page.locator('.sync-indicator.sync-synced').waitFor({ timeout: 60_000 });
    expect(await page.locator('.account-name').textContent()).toContain('Admin');
    await page.getByRole('table', { name: 'Collections' }).locator('[data-collection="contacts"] td').nth(1).waitFor();
    expect(
      await page
        .getByRole('table', { name: 'Collections' })
        .locator('[data-collection="contacts"] td')
        .nth(1)
        .textContent(),
    ).toBe(String(SEEDED_CONTACTS));
    await page.screenshot({ path: artifactPath('sync-screen.png') });

    // Forced offline: a new record waits in the outbox.
    await setOffline(page, true);
    await page.evaluate(() => {
      location.hash = '#/content';
    });
    await page.getByRole('button', { name: 'New content' }).click();
    const create = page.getByRole('dialog', { name: 'New content' });
    await create.locator('input[id$="-title"]').fill('Offline brochure');
    await create.locator('select[id$="-type"]').selectOption('whitepaper');
    await create.getByRole('button', { name: 'Create content' }).click();
    await create.waitFor({ state: 'hidden' });
    await page.getByTestId('sync-pending').waitFor();
    expect(await page.getByTestId('sync-pending').textContent()).toBe('1 pending');
    await page.screenshot({ path: artifactPath('sync-offline-indicator.png') });

    await page.locator('.sync-indicator').click();
    const outbox = page.getByRole('list', { name: 'Outbox' });
    await outbox.getByText('Offline brochure').waitFor();
    const recordId = (await outbox.locator('li').first().getAttribute('data-record-id')) ?? '';
    expect(recordId).not.toBe('');
    expect(await serverTitle(recordId)).toBeUndefined();
    await page.screenshot({ path: artifactPath('sync-outbox.png') });

    // A second record, discarded from the outbox before it was ever sent (confirmed, audited).
    await page.evaluate(() => {
      location.hash = '#/content';
    });
    await page.getByRole('button', { name: 'New content' }).click();
    await create.locator('input[id$="-title"]').fill('Scratch draft');
    await create.locator('select[id$="-type"]').selectOption('other');
    await create.getByRole('button', { name: 'Create content' }).click();
    await create.waitFor({ state: 'hidden' });
    await page.locator('.sync-indicator').click();
    await outbox.getByText('Scratch draft').waitFor();
    await outbox.locator('li', { hasText: 'Scratch draft' }).getByRole('button', { name: 'Discard…' }).click();
    const confirmDiscard = page.getByRole('dialog', { name: 'Discard this change?' });
    await confirmDiscard.getByText('never sent to the server').waitFor();
    await page.screenshot({ path: artifactPath('sync-outbox-discard.png') });
    await confirmDiscard.getByRole('button', { name: 'Discard change' }).click();
    await outbox.getByText('Scratch draft').waitFor({ state: 'detached' });
    expect(await outbox.locator('li').count()).toBe(1);

    // Back online: the outbox drains and the server has the record.
    await setOffline(page, false);
    await page.getByText('Nothing waiting: every change on this device is on the server.').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('outbox-count').textContent()).toBe('0');
    await until(async () => (await serverTitle(recordId)) === 'Offline brochure');

    // A same-field conflict: offline here, a manager retitles the record on another device meanwhile.
    await setOffline(page, true);
    const other = await otherDevice();
    const pulled = await other.pull('content', { checkpoint: null, limit: 100 });
    const theirs = pulled.documents.find((d) => d.id === recordId);
    if (!theirs) throw new Error('the record is not on the server');
    const edited = { ...theirs, title: 'Brochure (manager)', updatedAt: new Date().toISOString() };
    expect(await other.push('content', { rows: [{ newDocumentState: edited, assumedMasterState: theirs }] })).toEqual({
      conflicts: [],
      rejected: [],
    });

    await page.evaluate((id) => {
      location.hash = `#/content/${id}`;
    }, recordId);
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const edit = page.getByRole('dialog', { name: 'Edit content' });
    await edit.locator('input[id$="-title"]').fill('Brochure (mine)');
    await edit.getByRole('button', { name: /save/i }).click();
    await edit.waitFor({ state: 'hidden' });

    await setOffline(page, false);
    const conflicts = page.getByRole('list', { name: 'Conflicts' });
    const item = conflicts.locator('li[data-conflict-field="title"]');
    await item.waitFor({ timeout: 60_000 });
    const cells = await item.locator('.diff-table td .diff-value').allTextContents();
    expect(cells).toEqual(['Offline brochure', 'Brochure (mine)', 'Brochure (manager)']);
    await item.scrollIntoViewIfNeeded();
    await page.screenshot({ path: artifactPath('sync-conflicts.png') });

    await item.getByRole('button', { name: 'Keep theirs' }).click();
    await page.getByText('No conflicts.', { exact: false }).waitFor();
    await until(async () => (await serverTitle(recordId)) === 'Brochure (manager)');
    // The decision is in the audit trail, on the server too.
    await until(async () => {
      const { rows } = await server.db.query<{ reason: string }>(
        "SELECT reason FROM audit_log WHERE entity_id = $1 AND reason LIKE 'collision on title reviewed%'",
        [recordId],
      );
      return rows.length === 1;
    });
    const { rows: scratch } = await server.db.query(
      "SELECT id FROM content WHERE title = 'Scratch draft' AND NOT sync_removed",
    );
    expect(scratch).toEqual([]);

    // A write the server refuses for good: listed with its reason; "Discard my change" removes it.
    await page.evaluate(() => {
      location.hash = '#/content';
    });
    await page.getByRole('button', { name: 'New content' }).click();
    await create.locator('input[id$="-title"]').fill('Forbidden launch plan');
    await create.locator('select[id$="-type"]').selectOption('other');
    await create.getByRole('button', { name: 'Create content' }).click();
    await create.waitFor({ state: 'hidden' });
    await page.locator('.sync-indicator').click();
    const refusedList = page.getByRole('list', { name: 'Rejected writes' });
    const refusal = refusedList.locator('li', { hasText: 'Forbidden launch plan' });
    await refusal.waitFor({ timeout: 60_000 });
    expect(await refusal.locator('.rejection-reason').textContent()).toBe(
      'Title: titles may not start with "Forbidden"',
    );
    await refusal.scrollIntoViewIfNeeded();
    await page.screenshot({ path: artifactPath('sync-refused.png') });
    await refusal.getByRole('button', { name: 'Discard my change' }).click();
    await page.getByText('No refused writes.').waitFor();
    const { rows: forbidden } = await server.db.query(
      "SELECT id FROM content WHERE title LIKE 'Forbidden%' AND NOT sync_removed",
    );
    expect(forbidden).toEqual([]);

    // The network itself gone (not the switch): the indicator says offline, and recovers.
    await page.context().setOffline(true);
    await page.locator('.sync-indicator.sync-offline').waitFor({ timeout: 60_000 });
    await page.screenshot({ path: artifactPath('sync-network-offline.png') });
    await page.context().setOffline(false);
    await page.locator('.sync-indicator.sync-synced').waitFor({ timeout: 60_000 });

    // Settings → Users → the admin: this browser is listed as one of their devices, active (issue 7).
    await page.evaluate(() => {
      location.hash = '#/settings?tab=users';
    });
    await page.getByRole('grid', { name: 'Users' }).getByRole('row', { name: /Admin/ }).first().click();
    const devices = page.getByRole('region', { name: 'Devices' });
    await devices.getByRole('cell', { name: 'Active' }).waitFor({ timeout: 60_000 });
    expect(await devices.getByRole('button', { name: 'Revoke…' }).count()).toBe(1);
    await page.screenshot({ path: artifactPath('sync-user-devices.png') });

    // The server ends the sign-in (its refresh token revoked, the access token expired): local work
    // goes on, the account menu asks for a new sign-in, and syncing resumes after it.
    const stored = await page.evaluate(() => {
      const session = JSON.parse(localStorage.getItem('fieldcrm.session') ?? 'null');
      session.tokens.accessTokenExpiresAt = new Date(0).toISOString();
      localStorage.setItem('fieldcrm.session', JSON.stringify(session));
      return session as { tokens: { refreshToken: string } };
    });
    await fetch(`${server.url}/auth/logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: stored.tokens.refreshToken }),
    });
    await page.reload();
    await page.locator('.account-button', { hasText: 'Sign in again' }).waitFor({ timeout: 60_000 });
    await page.locator('.sync-indicator.sync-paused').waitFor();
    await page.locator('.account-button').click();
    await page.getByRole('menuitem', { name: 'Sign in again' }).click();
    const again = page.getByRole('dialog', { name: 'Sign in again' });
    expect(await again.getByLabel('Email').inputValue()).toBe(ADMIN.email);
    await again.getByLabel('Password').fill(ADMIN.password);
    await page.screenshot({ path: artifactPath('sync-sign-in-again.png') });
    await again.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.sync-indicator.sync-synced').waitFor({ timeout: 60_000 });
    expect(await page.locator('.account-button').textContent()).not.toContain('Sign in again');

    // Signing out with an unsent change lists it per collection; discarding removes the device's copy, the demo opens.
    await setOffline(page, true);
    await page.evaluate(() => {
      location.hash = '#/content';
    });
    await page.getByRole('button', { name: 'New content' }).click();
    await create.locator('input[id$="-title"]').fill('Unsent idea');
    await create.locator('select[id$="-type"]').selectOption('other');
    await create.getByRole('button', { name: 'Create content' }).click();
    await create.waitFor({ state: 'hidden' });
    await page.getByTestId('sync-pending').waitFor();
    await page.locator('.account-button').click();
    await page.getByRole('menu', { name: 'Account' }).getByText('Admin', { exact: false }).first().waitFor();
    await page.screenshot({ path: artifactPath('sync-account-menu.png') });
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    const warning = page.getByRole('dialog', { name: 'Sign out and remove this device’s data?' });
    await warning.getByText('1 change has not reached the server yet and would be lost:').waitFor();
    await warning.getByRole('list', { name: 'Unsent changes' }).getByText('Content: 1 change').waitFor();
    await page.screenshot({ path: artifactPath('sync-sign-out-warning.png') });
    // Offline, pushing first cannot finish: it says so and removes nothing.
    await warning.getByRole('button', { name: 'Push and sign out' }).click();
    await warning
      .getByRole('alert')
      .getByText(/Not signed out/)
      .waitFor({ timeout: 90_000 });
    await warning.getByRole('button', { name: 'Sign out and discard' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: 60_000 });
    expect(await page.locator('.sync-indicator').textContent()).toContain('Demo data · not synced');
    // Signing in again is quicker: the last server and email are offered (never the password).
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await dialog.getByLabel('Server address').inputValue()).toBe(server.url);
    expect(await dialog.getByLabel('Email').inputValue()).toBe(ADMIN.email);
    expect(await dialog.getByLabel('Password').inputValue()).toBe('');
    expect(errors).toEqual([]);
  }, 400_000);
});
