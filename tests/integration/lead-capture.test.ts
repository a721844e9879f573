import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { WireDoc } from '../../src-shared/sync/protocol';
import { AutomationWorker } from '../../sync-server/src/automation/automation.service';
import type { Database } from '../../sync-server/src/db/database';
import { NOW, ROUTE_LEADS, rows, workflowDoc } from './automation-fixtures';
import { doc, ORG_USERS, pullAllAs, scopedHeaderAuthenticate, seed, seedOrg } from './sync-scope-fixtures';
import { BACKENDS, startServer } from './sync-server-fixtures';

const postgres = BACKENDS[0];

const SITE = 'https://www.example.com';

function form(id: string, config: Record<string, unknown> = {}, fields: Record<string, unknown> = {}): WireDoc {
  return doc('externalIntegration', id, {
    name: 'Contact us',
    provider: 'other',
    status: 'active',
    config: { type: 'leadCapture', allowedOrigins: [SITE], assignGroupId: 'g_a', campaign: 'Spring', ...config },
    ownerId: ORG_USERS.admin.id,
    createdBy: ORG_USERS.admin.id,
    updatedBy: ORG_USERS.admin.id,
    ...fields,
  });
}

/** A human's post: rendered 10 s before it was sent, honeypot empty. */
const human = (fields: Record<string, string>) => ({ _ts: String(NOW.getTime() - 10_000), website: '', ...fields });

async function start(forms: WireDoc[], workflows: WireDoc[] = []) {
  if (!postgres) throw new Error('no Postgres backend');
  const db: Database = await postgres.open();
  let n = 0;
  const app = await startServer(db, {
    authenticate: scopedHeaderAuthenticate,
    now: () => NOW,
    newId: () => `srv_lc_${++n}`,
  });
  await seedOrg(db);
  await seed(db, 'settings', [...forms, ...workflows]);
  const worker = () => new AutomationWorker({ db, now: () => NOW, newId: () => `srv_auto_${++n}` });
  return { app, db, worker };
}

interface PostOptions {
  origin?: string | null;
  ip?: string;
  encoding?: 'form' | 'json';
  accept?: string;
}

function postForm(app: FastifyInstance, key: string, body: Record<string, string>, options: PostOptions = {}) {
  const encoding = options.encoding ?? 'form';
  return app.inject({
    method: 'POST',
    url: `/capture/leads/${key}`,
    remoteAddress: options.ip ?? '203.0.113.7',
    headers: {
      // As a browser's fetch sends URLSearchParams.
      'content-type': encoding === 'form' ? 'application/x-www-form-urlencoded;charset=UTF-8' : 'application/json',
      ...(options.origin === null ? {} : { origin: options.origin ?? SITE }),
      ...(options.accept ? { accept: options.accept } : {}),
    },
    payload: encoding === 'form' ? new URLSearchParams(body).toString() : JSON.stringify(body),
  });
}

const leadsByEmail = (db: Database, email: string) =>
  rows<Record<string, unknown>>(
    db,
    `SELECT id, first_name, last_name, email, owner_id, source, campaign, utm_source, utm_medium, utm_campaign,
       source_detail, company_name, phone FROM leads WHERE lower(email) = lower($1) ORDER BY id`,
    [email],
  );

