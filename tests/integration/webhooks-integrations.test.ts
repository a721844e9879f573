import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { BUILT_IN_ROLE_IDS } from '../../src-shared/auth/built-in-roles';
import type { WireDoc } from '../../src-shared/sync/protocol';
import type { Database } from '../../sync-server/src/db/database';
import { IntegrationsWorker } from '../../sync-server/src/integrations/integrations.worker';
import {
  deliverIntegrationWebhook,
  type IntegrationDelivery,
  type WebhookDeliveryOptions,
} from '../../sync-server/src/integrations/webhook-delivery';
import { verifyWebhookSignature } from '../../sync-server/src/integrations/webhook-signature';
import { leadDoc, NOW, ROUTE_LEADS, rows, startAutomation, workflowDoc } from './automation-fixtures';
import { doc, ORG_USERS, pullAllAs, pushAs, seed, startScopedServer } from './sync-scope-fixtures';
import { BACKENDS, type Reply } from './sync-server-fixtures';

const postgres = BACKENDS[0];
if (!postgres) throw new Error('no Postgres backend');

interface Received {
  headers: IncomingMessage['headers'];
  raw: string;
  body: Record<string, unknown>;
}

/** A receiver on a free loopback port answering each call with the next status of `statuses` (then 200). */
async function receiver(statuses: number[] = []): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => {
      raw += chunk.toString('utf8');
    });
    request.on('end', () => {
      received.push({ headers: request.headers, raw, body: JSON.parse(raw) as Record<string, unknown> });
      response.statusCode = statuses.shift() ?? 200;
      response.end(response.statusCode === 200 ? 'thanks' : 'receiver is down for maintenance');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, received };
}

function integration(id: string, url: string, fields: Record<string, unknown> = {}): WireDoc {
  return doc('externalIntegration', id, {
    name: `Hook ${id}`,
    provider: 'webhook',
    status: 'active',
    endpointUrl: url,
    events: ['lead.created', 'lead.updated'],
    ownerId: ORG_USERS.admin.id,
    createdBy: ORG_USERS.admin.id,
    updatedBy: ORG_USERS.admin.id,
    ...fields,
  });
}

async function start(integrations: WireDoc[]) {
  if (!postgres) throw new Error('no Postgres backend');
  const db: Database = await postgres.open();
  const app = await startScopedServer(db);
  await seed(db, 'settings', integrations);
  const clock = { now: NOW };
  let n = 0;
  const committed: string[] = [];
  const worker = (options: ConstructorParameters<typeof IntegrationsWorker>[0]['webhooks'] = {}) =>
    new IntegrationsWorker({
      db,
      now: () => clock.now,
      newId: () => `srv_int_${++n}`,
      webhooks: { retryDelayMs: 60_000, ...options },
      onCommitted: (collection) => committed.push(collection),
    });
  const asAdmin = async <T>(method: 'GET' | 'POST', url: string): Promise<Reply<T>> => {
    const reply = await app.inject({ method, url, headers: { 'x-user-id': ORG_USERS.admin.id } });
    return { status: reply.statusCode, body: reply.json() as T };
  };
  return { db, app, clock, worker, committed, asAdmin };
}

const later = (ms: number) => new Date(NOW.getTime() + ms);

