import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { engagementByContent, type Interaction } from '../../src-renderer/features/content/content-engagement';
import { engagementOf } from '../../src-shared/ai/lead-engagement';
import type { Database } from '../../sync-server/src/db/database';
import { NOW, rows } from './automation-fixtures';
import {
  doc,
  ORG_USERS,
  type OrgUser,
  pullAllAs,
  scopedHeaderAuthenticate,
  seed,
  seedOrg,
} from './sync-scope-fixtures';
import { BACKENDS, startServer } from './sync-server-fixtures';

const postgres = BACKENDS[0];
/** The longest id the registry allows: its token is longer than a Fastify path parameter may be. */
const LONG_ID = `l_${'x'.repeat(38)}`;

async function start(clock: { now: Date } = { now: NOW }) {
  if (!postgres) throw new Error('no Postgres backend');
  const db: Database = await postgres.open();
  let n = 0;
  const app = await startServer(db, {
    authenticate: scopedHeaderAuthenticate,
    now: () => clock.now,
    newId: () => `srv_t_${++n}`,
  });
  await seedOrg(db);
  const owner = { ownerId: ORG_USERS.repA1.id, createdBy: ORG_USERS.repA1.id, updatedBy: ORG_USERS.repA1.id };
  await seed(db, 'content', [
    doc('content', 'ct_guide', {
      ...owner,
      title: 'Buyer guide',
      type: 'whitepaper',
      status: 'published',
      url: 'https://www.example.com/guide.pdf',
    }),
    doc('content', 'ct_nourl', { ...owner, title: 'Internal deck', type: 'presentation' }),
  ]);
  await seed(db, 'leads', [
    doc('lead', 'l_a1', {
      ownerId: ORG_USERS.repA1.id,
      createdBy: ORG_USERS.repA1.id,
      updatedBy: ORG_USERS.repA1.id,
      lastName: 'Reader',
    }),
    doc('lead', LONG_ID, {
      ownerId: ORG_USERS.repA1.id,
      createdBy: ORG_USERS.repA1.id,
      updatedBy: ORG_USERS.repA1.id,
      lastName: 'Long',
    }),
  ]);
  return { db, app };
}

async function makeLink(app: FastifyInstance, user: OrgUser, body: Record<string, unknown>) {
  const reply = await app.inject({
    method: 'POST',
    url: '/integrations/tracking-links',
    headers: { 'x-user-id': ORG_USERS[user].id },
    payload: body,
  });
  return {
    status: reply.statusCode,
    body: reply.json() as { token: string; url: string; pixelUrl: string; field?: string },
  };
}

const interactions = (db: Database) =>
  rows<Record<string, unknown>>(
    db,
    'SELECT content_id, subject_type, subject_id, type, channel, owner_id, referrer FROM content_interactions ORDER BY id',
  );

