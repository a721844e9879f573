import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { artifactPath, type Renderer } from '../support/browser';
import { openE2e } from '../support/e2e';
import { go, MANAGER, newDevice, REP, signInThroughUi, startTeamServer, until } from '../support/e2e-team';
import type { TestServer } from '../support/sync-server';

/**
 * The server's audit trail in the viewer, in Chromium against the real sync server on Postgres: a
 * rep edits their deal and syncs; their manager, on another device, opens the deal's History and
 * the global Audit log filtered by the record id and sees the rep's entries, marked as coming from
 * the server. Offline, the manager's viewer says the server's entries are unavailable.
 */

const DEAL = 'd_a1';

let browser: Browser;
let renderer: Renderer;
let server: TestServer;

beforeAll(async () => {
  ({ browser, renderer } = await openE2e());
  server = await startTeamServer('crm_e2e_audit', renderer);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await renderer?.close();
  await server?.close();
});

const device = () => newDevice(browser);

const signIn = (page: Page, email: string) => signInThroughUi(page, `${renderer.url}#/deals`, server.url, email);

async function serverCount(sql: string, params: unknown[]): Promise<number> {
  const { rows } = await server.db.query<{ n: number }>(sql, params);
  return rows[0]?.n ?? 0;
}

describe('the server’s audit trail in the viewer', () => {
  it('shows a manager their rep’s entries in the record History and the global Audit log', async () => {
    const rep = await device();
    let manager: Awaited<ReturnType<typeof device>> | undefined;
    onTestFailed(async () => {
      await rep.page.screenshot({ path: artifactPath('audit-trail-failed-rep.png') }).catch(() => undefined);
      await manager?.page.screenshot({ path: artifactPath('audit-trail-failed-manager.png') }).catch(() => undefined);
    });

    // ---- The rep edits their deal twice and syncs.
    await signIn(rep.page, REP.email);
    await go(rep.page, `#/deals/${DEAL}`);
    const repDeal = rep.page.getByRole('complementary', { name: 'Deal' });
    for (const [field, value] of [
      ['Next step', 'Send the revised quote'],
      ['Next step', 'Book the demo for Thursday'],
    ] as const) {
      await repDeal.getByRole('button', { name: 'Edit', exact: true }).click();
      const edit = rep.page.getByRole('dialog', { name: 'Edit deal' });
      await edit.getByLabel(field, { exact: true }).fill(value);
      await edit.getByRole('button', { name: 'Save' }).click();
      await edit.waitFor({ state: 'hidden' });
    }
    // Its own History shows both edits at once, from this device.
    await repDeal.getByRole('button', { name: 'History' }).click();
    const repHistory = repDeal.getByRole('list', { name: 'History' });
    await expect.poll(() => repHistory.locator('li').count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    // Synced: the device's entries reach the server's audit_log.
    await until(
      async () =>
        (await serverCount(
          "SELECT count(*)::int AS n FROM audit_log WHERE entity_id = $1 AND actor_id = $2 AND source = 'local'",
          [DEAL, REP.id],
        )) >= 2,
    );
    await repHistory.locator('.audit-origin-synced').first().waitFor({ timeout: 60_000 });
    await rep.page.screenshot({ path: artifactPath('audit-trail-rep-history.png') });

    // ---- The manager, on another device, opens the deal's History.
    manager = await device();
    await signIn(manager.page, MANAGER.email);
    await go(manager.page, `#/deals/${DEAL}`);
    const managerDeal = manager.page.getByRole('complementary', { name: 'Deal' });
    await managerDeal.getByText('Book the demo for Thursday').waitFor({ timeout: 60_000 });
    await managerDeal.getByRole('button', { name: 'History' }).click();
    const history = managerDeal.getByRole('list', { name: 'History' });
    const fromServer = history.locator('li', { has: manager.page.locator('.audit-origin-server') });
    // The rep's two device entries and the server's entries of the same writes.
    await expect.poll(() => fromServer.count(), { timeout: 60_000 }).toBeGreaterThanOrEqual(4);
    await managerDeal.getByText(/from the server’s trail/).waitFor();
    const summaries = await history.locator('li summary').allTextContents();
    expect(summaries.filter((s) => s.includes('Next step')).length).toBeGreaterThanOrEqual(2);
    // An entry opens to the rep's field-level change.
    await fromServer.first().locator('summary').click();
    await history.getByText('Book the demo for Thursday').first().waitFor();
    await managerDeal.getByRole('region', { name: 'History', exact: true }).scrollIntoViewIfNeeded();
    await manager.page.screenshot({ path: artifactPath('audit-trail-manager-history.png') });

    // ---- The rep changes the deal again while the manager looks: their History follows (the deal
    // arrives by the live stream, and the server's trail is asked again), well before the minute's poll.
    const before = await fromServer.count();
    await repDeal.getByRole('button', { name: 'Edit', exact: true }).click();
    const again = rep.page.getByRole('dialog', { name: 'Edit deal' });
    await again.getByLabel('Next step', { exact: true }).fill('Call back on Monday');
    await again.getByRole('button', { name: 'Save' }).click();
    await again.waitFor({ state: 'hidden' });
    await managerDeal.getByText('Call back on Monday').first().waitFor({ timeout: 30_000 });
    await expect.poll(() => fromServer.count(), { timeout: 20_000 }).toBeGreaterThan(before);

    // ---- The global Audit log, filtered by the record id.
    await go(manager.page, '#/audit');
    await manager.page.getByLabel('Record id').fill(DEAL);
    const entries = manager.page.getByRole('list', { name: 'Audit entries' });
    await expect.poll(() => entries.locator('li').count(), { timeout: 60_000 }).toBeGreaterThanOrEqual(4);
    expect(await entries.locator('li .audit-origin-server').count()).toBeGreaterThanOrEqual(4);
    await manager.page.screenshot({ path: artifactPath('audit-trail-manager-audit-log.png') });

    // ---- Offline: the device's entries only, and the viewer says why.
    await manager.context.setOffline(true);
    await manager.page.getByText('The server’s trail (other devices’ changes) is unavailable offline').waitFor({
      timeout: 30_000,
    });
    await manager.page.screenshot({ path: artifactPath('audit-trail-manager-offline.png') });

    expect(rep.errors).toEqual([]);
    expect(manager.errors).toEqual([]);
    await rep.context.close();
    await manager.context.close();
  }, 600_000);
});