describe('lead capture (Postgres)', () => {
  it('turns a form post into an attributed lead, round-robin assigned, that devices pull', async () => {
    const h = await start([form('form_contact')]);
    const reply = await postForm(
      h.app,
      'form_contact',
      human({
        name: 'Ada King Lovelace',
        email: 'Ada@Example.org',
        company: 'Analytical Engines',
        message: 'Please call me',
        utm_source: 'newsletter',
        utm_medium: 'email',
        utm_campaign: 'spring-launch',
        utm_term: 'engines',
        page: 'https://www.example.com/pricing?plan=pro',
      }),
    );
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['access-control-allow-origin']).toBe(SITE);
    const [lead] = await leadsByEmail(h.db, 'ada@example.org');
    expect(lead).toMatchObject({
      first_name: 'Ada King',
      last_name: 'Lovelace',
      email: 'Ada@Example.org',
      owner_id: ORG_USERS.repA1.id, // team A's first turn
      source: 'website',
      campaign: 'spring-launch',
      utm_source: 'newsletter',
      utm_medium: 'email',
      utm_campaign: 'spring-launch',
      source_detail: 'https://www.example.com/pricing?plan=pro',
      company_name: 'Analytical Engines',
    });
    const activities = await rows<Record<string, unknown>>(
      h.db,
      'SELECT type, channel, metadata FROM lead_activities WHERE lead_id = $1',
      [lead?.id],
    );
    expect(activities).toEqual([
      {
        type: 'formSubmitted',
        channel: 'website',
        metadata: expect.objectContaining({ formId: 'form_contact', utmTerm: 'engines', page: expect.any(String) }),
      },
    ]);
    expect(await rows(h.db, `SELECT device_id FROM audit_log WHERE entity_id = $1`, [lead?.id])).toEqual([
      { device_id: 'lead-capture' },
    ]);
    // The assigned rep's device sees it at its next pull; the next post goes to the next member.
    const pulled = await pullAllAs(h.app, h.db, 'repA1', 'leads');
    expect(pulled.documents.map((d) => d.id)).toContain(lead?.id);
    await postForm(h.app, 'form_contact', human({ lastName: 'Hopper', email: 'grace@example.org' }), {
      encoding: 'json',
    });
    expect((await leadsByEmail(h.db, 'grace@example.org'))[0]).toMatchObject({
      owner_id: ORG_USERS.repA2.id,
      campaign: 'Spring',
    });
  });

  it('runs the lead routing workflows on a captured lead, as on any new lead', async () => {
    const h = await start(
      [form('form_plain', {}, { config: { type: 'leadCapture', allowedOrigins: [SITE] } })],
      [workflowDoc('wf_route', ROUTE_LEADS)],
    );
    await postForm(h.app, 'form_plain', human({ lastName: 'Routed', email: 'routed@example.org' }));
    expect((await leadsByEmail(h.db, 'routed@example.org'))[0]).toMatchObject({ owner_id: ORG_USERS.admin.id });
    const run = await h.worker().tickAndDrain();
    expect(run.jobs).toEqual([expect.objectContaining({ outcome: 'planned' })]);
    expect((await leadsByEmail(h.db, 'routed@example.org'))[0]).toMatchObject({ owner_id: ORG_USERS.repA1.id });
  });

  it('updates the known lead of an address instead of creating a duplicate, even when posted at once', async () => {
    const h = await start([form('form_contact')]);
    await postForm(h.app, 'form_contact', human({ lastName: 'Dup', email: 'dup@example.org', phone: '+15550100' }));
    const [first] = await leadsByEmail(h.db, 'dup@example.org');
    const again = await Promise.all(
      ['DUP@example.org', 'dup@example.org', 'Dup@Example.org'].map((email, i) =>
        postForm(
          h.app,
          'form_contact',
          human({ lastName: 'Other', email, phone: '+15550199', company: 'Filled later' }),
          {
            ip: `198.51.100.${i + 1}`,
          },
        ),
      ),
    );
    expect(again.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    const leads = await leadsByEmail(h.db, 'dup@example.org');
    expect(leads).toHaveLength(1);
    // What the lead had is kept; what it lacked is filled in.
    expect(leads[0]).toMatchObject({
      id: first?.id,
      last_name: 'Dup',
      phone: '+15550100',
      company_name: 'Filled later',
    });
    const activities = await rows(h.db, `SELECT type FROM lead_activities WHERE lead_id = $1`, [first?.id]);
    expect(activities).toHaveLength(4);
  });

  it('drops spam without writing: honeypot filled, posted too fast, no render time', async () => {
    const h = await start([form('form_contact')]);
    const before = await rows(h.db, 'SELECT count(*)::int AS n FROM leads');
    const bot = { lastName: 'Bot', email: 'bot@example.org' };
    const replies = await Promise.all([
      postForm(h.app, 'form_contact', human({ ...bot, website: 'http://spam.example' }), { ip: '192.0.2.1' }),
      postForm(h.app, 'form_contact', { ...bot, _ts: String(NOW.getTime() - 500) }, { ip: '192.0.2.2' }),
      postForm(h.app, 'form_contact', bot, { ip: '192.0.2.3' }),
      postForm(h.app, 'form_contact', { ...bot, _ts: String(NOW.getTime() + 60_000) }, { ip: '192.0.2.4' }),
    ]);
    // Answered like a success, so a bot learns nothing.
    expect(replies.map((r) => [r.statusCode, r.json()])).toEqual(Array(4).fill([200, { received: true }]));
    expect(await rows(h.db, 'SELECT count(*)::int AS n FROM leads')).toEqual(before);
    expect(await rows(h.db, `SELECT 1 FROM lead_activities WHERE type = 'formSubmitted'`)).toEqual([]);
  });

  it('refuses bad input naming the field, other sites, unknown or paused forms, floods and big bodies', async () => {
    const h = await start([form('form_contact'), form('form_paused', {}, { status: 'paused' })]);
    const bad = async (body: Record<string, string>, field: string) => {
      const reply = await postForm(h.app, 'form_contact', human(body), { ip: '192.0.2.50' });
      expect([reply.statusCode, reply.json()]).toEqual([400, expect.objectContaining({ field })]);
    };
    await bad({ lastName: 'No email' }, 'email');
    await bad({ lastName: 'Bad', email: 'not-an-address' }, 'email');
    await bad({ lastName: 'x'.repeat(101), email: 'long@example.org' }, 'lastName');
    await bad({ lastName: 'Phone', email: 'phone@example.org', phone: 'call me maybe' }, 'phone');
    await bad({ lastName: 'Title', email: 'title@example.org', jobTitle: 'x'.repeat(121) }, 'jobTitle');
    const other = await postForm(h.app, 'form_contact', human({ lastName: 'X', email: 'x@example.org' }), {
      origin: 'https://evil.example',
    });
    expect([other.statusCode, other.headers['access-control-allow-origin']]).toEqual([403, undefined]);
    expect((await postForm(h.app, 'form_nope', human({ lastName: 'X', email: 'x@example.org' }))).statusCode).toBe(404);
    expect((await postForm(h.app, 'form_paused', human({ lastName: 'X', email: 'x@example.org' }))).statusCode).toBe(
      404,
    );
    expect((await postForm(h.app, '../etc', human({ email: 'x@example.org' }))).statusCode).toBe(404);
    const big = await postForm(
      h.app,
      'form_contact',
      human({ email: 'big@example.org', message: 'x'.repeat(20_000) }),
      {
        ip: '192.0.2.60',
      },
    );
    expect(big.statusCode).toBe(413);
    // Ten a minute from one address (the 11th is refused), whatever it posts.
    const flood = [];
    for (let i = 0; i < 11; i++) {
      flood.push(
        (
          await postForm(h.app, 'form_contact', human({ lastName: 'F', email: `f${i}@example.org` }), {
            ip: '192.0.2.99',
          })
        ).statusCode,
      );
    }
    expect(flood.slice(0, 10)).toEqual(Array(10).fill(200));
    expect(flood[10]).toBe(429);
    expect(
      await rows(h.db, `SELECT count(*)::int AS n FROM leads WHERE email IN ('x@example.org', 'big@example.org')`),
    ).toEqual([{ n: 0 }]);
  });
});