describe('content tracking links (Postgres)', () => {
  it('records a click on the recipient and redirects to the content; devices pull the interaction', async () => {
    const h = await start();
    const link = await makeLink(h.app, 'repA1', {
      contentId: 'ct_guide',
      subjectType: 'lead',
      subjectId: 'l_a1',
      channel: 'email',
    });
    expect(link.status).toBe(200);
    expect(link.body.url).toMatch(/^http:\/\/localhost(:\d+)?\/t\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(link.body.token).not.toContain('l_a1'); // the ids are encoded and signed, never the link's visible path
    const opened = await h.app.inject({
      method: 'GET',
      url: `/t/${link.body.token}`,
      headers: { referer: 'https://mail.example.com/' },
    });
    expect([opened.statusCode, opened.headers.location]).toEqual([302, 'https://www.example.com/guide.pdf']);
    await h.app.inject({ method: 'GET', url: `/t/${link.body.token}` });
    expect(await interactions(h.db)).toEqual([
      {
        content_id: 'ct_guide',
        subject_type: 'lead',
        subject_id: 'l_a1',
        type: 'click',
        channel: 'email',
        owner_id: ORG_USERS.repA1.id,
        referrer: 'https://mail.example.com/',
      },
      {
        content_id: 'ct_guide',
        subject_type: 'lead',
        subject_id: 'l_a1',
        type: 'click',
        channel: 'email',
        owner_id: ORG_USERS.repA1.id,
        referrer: null,
      },
    ]);
    const long = await makeLink(h.app, 'repA1', {
      contentId: 'ct_guide',
      subjectType: 'lead',
      subjectId: LONG_ID,
      channel: 'x'.repeat(60),
    });
    expect((await h.app.inject({ method: 'GET', url: new URL(long.body.url).pathname })).statusCode).toBe(302);
    const pulled = await pullAllAs(h.app, h.db, 'repA1', 'activities');
    expect(pulled.documents.filter((d) => d.kind === 'contentInteraction')).toHaveLength(3);
  });

  it('answers a tampered, forged or malformed token with 404 and records nothing', async () => {
    const h = await start();
    const { token } = (
      await makeLink(h.app, 'repA1', { contentId: 'ct_guide', subjectType: 'lead', subjectId: 'l_a1' })
    ).body;
    const [payload = '', mac = ''] = token.split('.');
    const otherPayload = Buffer.from(JSON.stringify({ v: 1, c: 'ct_guide', s: 'lead', r: 'l_b' })).toString(
      'base64url',
    );
    const flip = (s: string) => (s.startsWith('A') ? `B${s.slice(1)}` : `A${s.slice(1)}`);
    for (const bad of [
      `${otherPayload}.${mac}`, // another recipient under this signature
      `${payload}.${flip(mac)}`,
      `${flip(payload)}.${mac}`,
      payload,
      `${payload}.${mac}.x`,
      'l_a1',
      'x'.repeat(1200),
      `${payload}.`,
    ]) {
      const reply = await h.app.inject({ method: 'GET', url: `/t/${encodeURIComponent(bad)}` });
      expect([bad, reply.statusCode, reply.headers.location]).toEqual([bad, 404, undefined]);
      const pixel = await h.app.inject({ method: 'GET', url: `/o/${encodeURIComponent(bad)}.gif` });
      expect([bad, pixel.statusCode, pixel.json()]).toEqual([
        bad,
        404,
        { error: 'not a genuine tracking link (malformed, or its signature does not match)' },
      ]);
    }
    expect((await h.app.inject({ method: 'GET', url: `/o/${token}` })).json()).toEqual({
      error: 'a tracking pixel ends in .gif',
    });
    expect(await interactions(h.db)).toEqual([]);
  });

  it('refuses links the caller may not make, and records nothing once the recipient is gone', async () => {
    const h = await start();
    // Rep B reads neither rep A1's content nor rep A1's lead; the manager of team A reads both.
    expect(
      (await makeLink(h.app, 'repB', { contentId: 'ct_guide', subjectType: 'lead', subjectId: 'l_a1' })).status,
    ).toBe(404);
    expect(
      (await makeLink(h.app, 'mgrA', { contentId: 'ct_guide', subjectType: 'lead', subjectId: 'l_a1' })).status,
    ).toBe(200);
    expect(
      (await makeLink(h.app, 'mgrA', { contentId: 'ct_guide', subjectType: 'lead', subjectId: 'l_b' })).body,
    ).toMatchObject({ field: 'subjectId' });
    expect(
      (await makeLink(h.app, 'repA1', { contentId: 'ct_nourl', subjectType: 'lead', subjectId: 'l_a1' })).body,
    ).toMatchObject({ field: 'contentId' });
    expect(
      (await makeLink(h.app, 'repA1', { contentId: 'ct_guide', subjectType: 'deal', subjectId: 'd_a1' })).body,
    ).toMatchObject({ field: 'subjectType' });
    expect(
      (await makeLink(h.app, 'repA1', { contentId: 'ct_guide', subjectType: 'lead', subjectId: 'l_a1', extra: 1 }))
        .status,
    ).toBe(400);
    const link = await makeLink(h.app, 'repA1', { contentId: 'ct_guide', subjectType: 'lead', subjectId: 'l_a1' });
    await h.db.query(`UPDATE leads SET is_deleted = true WHERE id = 'l_a1'`);
    expect((await h.app.inject({ method: 'GET', url: `/t/${link.body.token}` })).statusCode).toBe(404);
    const pixel = await h.app.inject({ method: 'GET', url: `/o/${link.body.token}.gif` });
    expect([pixel.statusCode, pixel.json()]).toEqual([
      404,
      { error: "the tracking link's content or recipient no longer exists" },
    ]);
    expect(await interactions(h.db)).toEqual([]);
  });

  it('records an open per pixel fetch, one per token per minute, that engagement and lead scoring count', async () => {
    const clock = { now: NOW };
    const h = await start(clock);
    const link = await makeLink(h.app, 'repA1', {
      contentId: 'ct_guide',
      subjectType: 'lead',
      subjectId: 'l_a1',
      channel: 'email',
    });
    expect(link.body).toMatchObject({ pixelUrl: `${link.body.url.replace('/t/', '/o/')}.gif` });
    const fetchPixel = () => h.app.inject({ method: 'GET', url: new URL(link.body.pixelUrl).pathname });
    const first = await fetchPixel();
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toBe('image/gif');
    expect(first.headers['cache-control']).toContain('no-store');
    expect(first.rawPayload.subarray(0, 6).toString('latin1')).toBe('GIF89a');
    // The mail client fetches it again within the minute (preview pane, reopening): one open.
    clock.now = new Date(NOW.getTime() + 59_000);
    expect((await fetchPixel()).statusCode).toBe(200);
    // Another recipient's token in the same minute is its own open.
    const other = await makeLink(h.app, 'repA1', {
      contentId: 'ct_guide',
      subjectType: 'lead',
      subjectId: LONG_ID,
      channel: 'email',
    });
    await h.app.inject({ method: 'GET', url: new URL(other.body.pixelUrl).pathname });
    clock.now = new Date(NOW.getTime() + 61_000);
    await fetchPixel();
    // The link's redirect is the click, beside the pixel's opens.
    await h.app.inject({ method: 'GET', url: `/t/${link.body.token}` });
    const recorded = await rows<{ subject_id: string; type: string; occurred_at: Date }>(
      h.db,
      'SELECT subject_id, type, occurred_at FROM content_interactions ORDER BY occurred_at, id',
    );
    expect(recorded.map((r) => [r.subject_id, r.type, r.occurred_at.toISOString()])).toEqual([
      ['l_a1', 'open', NOW.toISOString()],
      [LONG_ID, 'open', new Date(NOW.getTime() + 59_000).toISOString()],
      ['l_a1', 'open', new Date(NOW.getTime() + 61_000).toISOString()],
      ['l_a1', 'click', new Date(NOW.getTime() + 61_000).toISOString()],
    ]);

    // What devices pull is what the content library and lead scoring read.
    const pulled = (await pullAllAs(h.app, h.db, 'repA1', 'activities')).documents.filter(
      (d) => d.kind === 'contentInteraction',
    ) as unknown as Interaction[];
    const engagement = engagementByContent(pulled, clock.now).get('ct_guide');
    expect(engagement?.counts).toMatchObject({ opens: 3, clicks: 1 });
    const touches = pulled.filter((i) => i.subjectId === 'l_a1').map((i) => ({ occurredAt: i.occurredAt }));
    expect(engagementOf([], touches, clock.now).interactions).toBe(3);
  });
});
