import { describe, expect, it } from 'vitest';
import type { WireDoc } from '../../src-shared/sync/protocol';
import type { Database } from '../../sync-server/src/db/database';
import { leadDoc, ROUTE_LEADS, rows, workflowDoc } from './automation-fixtures';
import { doc, ORG_USERS, pushAs, scopedHeaderAuthenticate, startScopedServer } from './sync-scope-fixtures';
import { BACKENDS, startServer } from './sync-server-fixtures';

/**
 * A push batch reads the active workflows and webhooks once, in its own transaction
 * (webhook-outbox.ts `readListeners`), never from a copy kept by the server instance: a workflow or
 * webhook saved through another instance of the server applies to the very next push, and one
 * switched off there applies to none. Each write queues its job and delivery with its row, once.
 */

const postgres = BACKENDS[0];
if (!postgres) throw new Error('no Postgres backend');

const hook = (id: string, fields: Record<string, unknown> = {}): WireDoc =>
  doc('externalIntegration', id, {
    name: `Hook ${id}`,
    provider: 'webhook',
    status: 'active',
    endpointUrl: 'http://127.0.0.1:9/hooks',
    events: ['lead.created'],
    ownerId: ORG_USERS.admin.id,
    createdBy: ORG_USERS.admin.id,
    updatedBy: ORG_USERS.admin.id,
    ...fields,
  });

const created = (d: WireDoc) => ({ newDocumentState: d });

async function queued(db: Database) {
  return {
    jobs: await rows<{ workflow_id: string; record_id: string; event: string }>(
      db,
      'SELECT workflow_id, record_id, event FROM automation_jobs ORDER BY record_id, workflow_id',
    ),
    deliveries: await rows<{ integration_id: string; record_id: string; event: string }>(
      db,
      'SELECT integration_id, record_id, event FROM integration_deliveries ORDER BY record_id, integration_id',
    ),
  };
}

describe('push: workflows and webhooks as the writing transaction sees them (two server instances, Postgres)', () => {
  it('queues for what another instance switched on just before, nothing for what it switched off, once', async () => {
    const db = await postgres.open();
    const a = await startScopedServer(db);
    let n = 0;
    const b = await startServer(db, { authenticate: scopedHeaderAuthenticate, newId: () => `srv_b_${++n}` });

    // Nothing listens yet: a lead pushed through A queues nothing.
    expect((await pushAs(a, 'repA1', 'leads', [created(leadDoc('l_before'))])).status).toBe(200);
    expect(await queued(db)).toEqual({ jobs: [], deliveries: [] });

    // B saves a workflow and a webhook; the next batch through A queues both for each new lead, with
    // the lead a workflow does not apply to (a referral) still delivered.
    const workflow = workflowDoc('wf_route', ROUTE_LEADS);
    expect((await pushAs(b, 'admin', 'settings', [created(workflow), created(hook('int_hook'))])).body).toEqual({
      conflicts: [],
      rejected: [],
    });
    const batch = [leadDoc('l_web'), leadDoc('l_referral', ORG_USERS.repA1.id, { source: 'referral' })];
    expect((await pushAs(a, 'repA1', 'leads', batch.map(created))).body).toEqual({ conflicts: [], rejected: [] });
    const both = {
      jobs: [
        { workflow_id: 'wf_route', record_id: 'l_referral', event: 'created' },
        { workflow_id: 'wf_route', record_id: 'l_web', event: 'created' },
      ],
      deliveries: [
        { integration_id: 'int_hook', record_id: 'l_referral', event: 'lead.created' },
        { integration_id: 'int_hook', record_id: 'l_web', event: 'lead.created' },
      ],
    };
    expect(await queued(db)).toEqual(both);

    // The same batch again (a retried request) queues nothing more.
    expect((await pushAs(a, 'repA1', 'leads', batch.map(created))).body).toEqual({ conflicts: [], rejected: [] });
    expect(await queued(db)).toEqual(both);

    // B switches both off; A's next push queues nothing for them.
    const off = [
      { newDocumentState: { ...workflow, active: false }, assumedMasterState: workflow },
      { newDocumentState: hook('int_hook', { status: 'paused' }), assumedMasterState: hook('int_hook') },
    ];
    expect((await pushAs(b, 'admin', 'settings', off)).body).toEqual({ conflicts: [], rejected: [] });
    expect((await pushAs(a, 'repA1', 'leads', [created(leadDoc('l_after'))])).status).toBe(200);
    expect(await queued(db)).toEqual(both);
  });
});
