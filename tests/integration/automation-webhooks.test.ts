import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { leadDoc, NOW, ROUTE_LEADS, rows, startAutomation, workflowDoc } from './automation-fixtures';
import { pushAs } from './sync-scope-fixtures';
import { BACKENDS } from './sync-server-fixtures';

const postgres = BACKENDS[0];
if (!postgres) throw new Error('no Postgres backend');

interface Received {
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

/** A receiver on a free loopback port answering each call with the next status of `statuses` (then 200). */
async function receiver(statuses: number[]): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
    });
    request.on('end', () => {
      received.push({ headers: request.headers, body: JSON.parse(text) as Record<string, unknown> });
      response.statusCode = statuses.shift() ?? 200;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/crm-events`, received };
}

describe('the webhook action (Postgres)', () => {
  it('calls the receiver once the run committed, retries a refused call, and never calls twice', async () => {
    const hook = await receiver([503]);
    const h = await startAutomation(await postgres.open(), [
      workflowDoc('wf_hook', {
        ...ROUTE_LEADS,
        name: 'Tell finance',
        actions: [{ type: 'webhook', url: hook.url }],
      }),
    ]);
    await pushAs(h.app, 'repA1', 'leads', [{ newDocumentState: leadDoc('l_hook') }]);
    const first = await h.worker().tickAndDrain();
    expect(first.jobs).toEqual([expect.objectContaining({ outcome: 'planned' })]);
    expect(first.webhooks).toEqual([expect.objectContaining({ status: 'pending', responseStatus: 503 })]);
    expect(await rows(h.db, `SELECT actions FROM workflow_runs WHERE record_id = 'l_hook'`)).toEqual([
      { actions: [{ type: 'webhook', recordId: 'l_hook', result: 'queued' }] },
    ]);

    // Not again before the retry is due; then sent, by one of two workers.
    expect((await h.worker().deliverWebhooks()).length).toBe(0);
    h.clock.now = new Date(NOW.getTime() + 61_000);
    const [a, b] = await Promise.all([h.worker().deliverWebhooks(), h.worker().deliverWebhooks()]);
    expect([...(a ?? []), ...(b ?? [])]).toEqual([expect.objectContaining({ status: 'sent', responseStatus: 200 })]);
    expect(hook.received).toHaveLength(2);
    const call = hook.received[1];
    expect(call?.headers['x-fieldcrm-delivery']).toBe(String(call?.body.deliveryId));
    expect(call?.body).toMatchObject({
      workflowId: 'wf_hook',
      workflowName: 'Tell finance',
      event: 'created',
      period: null,
      record: { id: 'l_hook', kind: 'lead' },
      firedAt: NOW.toISOString(),
    });
    h.clock.now = new Date(NOW.getTime() + 86_400_000);
    expect(await h.worker().tickAndDrain()).toMatchObject({ jobs: [], webhooks: [] });
    expect(hook.received).toHaveLength(2);
  });

  it('queues no call for a run that failed', async () => {
    const hook = await receiver([]);
    const h = await startAutomation(await postgres.open(), [
      workflowDoc('wf_hook', {
        ...ROUTE_LEADS,
        actions: [
          { type: 'webhook', url: hook.url },
          { type: 'updateField', field: 'estimatedValue', value: 5 },
        ],
      }),
    ]);
    await pushAs(h.app, 'repA1', 'leads', [{ newDocumentState: leadDoc('l_nohook') }]);
    const round = await h.worker().tickAndDrain();
    expect(round.jobs).toEqual([expect.objectContaining({ outcome: 'failed' })]);
    expect(round.webhooks).toEqual([]);
    expect(await rows(h.db, 'SELECT 1 FROM automation_webhooks')).toEqual([]);
    expect(hook.received).toEqual([]);
  });
});