describe('outgoing webhooks of integrations (Postgres)', () => {
  it('delivers each server-side change once, signed, whichever of two devices pushed or pulled it', async () => {
    const hook = await receiver();
    const h = await start([
      integration('int_hook', hook.url, {
        config: { filter: { all: [{ field: 'source', op: 'eq', value: 'website' }] } },
      }),
      integration('int_off', hook.url, { status: 'paused' }),
    ]);
    // Device A creates the lead; a lost answer makes it push the same state again (a replay: no write).
    const created = leadDoc('l_w1', ORG_USERS.repA1.id);
    expect((await pushAs(h.app, 'repA1', 'leads', [{ newDocumentState: created }])).body.conflicts).toEqual([]);
    await pushAs(h.app, 'repA1', 'leads', [{ newDocumentState: created }]);
    // Device B (the manager) pulls it and edits it; device A pulls the edit and pushes nothing.
    const pulled = (await pullAllAs(h.app, h.db, 'mgrA', 'leads')).documents.find((d) => d.id === 'l_w1');
    if (!pulled) throw new Error('the manager did not pull the lead');
    const edited = { ...pulled, jobTitle: 'Buyer', updatedAt: later(1000).toISOString() };
    expect(
      (await pushAs(h.app, 'mgrA', 'leads', [{ assumedMasterState: pulled, newDocumentState: edited }])).status,
    ).toBe(200);
    expect((await pullAllAs(h.app, h.db, 'repA1', 'leads')).documents.map((d) => d.jobTitle)).toContain('Buyer');
    // A stale push from device A (its old state) is a conflict: nothing written, nothing delivered.
    const stale = { ...created, phone: '+15550100', updatedAt: later(2000).toISOString() };
    expect(
      (await pushAs(h.app, 'repA1', 'leads', [{ assumedMasterState: created, newDocumentState: stale }])).body
        .conflicts,
    ).toHaveLength(1);
    // Outside the filter: not delivered.
    await pushAs(h.app, 'repA1', 'leads', [
      { newDocumentState: leadDoc('l_w2', ORG_USERS.repA1.id, { source: 'event' }) },
    ]);

    const [a, b] = await Promise.all([h.worker().deliverWebhooks(), h.worker().deliverWebhooks()]);
    expect([...(a ?? []), ...(b ?? [])].map((d) => d.status)).toEqual(['sent', 'sent']);
    expect(await h.worker().deliverWebhooks()).toEqual([]);
    // Two workers send at once: the calls may arrive in either order.
    expect(hook.received.map((r) => r.body.event).sort()).toEqual(['lead.created', 'lead.updated']);
    const secret = (await h.asAdmin<{ secret: string }>('GET', '/integrations/int_hook/webhook-secret')).body.secret;
    expect(secret).toMatch(/^whsec_/);
    for (const call of hook.received) {
      const signature = String(call.headers['x-fieldcrm-signature']);
      expect(verifyWebhookSignature(secret, call.raw, signature, NOW)).toBe(true);
      expect(verifyWebhookSignature(secret, call.raw.replace('l_w1', 'l_w9'), signature, NOW)).toBe(false);
      expect(verifyWebhookSignature('whsec_other', call.raw, signature, NOW)).toBe(false);
      expect(verifyWebhookSignature(secret, call.raw, signature, later(600_000))).toBe(false);
      expect(call.headers['x-fieldcrm-delivery']).toBe(String(call.body.id));
    }
    expect(hook.received.find((r) => r.body.event === 'lead.updated')?.body).toMatchObject({
      event: 'lead.updated',
      integrationId: 'int_hook',
      record: { id: 'l_w1', kind: 'lead' },
      changedFields: ['jobTitle'],
      data: { id: 'l_w1', jobTitle: 'Buyer' },
    });

    const log = await h.asAdmin<{ deliveries: Record<string, unknown>[] }>('GET', '/integrations/int_hook/deliveries');
    expect(log.status).toBe(200);
    expect(log.body.deliveries).toEqual([
      expect.objectContaining({
        event: 'lead.updated',
        status: 'sent',
        attempts: 1,
        responseStatus: 200,
        responseExcerpt: 'thanks',
      }),
      expect.objectContaining({ event: 'lead.created', status: 'sent', attempts: 1, durationMs: expect.any(Number) }),
    ]);
  });

  it('retries with a doubling delay, disables the integration after failures in a row (audited, visible), and replays', async () => {
    const hook = await receiver([500, 500, 500, 500]);
    const h = await start([integration('int_flaky', hook.url)]);
    await pushAs(h.app, 'repA1', 'leads', [
      { newDocumentState: leadDoc('l_f1') },
      { newDocumentState: leadDoc('l_f2') },
    ]);
    const worker = h.worker({ maxAttempts: 2, disableAfter: 3 });
    const first = await worker.deliverWebhooks();
    expect(first).toEqual([
      expect.objectContaining({ status: 'pending', responseStatus: 500, error: 'the receiver answered 500' }),
      expect.objectContaining({ status: 'pending', responseStatus: 500 }),
    ]);
    expect(await worker.deliverWebhooks()).toEqual([]); // the retry waits 60 s
    h.clock.now = later(60_000);
    const second = await worker.deliverWebhooks();
    // The first delivery's second attempt fails for good; the third failure in a row disables the integration.
    expect(second[0]).toMatchObject({ status: 'failed', disabled: true });
    expect(second).toHaveLength(1);
    // The integration's new status and its owner's alert task, one transaction.
    expect(h.committed).toEqual(['settings', 'tasks']);
    expect(await rows(h.db, "SELECT owner_id FROM tasks WHERE title LIKE 'Webhook Hook int_flaky disabled%'")).toEqual([
      { owner_id: ORG_USERS.admin.id },
    ]);
    const pulled = (await pullAllAs(h.app, h.db, 'admin', 'settings')).documents.find((d) => d.id === 'int_flaky');
    expect(pulled).toMatchObject({
      status: 'error',
      errorMessage: expect.stringContaining('3 failed deliveries in a row'),
    });
    expect(
      await rows(
        h.db,
        `SELECT device_id, reason FROM audit_log WHERE entity_id = 'int_flaky' AND device_id = 'webhooks'`,
      ),
    ).toEqual([
      { device_id: 'webhooks', reason: 'webhook integration disabled after 3 consecutive failed deliveries' },
    ]);
    h.clock.now = later(3_600_000);
    expect(await worker.deliverWebhooks()).toEqual([]); // disabled: its deliveries wait

    // An administrator enables it again; the waiting delivery goes, and the failed one is replayed.
    const enabled = {
      ...pulled,
      status: 'active',
      errorMessage: undefined,
      updatedAt: later(3_600_000).toISOString(),
    } as WireDoc;
    expect(
      (await pushAs(h.app, 'admin', 'settings', [{ assumedMasterState: pulled as WireDoc, newDocumentState: enabled }]))
        .status,
    ).toBe(200);
    const failed = (
      await h.asAdmin<{ deliveries: { id: string; status: string }[] }>(
        'GET',
        '/integrations/int_flaky/deliveries?status=failed',
      )
    ).body.deliveries;
    expect(failed).toHaveLength(1);
    const replay = await h.asAdmin<{ id: string; replayOf: string }>(
      'POST',
      `/integrations/deliveries/${failed[0]?.id}/replay`,
    );
    expect(replay).toMatchObject({ status: 200, body: { replayOf: failed[0]?.id } });
    const third = await worker.deliverWebhooks();
    // One of the two due calls gets the receiver's 4th 500 (and a retry), the other goes through.
    expect(third.map((d) => d.status).sort()).toEqual(['pending', 'sent']);
    h.clock.now = later(3_600_000 + 60_000);
    expect((await worker.deliverWebhooks()).map((d) => d.status)).toEqual(['sent']);
    expect(
      await rows(h.db, 'SELECT record_id, status, replay_of::text FROM integration_deliveries ORDER BY id'),
    ).toEqual([
      { record_id: 'l_f1', status: 'failed', replay_of: null },
      { record_id: 'l_f2', status: 'sent', replay_of: null },
      { record_id: 'l_f1', status: 'sent', replay_of: '1' },
    ]);
    expect(hook.received).toHaveLength(6);
  });

  it("alerts the owner once per disable: a task due now on the owner's devices, not again while disabled, again after a re-enable", async () => {
    const h = await start([integration('int_down', 'http://127.0.0.1:9/hooks', { name: 'CRM mirror' })]);
    const push = (...ids: string[]) =>
      pushAs(
        h.app,
        'repA1',
        'leads',
        ids.map((id) => ({ newDocumentState: leadDoc(id) })),
      );
    await push('l_d1', 'l_d2', 'l_d3');
    let n = 0;
    const down = async () => new Response('receiver is down', { status: 503 });
    const send = (fetch: WebhookDeliveryOptions['fetch']) =>
      deliverIntegrationWebhook(h.db, {
        now: h.clock.now,
        newId: () => `srv_alert_${++n}`,
        maxAttempts: 1,
        disableAfter: 2,
        fetch,
      });
    const alerts = () =>
      rows<{ id: string; owner_id: string }>(
        h.db,
        "SELECT id, owner_id FROM tasks WHERE title LIKE 'Webhook CRM mirror disabled%' ORDER BY created_at, id",
      );
    expect(await send(down)).toMatchObject({ status: 'failed' });
    expect(await alerts()).toEqual([]);
    // A call in flight when another instance's failure disables the integration fails after it: the
    // integration is already 'error', so that further failure alerts nobody again.
    let inner: IntegrationDelivery | undefined;
    const outer = await send(async () => {
      inner = await send(down);
      return down();
    });
    expect(inner).toMatchObject({ status: 'failed', disabled: true });
    expect(outer).toMatchObject({ status: 'failed' });
    expect(outer?.disabled).toBeUndefined();
    const [alert] = await alerts();
    expect(await alerts()).toEqual([{ id: alert?.id, owner_id: ORG_USERS.admin.id }]);
    const message =
      'Webhook CRM mirror disabled after 2 failed deliveries: the receiver answered 503. Fix the endpoint and re-enable it.';
    const onOwner = (await pullAllAs(h.app, h.db, 'admin', 'tasks')).documents.filter((d) => d.id === alert?.id);
    expect(onOwner).toEqual([
      expect.objectContaining({
        title: message,
        status: 'open',
        priority: 'high',
        ownerId: ORG_USERS.admin.id,
        reminderAt: NOW.toISOString(),
      }),
    ]);
    expect(onOwner[0]?.subjectId).toBeUndefined();
    expect((await pullAllAs(h.app, h.db, 'repA1', 'tasks')).documents.map((d) => d.id)).not.toContain(alert?.id);
    expect(await rows(h.db, `SELECT device_id, actor_id FROM audit_log WHERE entity_id = '${alert?.id}'`)).toEqual([
      { device_id: 'webhooks', actor_id: ORG_USERS.admin.id },
    ]);
    expect(await send(down)).toBeUndefined(); // disabled: nothing leased, nothing fails

    // Enabled again, it fails twice more: disabled again, a second alert.
    const pulled = (await pullAllAs(h.app, h.db, 'admin', 'settings')).documents.find((d) => d.id === 'int_down');
    if (!pulled) throw new Error('the admin did not pull the integration');
    h.clock.now = later(60_000);
    const enabled = { ...pulled, status: 'active', errorMessage: undefined, updatedAt: h.clock.now.toISOString() };
    expect(
      (await pushAs(h.app, 'admin', 'settings', [{ assumedMasterState: pulled, newDocumentState: enabled as WireDoc }]))
        .status,
    ).toBe(200);
    await push('l_d4', 'l_d5');
    expect(await send(down)).toMatchObject({ status: 'failed' });
    expect(await send(down)).toMatchObject({ status: 'failed', disabled: true });
    expect((await alerts()).map((a) => a.owner_id)).toEqual([ORG_USERS.admin.id, ORG_USERS.admin.id]);
  });

  it('keeps a long alert whole: a 200-character title, the full message in the description', async () => {
    const name = 'N'.repeat(120);
    const h = await start([integration('int_long', 'http://127.0.0.1:9/hooks', { name })]);
    await pushAs(h.app, 'repA1', 'leads', [{ newDocumentState: leadDoc('l_long') }]);
    const reason = `connect ECONNREFUSED ${'x'.repeat(1200)}`;
    let n = 0;
    const delivery = await deliverIntegrationWebhook(h.db, {
      now: NOW,
      newId: () => `srv_long_${++n}`,
      disableAfter: 1,
      fetch: async () => {
        throw new Error(reason);
      },
    });
    expect(delivery).toMatchObject({ disabled: true });
    const [task] = await rows<{ title: string; description: string }>(
      h.db,
      "SELECT title, description FROM tasks WHERE title LIKE 'Webhook NNN%'",
    );
    expect(task?.title).toHaveLength(200);
    expect(task?.title.endsWith('…')).toBe(true);
    expect(task?.description).toBe(
      `Webhook ${name} disabled after 1 failed deliveries: ${reason.slice(0, 1000)}. Fix the endpoint and re-enable it.`,
    );
  });

  it("signs a workflow's webhook action under the server's workflow secret", async () => {
    if (!postgres) throw new Error('no Postgres backend');
    const hook = await receiver();
    const h = await startAutomation(await postgres.open(), [
      workflowDoc('wf_signed', { ...ROUTE_LEADS, actions: [{ type: 'webhook', url: hook.url }] }),
    ]);
    await pushAs(h.app, 'repA1', 'leads', [{ newDocumentState: leadDoc('l_signed') }]);
    expect((await h.worker().tickAndDrain()).webhooks).toEqual([expect.objectContaining({ status: 'sent' })]);
    const reply = await h.app.inject({
      method: 'GET',
      url: '/integrations/workflow-webhook-secret',
      headers: { 'x-user-id': ORG_USERS.admin.id },
    });
    const { secret } = reply.json() as { secret: string };
    expect(secret).toMatch(/^whsec_/);
    const call = hook.received[0];
    expect(verifyWebhookSignature(secret, call?.raw ?? '', String(call?.headers['x-fieldcrm-signature']), NOW)).toBe(
      true,
    );
    expect(
      (
        await h.app.inject({
          method: 'GET',
          url: '/integrations/workflow-webhook-secret',
          headers: { 'x-user-id': ORG_USERS.repA1.id },
        })
      ).statusCode,
    ).toBe(403);
  });

  it('delivers a record a workflow writes once, like a pushed one (a created task, to a task.created hook)', async () => {
    if (!postgres) throw new Error('no Postgres backend');
    const hook = await receiver();
    const h = await startAutomation(await postgres.open(), [workflowDoc('wf_tasks', ROUTE_LEADS)]);
    await seed(h.db, 'settings', [integration('int_tasks', hook.url, { events: ['task.created'] })]);
    const integrations = () =>
      new IntegrationsWorker({ db: h.db, now: () => h.clock.now, newId: () => 'srv_int_wf', webhooks: {} });
    await pushAs(h.app, 'repA1', 'leads', [{ newDocumentState: leadDoc('l_wf1') }]);
    await h.worker().tickAndDrain();
    // A second pass of the automation finds nothing left to run: still one task, one delivery.
    await h.worker().tickAndDrain();
    const tasks = await rows<{ id: string }>(h.db, "SELECT id FROM tasks WHERE subject_id = 'l_wf1'");
    expect(tasks).toHaveLength(1);
    expect((await integrations().deliverWebhooks()).map((d) => d.status)).toEqual(['sent']);
    expect(await integrations().deliverWebhooks()).toEqual([]);
    expect(hook.received).toHaveLength(1);
    expect(hook.received[0]?.body).toMatchObject({
      event: 'task.created',
      integrationId: 'int_tasks',
      record: { id: tasks[0]?.id, kind: 'task' },
      data: { subjectId: 'l_wf1', workflowId: 'wf_tasks' },
    });
  });

  it('delivers a record written through the public API once', async () => {
    const hook = await receiver();
    const h = await start([integration('int_api', hook.url, { events: ['lead.created'] })]);
    const key = await h.app.inject({
      method: 'POST',
      url: '/api-keys',
      headers: { 'content-type': 'application/json', 'x-user-id': ORG_USERS.admin.id },
      payload: JSON.stringify({
        name: 'Website',
        userId: ORG_USERS.admin.id,
        roleId: BUILT_IN_ROLE_IDS.admin,
        scopes: { '*': 'write' },
      }),
    });
    expect(key.statusCode, key.body).toBe(201);
    const made = await h.app.inject({
      method: 'POST',
      url: '/api/v1/lead',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${String(key.json().secret)}` },
      payload: JSON.stringify({ lastName: 'From the API', source: 'website' }),
    });
    expect(made.statusCode, made.body).toBe(201);
    expect((await h.worker().deliverWebhooks()).map((d) => d.status)).toEqual(['sent']);
    expect(await h.worker().deliverWebhooks()).toEqual([]);
    expect(hook.received.map((r) => r.body.event)).toEqual(['lead.created']);
    expect(hook.received[0]?.body).toMatchObject({ data: { lastName: 'From the API' } });
  });

  it('refuses bad requests to the delivery log, replay and secret', async () => {
    const h = await start([integration('int_x', 'https://example.com/hook')]);
    const asRep = await h.app.inject({
      method: 'GET',
      url: '/integrations/int_x/deliveries',
      headers: { 'x-user-id': ORG_USERS.repA1.id },
    });
    expect(asRep.statusCode).toBe(403);
    expect((await h.asAdmin('GET', '/integrations/int_x/deliveries?limit=0')).body).toMatchObject({ field: 'limit' });
    expect((await h.asAdmin('GET', '/integrations/int_x/deliveries?colour=red')).status).toBe(400);
    expect((await h.asAdmin('GET', '/integrations/int_x/deliveries?status=lost')).body).toMatchObject({
      field: 'status',
    });
    expect((await h.asAdmin('POST', '/integrations/deliveries/abc/replay')).status).toBe(400);
    expect((await h.asAdmin('POST', '/integrations/deliveries/999/replay')).status).toBe(404);
    expect((await h.asAdmin('GET', '/integrations/nope/webhook-secret')).status).toBe(404);
    const before = (await h.asAdmin<{ secret: string }>('GET', '/integrations/int_x/webhook-secret')).body.secret;
    const rotated = (await h.asAdmin<{ secret: string }>('POST', '/integrations/int_x/webhook-secret/rotate')).body
      .secret;
    expect(rotated).not.toBe(before);
    expect((await h.asAdmin<{ secret: string }>('GET', '/integrations/int_x/webhook-secret')).body.secret).toBe(
      rotated,
    );
  });
});
