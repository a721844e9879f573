import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { authRoutes } from '../../sync-server/src/auth/auth.routes';
import { setPasswordHash } from '../../sync-server/src/auth/credentials';
import { jwtAuthenticate } from '../../sync-server/src/auth/jwt-authenticate';
import { hashPassword } from '../../sync-server/src/auth/passwords';
import { AutomationWorker } from '../../sync-server/src/automation/automation.service';
import { leadDoc, ROUTE_LEADS, workflowDoc } from '../integration/automation-fixtures';
import { seed, seedOrg } from '../integration/sync-scope-fixtures';
import { artifactPath, type Renderer } from '../support/browser';
import { openE2e } from '../support/e2e';
import { go, newDevice, PASSWORD, signInThroughUi } from '../support/e2e-team';
import { startTestServer, type TestServer } from '../support/sync-server';

/**
 * Settings → Workflows with the real sync server on Postgres: an administrator opens a workflow,
 * runs it now on a lead and sees the run logged (Ran, the actions applied); a workflow whose run
 * fails shows its failed job with Retry; offline, the log says it needs the server. And the
 * structured editor: a workflow built in the form, its problems shown beside their inputs, stored
 * by the server as built.
 */

const SECRET = 'a workflow e2e secret, long enough for HS256 keys: 0123456789';
const ADMIN = { id: 'u_admin', email: 'u_admin@example.com' };

let browser: Browser;
let renderer: Renderer;
let server: TestServer;

beforeAll(async () => {
  ({ browser, renderer } = await openE2e());
  const port = new URL(renderer.url).port;
  server = await startTestServer('crm_e2e_workflows', {
    authenticate: jwtAuthenticate(SECRET),
    corsOrigins: [`http://127.0.0.1:${port}`, `http://localhost:${port}`],
    async beforeListen(app, db) {
      await seedOrg(db);
      await setPasswordHash(db, ADMIN.id, await hashPassword(PASSWORD), new Date());
      await seed(db, 'settings', [
        workflowDoc('wf_route', ROUTE_LEADS),
        workflowDoc('wf_value', {
          ...ROUTE_LEADS,
          name: 'Value inbound leads',
          // A lead's estimated value needs a currency: on a lead without one the run fails.
          actions: [{ type: 'updateField', field: 'estimatedValue', value: 1000 }],
        }),
      ]);
      await seed(db, 'leads', [leadDoc('l_web', 'u_rep_a1', { lastName: 'Webster', source: 'website' })]);
      authRoutes(app, { db, secret: SECRET });
    },
  });
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await renderer?.close();
  await server?.close();
});

describe('the workflow run log', () => {
  it('runs a workflow now, lists the run, retries a failed job, and says offline that it needs the server', async () => {
    const admin = await newDevice(browser);
    onTestFailed(async () => {
      await admin.page.screenshot({ path: artifactPath('workflow-runs-failed.png') }).catch(() => undefined);
    });
    await signInThroughUi(admin.page, `${renderer.url}#/deals`, server.url, ADMIN.email);
    const page = admin.page;

    // The lead's creation queued a job per workflow; the worker runs them: one runs, the other fails
    // (no currency) and, with a single attempt allowed, is left failed for an administrator.
    await new AutomationWorker({ db: server.db, maxAttempts: 1 }).drain();

    await go(page, '#/settings?tab=workflows');
    await page.getByText('Route new inbound leads').click();
    const runs = page.getByRole('region', { name: 'Runs' });
    const rows = runs.locator('table.workflow-runs tbody tr');
    await rows.first().getByText('created').waitFor({ timeout: 30_000 });
    await runs.getByLabel('Run now on').selectOption({ label: 'Webster' });
    await runs.getByRole('button', { name: 'Run now' }).click();
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(2);
    const row = rows.first();
    await row.getByText('Ran', { exact: true }).waitFor({ timeout: 30_000 });
    await expect.poll(() => row.textContent()).toContain('createTask: written');
    await expect.poll(() => row.textContent()).toContain('manual');
    await page.screenshot({ path: artifactPath('workflow-runs-ran.png') });

    await go(page, '#/settings?tab=workflows');
    await page.getByText('Value inbound leads').click();
    const valueRuns = page.getByRole('region', { name: 'Runs' });
    const failedJob = valueRuns.locator('.workflow-failed-jobs li');
    await failedJob.getByText(/currency/).waitFor({ timeout: 30_000 });
    await valueRuns.locator('table.workflow-runs tbody tr').getByText('Failed', { exact: true }).waitFor();
    await page.screenshot({ path: artifactPath('workflow-runs-failed-job.png') });
    await failedJob.getByRole('button', { name: 'Retry' }).click();
    await failedJob.waitFor({ state: 'detached', timeout: 30_000 });
    const [job] = (
      await server.db.query<{ status: string }>(`SELECT status FROM automation_jobs WHERE workflow_id = 'wf_value'`)
    ).rows;
    expect(job?.status).toBe('pending');

    await admin.context.setOffline(true);
    await valueRuns.getByText('Offline: the run log needs the server.').waitFor({ timeout: 30_000 });
    await page.screenshot({ path: artifactPath('workflow-runs-offline.png') });
    await admin.context.close();
  }, 240_000);
});

