import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authRoutes } from '../../sync-server/src/auth/auth.routes';
import { setPasswordHash } from '../../sync-server/src/auth/credentials';
import { jwtAuthenticate } from '../../sync-server/src/auth/jwt-authenticate';
import { hashPassword } from '../../sync-server/src/auth/passwords';
import { IntegrationsWorker } from '../../sync-server/src/integrations/integrations.worker';
import { doc, ORG_USERS, seed, seedOrg } from '../integration/sync-scope-fixtures';
import { artifactPath, type Renderer } from '../support/browser';
import { openE2e } from '../support/e2e';
import { newDevice, PASSWORD, signInThroughUi, until } from '../support/e2e-team';
import { startTestServer, type TestServer } from '../support/sync-server';

/**
 * Settings → Integrations and Send email in Chromium, signed in as the administrator of a real
 * server: a webhook whose receiver refuses shows the failed call in its delivery log and is
 * replayed from there; a lead form shows its snippet; an email sent from Communications is queued
 * on the device and reaches the server's send queue; a content item's tracking link redirects.
 */

const SECRET = 'an integrations e2e secret, long enough for HS256 keys: 0123456789';
const admin = { ownerId: ORG_USERS.admin.id, createdBy: ORG_USERS.admin.id, updatedBy: ORG_USERS.admin.id };
let browser: Browser;
let renderer: Renderer;
let server: TestServer;
let receiver: Server;
let calls = 0;

beforeAll(async () => {
  receiver = createServer((_request, response) => {
    calls++;
    response.statusCode = 503;
    response.end('maintenance until 10:00');
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  ({ browser, renderer } = await openE2e());
  const port = new URL(renderer.url).port;
  server = await startTestServer('crm_integrations_e2e', {
    authenticate: jwtAuthenticate(SECRET),
    corsOrigins: [`http://127.0.0.1:${port}`, `http://localhost:${port}`],
    async beforeListen(app, db) {
      await seedOrg(db);
      await setPasswordHash(db, 'u_admin', await hashPassword(PASSWORD), new Date());
      authRoutes(app, { db, secret: SECRET });
      await seed(db, 'settings', [
        doc('externalIntegration', 'int_e2e_hook', {
          ...admin,
          name: 'Finance hook',
          provider: 'webhook',
          status: 'active',
          endpointUrl: hookUrl,
          events: ['lead.created'],
        }),
        doc('externalIntegration', 'int_e2e_form', {
          ...admin,
          name: 'Website contact form',
          provider: 'other',
          status: 'active',
          config: { type: 'leadCapture', allowedOrigins: ['https://www.example.com'], assignGroupId: 'g_a' },
        }),
        doc('consent', 'cs_e2e', {
          ...admin,
          subjectType: 'contact',
          subjectId: 'c_a1',
          channel: 'email',
          status: 'granted',
          legalBasis: 'consent',
          source: 'web form',
          proofText: 'Ticked "email me"',
          at: '2026-01-01T00:00:00.000Z',
        }),
      ]);
      await seed(db, 'leads', [doc('lead', 'l_e2e', { ...admin, lastName: 'Hooked' })]);
      await seed(db, 'content', [
        doc('content', 'ct_e2e', {
          ...admin,
          title: 'Buyer guide',
          type: 'whitepaper',
          status: 'published',
          url: 'https://www.example.com/guide.pdf',
        }),
      ]);
      await new IntegrationsWorker({ db }).deliverWebhooks();
    },
  });
}, 120_000);
afterAll(async () => {
  await server?.close();
  await browser?.close();
  await renderer?.close();
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
});

describe('Integrations in Settings', () => {
  it('shows a webhook delivery log with replay, a lead form snippet, and queues an email for the server', async () => {
    expect(calls).toBe(1);
    const { context, page, errors } = await newDevice(browser);
    page.setDefaultNavigationTimeout(180_000);
    await signInThroughUi(page, renderer.url, server.url, 'u_admin@example.com');
    await page.goto(`${renderer.url}#/settings?tab=integrations`);
    await page.getByRole('row', { name: /Finance hook/ }).click();
    const log = page.locator('.webhook-deliveries');
    await expect.poll(() => log.textContent(), { timeout: 30_000 }).toContain('lead.created');
    expect(await log.textContent()).toContain('503');
    expect(await log.textContent()).toContain('Retrying');
    await page.screenshot({ path: artifactPath('integrations-webhook-log.png') });

    // The original waits for its retry; an administrator sends it again now (it is not pending: failed or sent only).
    await server.db.query(`UPDATE integration_deliveries SET status = 'failed'`);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByRole('button', { name: 'Replay' }).click();
    await expect.poll(() => log.textContent(), { timeout: 30_000 }).toContain('replay of #');
    await page.getByRole('button', { name: 'Show' }).click();
    await expect.poll(() => page.locator('.integration-secret').textContent()).toMatch(/^whsec_/);

    await page.goto(`${renderer.url}#/settings?tab=integrations`);
    await page.getByRole('row', { name: /Website contact form/ }).click();
    const snippet = page.getByLabel('Website form snippet');
    expect(await snippet.inputValue()).toContain(`${server.url}/capture/leads/int_e2e_form`);
    await page.screenshot({ path: artifactPath('integrations-lead-form.png') });

    await page.goto(`${renderer.url}#/communications`);
    await page.getByRole('button', { name: 'Send email' }).click();
    const dialog = page.getByRole('dialog', { name: 'Send email' });
    // Sent empty, the form names every problem at once and puts the cursor on the first.
    await dialog.getByRole('button', { name: 'Send' }).click();
    await expect
      .poll(() => dialog.getByRole('alert').allTextContents())
      .toEqual([
        'Who is required: choose the contact this email is to',
        'Addresses need at least one email address',
        'Subject is required',
      ]);
    await expect.poll(() => dialog.getByLabel('Who').evaluate((n) => n === document.activeElement)).toBe(true);
    await page.screenshot({ path: artifactPath('integrations-send-email-problems.png') });
    await dialog.getByLabel('Who').selectOption('c_a1');
    await dialog.getByLabel('Addresses').fill('alice@customer.example');
    await dialog.getByLabel('Subject').fill('Your quote');
    await dialog.getByLabel('Message').fill('Hello Alice, here is the quote.');
    await page.screenshot({ path: artifactPath('integrations-send-email.png') });
    await dialog.getByRole('button', { name: 'Send' }).click();
    await until(async () => (await server.db.query('SELECT 1 FROM email_sends')).rows.length === 1, 60_000);
    await page.screenshot({ path: artifactPath('integrations-email-queued.png') });

    await page.goto(`${renderer.url}#/content/ct_e2e`);
    await page.getByRole('button', { name: 'Copy tracking link' }).click();
    const linkDialog = page.getByRole('dialog', { name: 'Tracking link' });
    await linkDialog.getByLabel('Recipient').selectOption('l_e2e');
    await linkDialog.getByRole('button', { name: 'Make and copy link' }).click();
    const link = await linkDialog.getByLabel('Link').inputValue();
    expect(link).toMatch(new RegExp(`^${server.url}/t/`));
    await page.screenshot({ path: artifactPath('integrations-tracking-link.png') });
    const opened = await fetch(link, { redirect: 'manual' });
    expect([opened.status, opened.headers.get('location')]).toEqual([302, 'https://www.example.com/guide.pdf']);
    expect(errors).toEqual([]);
    await context.close();
  }, 240_000);
});
