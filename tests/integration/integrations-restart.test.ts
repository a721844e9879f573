import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../sync-server/src/app';
import { createPgDatabase, type Database } from '../../sync-server/src/db/database';
import { QUEUED_OUTCOME } from '../../sync-server/src/integrations/email-outbox';
import { IntegrationsWorker } from '../../sync-server/src/integrations/integrations.worker';
import { fakeModel } from '../support/fake-openai';
import { createMigratedTestDatabase } from '../support/migrated-databases';
import { localSmtp, until } from '../support/smtp';
import { doc, ORG_USERS, pushAs, scopedHeaderAuthenticate, seed, seedOrg } from './sync-scope-fixtures';

/**
 * Issue 8: slow external work runs on a durable queue in Postgres, so a server restart loses nothing.
 * Instance A takes a device's push of a lead (a webhook delivery), a queued email and a research
 * request while the webhook receiver, the SMTP server and the language model are all down; its
 * worker tries each once and fails; A is closed mid-way. The endpoints come back; instance B, a new
 * app on the same database, finishes every job, each exactly once. Real Postgres, real HTTP and SMTP
 * servers on loopback.
 */

const KEY = 'sk-restart-test-key';
const apps: FastifyInstance[] = [];
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  for (const close of closers.splice(0).reverse()) await close();
  vi.unstubAllEnvs();
});

