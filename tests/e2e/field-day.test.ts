import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { artifactPath, type Renderer } from '../support/browser';
import { openE2e } from '../support/e2e';
import { go, MANAGER, newDevice, REP, signInThroughUi, startTeamServer, until } from '../support/e2e-team';
import type { TestServer } from '../support/sync-server';

/**
 * The day in the field, in Chromium against the real sync server on Postgres: a rep signs
 * in, loses the network (Playwright's offline mode), creates a lead, converts it, moves the deal
 * through two stages, logs a call with an attachment and adds a task; back online, their manager on
 * another device sees all of it and its audit trail. Then both change the same deal field, and the
 * rep settles the conflict in the conflicts inbox.
 */

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==',
  'base64',
);

let browser: Browser;
let renderer: Renderer;
let server: TestServer;
let managerPage: Page | undefined;

beforeAll(async () => {
  ({ browser, renderer } = await openE2e());
  server = await startTeamServer('crm_e2e_field_day', renderer);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await renderer?.close();
  await server?.close();
});

const device = () => newDevice(browser);

const signIn = (page: Page, email: string) => signInThroughUi(page, `${renderer.url}#/leads`, server.url, email);

async function serverRow<T>(sql: string, params: unknown[]): Promise<T | undefined> {
  const { rows } = await server.db.query<T & Record<string, unknown>>(sql, params);
  return rows[0];
}