describe('the workflow editor', () => {
  it('builds a score-crossed workflow in the form, shows problems beside their inputs, and the server stores it', async () => {
    const admin = await newDevice(browser);
    onTestFailed(async () => {
      await admin.page.screenshot({ path: artifactPath('workflow-editor-failed.png') }).catch(() => undefined);
    });
    await signInThroughUi(admin.page, `${renderer.url}#/deals`, server.url, ADMIN.email);
    const page = admin.page;
    await go(page, '#/settings?tab=workflows');
    await page.getByRole('button', { name: 'New workflow' }).click();
    const editor = page.getByRole('form', { name: 'Workflow editor' });
    const field = (label: string) => editor.getByLabel(label, { exact: true });
    await field('Name').fill('Call leads that turn hot');
    await field('Applies to').selectOption('lead');
    await field('Trigger').selectOption('scoreCrossed');
    await field('Score field').selectOption('score');
    await editor.getByRole('button', { name: 'Add condition' }).click();
    await field('Field').selectOption('source');
    await field('Operator').selectOption('eq');
    await field('Value').selectOption('website');

    // No threshold and no task title yet: each problem beside its input, nothing saved.
    await editor.getByRole('button', { name: 'Create workflow' }).click();
    await editor.getByText('Threshold must be a number').waitFor();
    await editor.getByText('Task title must not be empty').waitFor();
    expect(await field('Threshold').getAttribute('aria-invalid')).toBe('true');
    await page.screenshot({ path: artifactPath('workflow-editor-problems.png') });

    await field('Threshold').fill('70');
    await field('Task title').fill('Call the hot lead');
    // Checked again as it is edited: the fixed problems are gone.
    await editor.getByText('Threshold must be a number').waitFor({ state: 'detached' });
    await editor.getByText('Task title must not be empty').waitFor({ state: 'detached' });
    await editor.getByRole('button', { name: 'Add action' }).click();
    const second = editor.getByRole('listitem', { name: 'Action 2' });
    await second.getByLabel('Action', { exact: true }).selectOption('assign');
    await second.getByLabel('Assign to', { exact: true }).selectOption('group');
    await second.getByLabel('Group', { exact: true }).selectOption({ index: 1 });
    await page.screenshot({ path: artifactPath('workflow-editor.png') });
    // The JSON view (advanced) shows the same definition, and back in the form nothing is lost.
    await editor.getByRole('button', { name: 'JSON (advanced)' }).click();
    await expect.poll(() => field('Conditions and actions (JSON)').inputValue()).toContain('"threshold": 70');
    await editor.getByRole('button', { name: 'Form' }).click();
    expect(await field('Threshold').inputValue()).toBe('70');
    await editor.getByRole('button', { name: 'Create workflow' }).click();
    await page.getByText('Workflow created.').waitFor({ timeout: 30_000 });

    // Synced and accepted by the server's check (the same shared validation), as the form built it.
    await expect
      .poll(
        async () =>
          (
            await server.db.query(
              `SELECT trigger, active, conditions, actions FROM workflows WHERE name = 'Call leads that turn hot'`,
            )
          ).rows[0],
        { timeout: 30_000 },
      )
      .toMatchObject({
        trigger: 'scoreCrossed',
        active: false,
        conditions: {
          trigger: { field: 'score', threshold: 70, direction: 'up' },
          all: [{ field: 'source', op: 'eq', value: 'website' }],
        },
        actions: [
          { type: 'createTask', title: 'Call the hot lead' },
          { type: 'assignRoundRobin', groupId: expect.any(String) },
        ],
      });
    await admin.context.close();
  }, 240_000);
});