/** A webhook receiver on loopback, answering 200; `port` reopens it where an earlier one listened. */
async function receiver(port = 0): Promise<{ port: number; bodies: unknown[]; close(): Promise<void> }> {
  const bodies: unknown[] = [];
  const server: Server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => {
      raw += chunk.toString('utf8');
    });
    request.on('end', () => {
      bodies.push(JSON.parse(raw));
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    bodies,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function instance(db: Database, clock: { now: Date }, name: string): FastifyInstance {
  let n = 0;
  const app = createApp({
    db,
    authenticate: scopedHeaderAuthenticate,
    now: () => clock.now,
    newId: () => `srv_${name}_${++n}`,
    automation: true,
  });
  apps.push(app);
  return app;
}

const owned = { ownerId: ORG_USERS.repA1.id, createdBy: ORG_USERS.repA1.id, updatedBy: ORG_USERS.repA1.id };

describe('a server restart loses no queued integration work (Postgres)', () => {
  it('finishes webhook, email and research jobs queued before the restart, each exactly once', async () => {
    // The three endpoints: ports taken, then closed (down while instance A runs).
    const [hook0, smtp0, model0] = [await receiver(), await localSmtp(), await fakeModel()];
    await Promise.all([hook0.close(), smtp0.close(), model0.close()]);
    vi.stubEnv('SMTP_HOST', '127.0.0.1');
    vi.stubEnv('SMTP_PORT', String(smtp0.port));
    vi.stubEnv('SMTP_FROM', 'crm@example.com');
    vi.stubEnv('RESEARCH_API_KEY', KEY);

    const pg = await createMigratedTestDatabase('crm_restart');
    closers.push(() => pg.drop());
    const dbA = createPgDatabase(pg.url);
    const clock = { now: new Date() };
    await seedOrg(dbA);
    await seed(dbA, 'settings', [
      doc('externalIntegration', 'int_hook', {
        name: 'Hook',
        provider: 'webhook',
        status: 'active',
        endpointUrl: `http://127.0.0.1:${hook0.port}/hook`,
        events: ['lead.created'],
        ...owned,
        ownerId: ORG_USERS.admin.id,
      }),
      doc('externalIntegration', 'int_llm', {
        name: 'Model',
        provider: 'openai',
        status: 'active',
        endpointUrl: model0.url,
        config: { model: 'fake-llm' },
        ...owned,
        ownerId: ORG_USERS.admin.id,
      }),
      doc('consent', 'cs_1', {
        ...owned,
        subjectType: 'contact',
        subjectId: 'c_a1',
        channel: 'email',
        status: 'granted',
        legalBasis: 'consent',
        source: 'web form',
        at: clock.now.toISOString(),
      }),
    ]);
    await seed(dbA, 'companies', [doc('company', 'co_a1', { ...owned, name: 'Acme Robotics' })]);

    const a = instance(dbA, clock, 'a');
    await a.ready();
    const at = clock.now.toISOString();
    const pushed = await Promise.all([
      pushAs(a, 'repA1', 'leads', [{ newDocumentState: doc('lead', 'l_new', { ...owned, lastName: 'Newman' }) }]),
      pushAs(a, 'repA1', 'activities', [
        {
          newDocumentState: doc('communication', 'cm_1', {
            ...owned,
            type: 'email',
            direction: 'outbound',
            status: 'scheduled',
            outcome: QUEUED_OUTCOME,
            subjectType: 'contact',
            subjectId: 'c_a1',
            contactId: 'c_a1',
            subject: 'Your quote',
            body: 'Hello Alice',
            toAddresses: ['alice@customer.example'],
            occurredAt: at,
          }),
        },
      ]),
      pushAs(a, 'repA1', 'research', [
        {
          newDocumentState: doc('companyResearch', 'rs_1', {
            ...owned,
            companyId: 'co_a1',
            title: 'Acme Robotics: account brief',
            summary: 'Acme Robotics.',
            source: 'ai',
            status: 'draft',
            insights: { request: { integrationId: 'int_llm', state: 'queued' } },
            researchedAt: at,
          }),
        },
      ]),
    ]);
    for (const p of pushed) expect([p.status, p.body.rejected ?? [], p.body.conflicts]).toEqual([200, [], []]);

    const attempts = async () =>
      (
        await dbA.query<{ job: string; attempts: number; status: string }>(
          `SELECT 'webhook' AS job, attempts, status FROM integration_deliveries
           UNION ALL SELECT 'email', attempts, status FROM email_sends
           UNION ALL SELECT 'research', attempts, status FROM research_jobs ORDER BY job`,
        )
      ).rows;
    // Instance A's worker tries each against an endpoint that is down; then A goes away mid-way.
    await until('a failed first attempt of every job', async () => {
      const rows = await attempts();
      return rows.length === 3 && rows.every((r) => r.attempts >= 1);
    });
    await a.close();
    await dbA.close();

    // The endpoints are back; instance B starts on the same database, later (the retries are due).
    const hook = await receiver(hook0.port);
    const smtp = await localSmtp(smtp0.port);
    const model = await fakeModel([], { port: Number(new URL(model0.url).port) });
    closers.push(hook.close, smtp.close, model.close);
    const dbB = createPgDatabase(pg.url);
    closers.push(() => dbB.close());
    clock.now = new Date(clock.now.getTime() + 3_600_000);
    const b = instance(dbB, clock, 'b');
    await b.ready();
    const done = async () =>
      (
        await dbB.query<{ job: string; status: string }>(
          `SELECT 'webhook' AS job, status FROM integration_deliveries
           UNION ALL SELECT 'email', status FROM email_sends
           UNION ALL SELECT 'research', status FROM research_jobs ORDER BY job`,
        )
      ).rows;
    await until('instance B to finish every job', async () =>
      (await done()).every((r) => r.status === 'sent' || r.status === 'done'),
    );
    expect(await done()).toEqual([
      { job: 'email', status: 'sent' },
      { job: 'research', status: 'done' },
      { job: 'webhook', status: 'sent' },
    ]);
    await b.close();

    // Once each: one delivery, one mail, one model call; another worker finds nothing left.
    const again = await new IntegrationsWorker({
      db: dbB,
      now: () => new Date(clock.now.getTime() + 86_400_000),
    }).runOnce();
    expect(again).toEqual({ webhooks: [], emails: [], research: [] });
    expect(hook.bodies).toMatchObject([{ event: 'lead.created', record: { id: 'l_new', kind: 'lead' } }]);
    expect(smtp.mails.map((m) => m.to)).toEqual([['alice@customer.example']]);
    expect(model.calls.map((c) => c.headers.authorization)).toEqual([`Bearer ${KEY}`]);
    const records = await dbB.query<{ id: string; status: string }>(
      `SELECT id, status FROM communications WHERE id = 'cm_1' UNION ALL SELECT id, status FROM company_research`,
    );
    expect(records.rows).toEqual([
      { id: 'cm_1', status: 'sent' },
      { id: 'rs_1', status: 'final' },
    ]);
  });
});