describe('a field rep’s day, offline, seen by their manager', () => {
  it('works offline, syncs on return, shows the manager everything with its audit trail, and settles a conflict', async () => {
    const rep = await device();
    // On failure, what each device showed is kept beside the other artifacts.
    onTestFailed(async () => {
      await rep.page.screenshot({ path: artifactPath('field-day-failed-rep.png') }).catch(() => undefined);
      await managerPage?.screenshot({ path: artifactPath('field-day-failed-manager.png') }).catch(() => undefined);
    });
    await signIn(rep.page, REP.email);
    await rep.page.screenshot({ path: artifactPath('field-day-rep-signed-in.png') });

    // ---- Offline: the network is gone.
    await rep.context.setOffline(true);
    await rep.page.locator('.sync-indicator.sync-offline').waitFor({ timeout: 30_000 });

    // A new lead.
    await go(rep.page, '#/leads');
    await rep.page.getByRole('button', { name: 'New lead' }).click();
    const newLead = rep.page.getByRole('dialog', { name: 'New lead' });
    await newLead.getByLabel('First name', { exact: true }).fill('Ada');
    // A required field's label carries a star.
    await newLead.getByLabel(/^Last name/).fill('Fieldday');
    await newLead.getByLabel('Email', { exact: true }).fill('ada@fieldday-gmbh.example');
    await newLead.getByLabel('Company', { exact: true }).fill('Fieldday GmbH');
    await newLead.getByLabel('Source', { exact: true }).selectOption('event');
    await newLead.getByRole('button', { name: 'Create lead' }).click();
    await newLead.waitFor({ state: 'hidden' });
    const leadPane = rep.page.getByRole('complementary', { name: 'Lead' });
    await leadPane.getByRole('heading', { name: 'Ada Fieldday' }).waitFor();
    await rep.page.screenshot({ path: artifactPath('field-day-lead.png') });

    // Converted to contact + company + deal in one dialog.
    await leadPane.getByRole('button', { name: 'Convert' }).click();
    const convert = rep.page.getByRole('dialog', { name: 'Convert Ada Fieldday' });
    await convert.getByLabel('Deal name').fill('Fieldday GmbH – fleet tablets');
    await convert.getByLabel('Deal amount').fill('48000');
    await convert.getByLabel('Deal stage').selectOption('prospecting');
    await rep.page.screenshot({ path: artifactPath('field-day-convert.png') });
    await convert.getByRole('button', { name: 'Convert and create deal' }).click();

    // The deal moves through two stages; each move is in its history.
    const dealPane = rep.page.getByRole('complementary', { name: 'Deal' });
    await dealPane.getByRole('heading', { name: 'Fieldday GmbH – fleet tablets' }).waitFor({ timeout: 30_000 });
    const dealId = decodeURIComponent(new URL(rep.page.url()).hash.split('/')[2]?.split('?')[0] ?? '');
    expect(dealId).not.toBe('');
    const history = dealPane.getByRole('region', { name: 'Stage history' });
    await dealPane.getByLabel('Move to stage').selectOption('qualification');
    await expect
      .poll(() => history.locator('li').first().textContent(), { timeout: 30_000 })
      .toMatch(/Prospecting\s*to\s*→\s*Qualification/);
    await dealPane.getByLabel('Move to stage').selectOption('proposal');
    await expect
      .poll(() => history.locator('li').first().textContent(), { timeout: 30_000 })
      .toMatch(/Qualification\s*to\s*→\s*Proposal/);
    await rep.page.screenshot({ path: artifactPath('field-day-deal.png') });

    // A call about the deal, with a photo of the whiteboard.
    await go(rep.page, '#/communications');
    await rep.page.getByRole('button', { name: 'Log communication' }).click();
    const log = rep.page.getByRole('dialog', { name: 'Log communication' });
    const [kind, record] = [
      log.locator('.comm-about-pick select').nth(0),
      log.locator('.comm-about-pick select').nth(1),
    ];
    await kind.selectOption('deal');
    await expect.poll(() => record.locator('option', { hasText: 'Fieldday GmbH – fleet tablets' }).count()).toBe(1);
    await record.selectOption({ label: 'Fieldday GmbH – fleet tablets' });
    await log.getByLabel('Subject').fill('Site visit: fleet of 120 tablets');
    await log.getByLabel('Duration (min)').fill('45');
    await log
      .locator('input[type=file]')
      .setInputFiles([{ name: 'whiteboard.png', mimeType: 'image/png', buffer: PNG }]);
    await log.getByRole('button', { name: 'Log call' }).click();
    await rep.page.getByText('Call logged with 1 file.').waitFor();
    await rep.page.screenshot({ path: artifactPath('field-day-call.png') });

    // A task to follow up.
    await go(rep.page, '#/tasks');
    await rep.page.getByRole('button', { name: 'New task' }).click();
    const addTask = rep.page.getByRole('dialog', { name: 'Add task' });
    await addTask.getByLabel('Title').fill('Send the fleet proposal');
    await addTask.getByLabel('Kind of record').selectOption('deal');
    await addTask.getByLabel('Deal', { exact: true }).selectOption({ label: 'Fieldday GmbH – fleet tablets' });
    await addTask.getByRole('button', { name: /add task/i }).click();
    await addTask.waitFor({ state: 'hidden' });
    await rep.page.getByText('Send the fleet proposal').first().waitFor();

    // Nothing reached the server yet; all of it waits on the device.
    expect(await serverRow('SELECT id FROM deals WHERE id = $1', [dealId])).toBeUndefined();
    await rep.page.getByTestId('sync-pending').waitFor();
    await rep.page.screenshot({ path: artifactPath('field-day-offline-pending.png') });

    // ---- Back online: everything drains to the server.
    await rep.context.setOffline(false);
    await rep.page.locator('.sync-indicator.sync-synced').waitFor({ timeout: 60_000 });
    await until(
      async () =>
        (await serverRow<{ stage: string }>('SELECT stage FROM deals WHERE id = $1', [dealId]))?.stage === 'proposal',
    );
    await until(async () =>
      Boolean(await serverRow("SELECT id FROM communications WHERE subject = 'Site visit: fleet of 120 tablets'", [])),
    );
    await until(async () =>
      Boolean(await serverRow("SELECT id FROM tasks WHERE title = 'Send the fleet proposal'", [])),
    );
    // The photo's bytes upload once the network is back (the upload queue runs beside the sync).
    await until(async () => Boolean(await serverRow('SELECT sha256 FROM file_blobs', [])));

    // ---- The manager, on another device.
    const manager = await device();
    managerPage = manager.page;
    await signIn(manager.page, MANAGER.email);
    await go(manager.page, `#/deals/${dealId}`);
    const managerDeal = manager.page.getByRole('complementary', { name: 'Deal' });
    await managerDeal.getByRole('heading', { name: 'Fieldday GmbH – fleet tablets' }).waitFor({ timeout: 60_000 });
    const managerHistory = managerDeal.getByRole('region', { name: 'Stage history' });
    await expect.poll(() => managerHistory.locator('li').count()).toBe(3);
    await manager.page.screenshot({ path: artifactPath('field-day-manager-deal.png') });

    await go(manager.page, '#/leads');
    await manager.page.getByLabel('Filter by status').selectOption('converted');
    await manager.page.getByRole('grid', { name: 'Leads' }).getByText('Ada Fieldday').waitFor();

    await go(manager.page, '#/communications');
    await manager.page
      .getByRole('grid', { name: 'Communications' })
      .getByText('Site visit: fleet of 120 tablets')
      .click();
    const attachment = manager.page
      .getByRole('complementary', { name: 'Record' })
      .getByRole('region', { name: 'Attachments' })
      .locator('li', { hasText: 'whiteboard.png' });
    await attachment.getByText('On the server').waitFor({ timeout: 60_000 });
    const download = manager.page.waitForEvent('download');
    // A refused fetch fails here with the server's reason rather than as a missing download.
    const refused = manager.page
      .waitForResponse((r) => r.url().includes('/files/') && r.status() !== 200, { timeout: 60_000 })
      .then(async (r) => {
        throw new Error(`GET ${r.url()} → ${r.status()}: ${await r.text()}`);
      });
    await attachment.getByRole('button', { name: 'Download' }).click();
    const saved = await Promise.race([download, refused]);
    expect((await readFile((await saved.path()) ?? '')).equals(PNG)).toBe(true);
    await attachment.getByRole('img', { name: 'Preview of whiteboard.png' }).waitFor();
    await manager.page.screenshot({ path: artifactPath('field-day-manager-call.png') });

    // The audit trail: who did what, from the rep's device.
    const { rows: audit } = await server.db.query<{ actor_id: string }>(
      'SELECT actor_id FROM audit_log WHERE entity_id = $1',
      [dealId],
    );
    expect(audit.length).toBeGreaterThanOrEqual(3);
    expect(new Set(audit.map((r) => r.actor_id))).toEqual(new Set([REP.id]));
    await go(manager.page, '#/audit');
    await manager.page.getByLabel('Record id').fill(dealId);
    const entries = manager.page.getByRole('list', { name: 'Audit entries' });
    await expect.poll(() => entries.locator('li').count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(audit.length);
    await manager.page.screenshot({ path: artifactPath('field-day-manager-audit.png') });

    // ---- A conflict: both change the deal's next step, the rep offline.
    await rep.context.setOffline(true);
    await rep.page.locator('.sync-indicator.sync-offline').waitFor({ timeout: 30_000 });
    await go(rep.page, `#/deals/${dealId}`);
    await dealPane.getByRole('button', { name: 'Edit', exact: true }).click();
    const repEdit = rep.page.getByRole('dialog', { name: 'Edit deal' });
    await repEdit.getByLabel('Next step', { exact: true }).fill('Rep: send contract Friday');
    await repEdit.getByRole('button', { name: 'Save' }).click();
    await repEdit.waitFor({ state: 'hidden' });

    await go(manager.page, `#/deals/${dealId}`);
    await managerDeal.getByRole('button', { name: 'Edit', exact: true }).click();
    const managerEdit = manager.page.getByRole('dialog', { name: 'Edit deal' });
    await managerEdit.getByLabel('Next step', { exact: true }).fill('Manager: call their CFO first');
    await managerEdit.getByRole('button', { name: 'Save' }).click();
    await managerEdit.waitFor({ state: 'hidden' });
    await until(
      async () =>
        (await serverRow<{ next_step: string }>('SELECT next_step FROM deals WHERE id = $1', [dealId]))?.next_step ===
        'Manager: call their CFO first',
    );

    await rep.context.setOffline(false);
    await go(rep.page, '#/sync');
    const conflict = rep.page.getByRole('list', { name: 'Conflicts' }).locator('li[data-conflict-field="nextStep"]');
    await conflict.waitFor({ timeout: 60_000 });
    expect(await conflict.locator('.diff-table td .diff-value').allTextContents()).toEqual([
      '(empty)',
      'Rep: send contract Friday',
      'Manager: call their CFO first',
    ]);
    await conflict.scrollIntoViewIfNeeded();
    await rep.page.screenshot({ path: artifactPath('field-day-conflict.png') });
    await conflict.getByRole('button', { name: 'Keep mine' }).click();
    await until(
      async () =>
        (await serverRow<{ next_step: string }>('SELECT next_step FROM deals WHERE id = $1', [dealId]))?.next_step ===
        'Rep: send contract Friday',
    );
    // The decision is audited and reaches the manager.
    await until(async () =>
      Boolean(
        await serverRow(
          "SELECT id FROM audit_log WHERE entity_id = $1 AND reason LIKE 'collision on nextStep reviewed%'",
          [dealId],
        ),
      ),
    );
    await managerDeal.getByText('Rep: send contract Friday').waitFor({ timeout: 60_000 });

    expect(rep.errors).toEqual([]);
    expect(manager.errors).toEqual([]);
    await rep.context.close();
    await manager.context.close();
  }, 600_000);
});
