import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntry } from '../../src-shared/audit/audit-changes';
import { BUILT_IN_ROLE_IDS } from '../../src-shared/auth/built-in-roles';
import type { SubjectBundle } from '../../src-shared/privacy/subject-bundle';
import { REPORTS } from '../../src-shared/reports';
import { type Answer, asUser, injectJson, withKey } from '../support/inject-json';
import { startTestServer, type TestServer } from '../support/sync-server';
import { PERSON, seedPerson } from './gdpr-fixtures';
import { doc, ORG_USERS, scopedHeaderAuthenticate, seed, seedOrg } from './sync-scope-fixtures';

/**
 * Issue 3 beyond pull and push: a user of team A reaches no record of team B through any other
 * endpoint (the public API and GraphQL, the audit log through either, a person's access bundle),
 * by id or by query, and the answers for "not yours" and "not there" read alike.
 * Organisation (sync-scope-fixtures.ts): team A = u_mgr_a, u_rep_a1, u_rep_a2; team B = u_mgr_b, u_rep_b.
 */

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer('crm_cross_team', {
    authenticate: scopedHeaderAuthenticate,
    beforeListen: async (_app, db) => {
      await seedOrg(db);
      await seedPerson(db);
    },
  });
});
afterAll(async () => {
  await server?.close();
});

const call = (method: string, path: string, headers: Record<string, string>, payload?: unknown): Promise<Answer> =>
  injectJson(server.app, method, path, headers, payload);

async function createKey(userId: string, roleId: string, scopes: Record<string, string>): Promise<string> {
  const answer = await call('POST', '/api-keys', asUser(ORG_USERS.admin.id), {
    name: 'cross-team',
    userId,
    roleId,
    scopes,
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return String(answer.body.secret);
}

async function firstName(id: string): Promise<string | undefined> {
  const { rows } = await server.db.query<{ first_name: string }>('SELECT first_name FROM contacts WHERE id = $1', [id]);
  return rows[0]?.first_name;
}

describe('the public API: team B is as if it did not exist', () => {
  it('answers a team B record by id exactly as an id nobody holds, for reads, patches and deletes', async () => {
    for (const [user, role] of [
      [ORG_USERS.repA1.id, BUILT_IN_ROLE_IDS.rep],
      [ORG_USERS.mgrA.id, BUILT_IN_ROLE_IDS.manager],
    ] as const) {
      const key = await createKey(user, role, { '*': 'write' });
      for (const [method, payload] of [
        ['GET', undefined],
        ['PATCH', { firstName: 'Overwritten' }],
        ['DELETE', undefined],
      ] as const) {
        const hidden = await call(method, '/api/v1/contact/c_b', withKey(key), payload);
        const absent = await call(method, '/api/v1/contact/c_nobody', withKey(key), payload);
        expect(hidden.status, `${user} ${method}`).toBe(404);
        expect(absent.status, `${user} ${method}`).toBe(404);
        expect(hidden.body.error?.replace('c_b', 'ID'), `${user} ${method}`).toBe(
          absent.body.error?.replace('c_nobody', 'ID'),
        );
      }
    }
    expect(await firstName('c_b')).toBe('Secret-of-team-B');
    const { rows } = await server.db.query<{ is_deleted: boolean }>("SELECT is_deleted FROM contacts WHERE id = 'c_b'");
    expect(rows[0]?.is_deleted).toBe(false);
  });

  it('lists, filters and sorts find nothing of team B, even filtered on its owner or its values', async () => {
    const key = await createKey(ORG_USERS.mgrA.id, BUILT_IN_ROLE_IDS.manager, { '*': 'read' });
    for (const query of [
      'ownerId=u_rep_b',
      'firstName=Secret-of-team-B',
      'isDeleted=false&ownerId=u_rep_b',
      'sort=-id&limit=500',
    ]) {
      const answer = await call('GET', `/api/v1/contact?${query}`, withKey(key));
      expect(answer.status, query).toBe(200);
      const ids = (answer.body.data as { id: string }[]).map((r) => r.id);
      expect(ids, query).not.toContain('c_b');
    }
    const leads = await call('GET', '/api/v1/lead?ownerId=u_rep_b', withKey(key));
    expect(leads.body.data).toEqual([]);
    // A child of team B's lead follows its parent's owner.
    const activities = await call('GET', '/api/v1/leadActivity?leadId=l_b', withKey(key));
    expect(activities.body.data).toEqual([]);
  });

  it('refuses to write into team B: a record it owns, a child of its record, and nothing is stored', async () => {
    const key = await createKey(ORG_USERS.mgrA.id, BUILT_IN_ROLE_IDS.manager, { '*': 'write' });
    const givenAway = await call('POST', '/api/v1/contact', withKey(key), {
      id: 'c_planted',
      firstName: 'Planted',
      ownerId: ORG_USERS.repB.id,
    });
    expect(givenAway).toMatchObject({ status: 403, body: { field: 'ownerId' } });
    const child = await call('POST', '/api/v1/leadActivity', withKey(key), {
      id: 'la_planted',
      leadId: 'l_b',
      type: 'call',
      subject: 'Planted on team B',
      occurredAt: '2026-04-01T10:00:00.000Z',
    });
    expect(child.status, JSON.stringify(child.body)).toBe(403);
    const { rows } = await server.db.query<{ n: number }>(
      "SELECT (SELECT count(*) FROM contacts WHERE id = 'c_planted') + (SELECT count(*) FROM lead_activities WHERE id = 'la_planted') AS n",
    );
    expect(Number(rows[0]?.n)).toBe(0);
  });

  it('says an id of team B is taken without saying what holds it', async () => {
    const key = await createKey(ORG_USERS.repA1.id, BUILT_IN_ROLE_IDS.rep, { '*': 'write' });
    // la_b is team B's lead activity, in the same collection as notes.
    const taken = await call('POST', '/api/v1/note', withKey(key), {
      id: 'la_b',
      body: 'Mine',
      subjectType: 'contact',
      subjectId: 'c_a1',
    });
    expect(taken).toMatchObject({ status: 409, body: { field: 'id' } });
    expect(String(taken.body.error)).not.toMatch(/lead/i);
    // Pushed from a device: refused naming the field, and no more.
    const note = doc('note', 'la_b', {
      ownerId: ORG_USERS.repA1.id,
      createdBy: ORG_USERS.repA1.id,
      updatedBy: ORG_USERS.repA1.id,
    });
    const pushed = await call('POST', '/sync/activities/push', asUser(ORG_USERS.repA1.id), {
      rows: [{ newDocumentState: note }],
    });
    expect(pushed.body.rejected).toEqual([{ id: 'la_b', field: 'kind', reason: 'id la_b is taken' }]);
    // Their own record's kind is theirs to know.
    const own = await call('POST', '/api/v1/note', withKey(key), {
      id: 'sh_a1',
      body: 'Mine',
      subjectType: 'contact',
      subjectId: 'c_a1',
    });
    expect(own).toMatchObject({
      status: 409,
      body: { field: 'id', error: "record sh_a1 is a dealStageHistory; a record's kind never changes" },
    });
  });
});

describe('GraphQL: nesting never crosses into team B', () => {
  it('answers null for a reference to team B and leaves its records out of back references', async () => {
    const admin = await createKey(ORG_USERS.admin.id, BUILT_IN_ROLE_IDS.admin, { '*': 'write' });
    // Team A's deal names team B's contact; team B's deal names team A's contact.
    await seed(server.db, 'deals', [
      doc('deal', 'd_cross_a', { ownerId: ORG_USERS.repA1.id, contactId: 'c_b', name: 'A deal' }),
      doc('deal', 'd_cross_b', { ownerId: ORG_USERS.repB.id, contactId: 'c_a1', name: 'Team B secret deal' }),
    ]);
    const rep = await createKey(ORG_USERS.repA1.id, BUILT_IN_ROLE_IDS.rep, { '*': 'read' });
    const answer = await call('POST', '/api/v1/graphql', withKey(rep), {
      query: `{
        deal(id: "d_cross_a") { id contactId contact { id firstName deals { id name } } }
        contact(id: "c_a1") { deals { id name } }
        hidden: deal(id: "d_cross_b") { id }
        allDeals(limit: 100, filter: { contactId: "c_a1" }) { nodes { id } }
      }`,
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    const data = answer.body.data as {
      deal: { contactId: string; contact: unknown };
      contact: { deals: { id: string }[] };
      hidden: unknown;
      allDeals: { nodes: { id: string }[] };
    };
    expect(data.deal.contactId).toBe('c_b');
    expect(data.deal.contact).toBeNull();
    expect(data.contact.deals.map((d) => d.id)).not.toContain('d_cross_b');
    expect(data.hidden).toBeNull();
    expect(data.allDeals.nodes.map((d) => d.id)).not.toContain('d_cross_b');
    expect(JSON.stringify(answer.body)).not.toContain('Team B secret deal');
    expect(admin).toMatch(/^crm_/);
  });
});

describe('the audit log: the public API reads it as GET /audit does', () => {
  it('a record reassigned to team B takes its trail away from its former owner on both', async () => {
    await seed(server.db, 'contacts', [
      doc('contact', 'c_moved', {
        ownerId: ORG_USERS.repA2.id,
        createdBy: ORG_USERS.repA2.id,
        updatedBy: ORG_USERS.repA2.id,
        firstName: 'Moving',
      }),
    ]);
    const rep = await createKey(ORG_USERS.repA2.id, BUILT_IN_ROLE_IDS.rep, { '*': 'write' });
    const edit = await call('PATCH', '/api/v1/contact/c_moved', withKey(rep), { jobTitle: 'Buyer at team B' });
    expect(edit.status, JSON.stringify(edit.body)).toBe(200);
    const trail = async () => ({
      api: (await call('GET', '/api/v1/auditLog?entityId=c_moved', withKey(rep))).body.data as { entityId: string }[],
      audit: (await call('GET', '/audit?entityId=c_moved', asUser(ORG_USERS.repA2.id))).body.entries as unknown[],
    });
    const before = await trail();
    expect(before.api.map((e) => e.entityId)).toEqual(['c_moved']);
    expect(before.audit).toHaveLength(1);

    await server.db.query("UPDATE contacts SET owner_id = 'u_rep_b' WHERE id = 'c_moved'");
    const after = await trail();
    expect(after.audit).toEqual([]);
    expect(after.api).toEqual([]);
    const listed = await call('GET', '/api/v1/auditLog?limit=500', withKey(rep));
    expect((listed.body.data as { entityId: string }[]).map((e) => e.entityId)).not.toContain('c_moved');
    const graph = await call('POST', '/api/v1/graphql', withKey(rep), {
      query: '{ allAuditLog(limit: 100, filter: { entityId: "c_moved" }) { nodes { id changes } } }',
    });
    expect(graph.body.errors).toBeUndefined();
    expect(graph.body.data).toEqual({ allAuditLog: { nodes: [] } });
  });
});

describe('the audit log’s bulk entries', () => {
  it('stay hidden from a role that reads the whole log but no kind in full, on GET /audit and the API', async () => {
    // Team B's bulk import of two contacts: one entry listing both.
    const batch = auditEntry(
      { id: 'aud_b_import', at: new Date(), actorId: ORG_USERS.repB.id, deviceId: 'device-b', collection: 'contacts' },
      [
        { id: 'c_b', kind: 'contact', action: 'insert', changes: { firstName: [null, 'Secret-of-team-B'] } },
        { id: 'c_b_2', kind: 'contact', action: 'insert', changes: { firstName: [null, 'Imported-by-B'] } },
      ],
    );
    await seed(server.db, 'audit', [{ ...batch, _deleted: false } as never]);
    await seed(server.db, 'settings', [
      doc('userRole', 'role_trail', {
        name: 'Trail reader',
        // The whole trail, but of records only their own contacts (and nothing else).
        permissions: { auditLog: { read: 'all' }, contact: { read: 'own' } },
      }),
    ]);
    await seed(server.db, 'users', [
      doc('user', 'u_trail', { email: 'trail@example.com', roleId: 'role_trail', ownerId: 'u_trail' }),
    ]);
    const global = await call('GET', '/audit?limit=500', asUser('u_trail'));
    expect(global.status).toBe(200);
    expect(JSON.stringify(global.body)).not.toContain('aud_b_import');
    const byRecord = await call('GET', '/audit?entityId=c_b', asUser('u_trail'));
    expect(byRecord.body.entries).toEqual([]);
    const key = await createKey('u_trail', 'role_trail', { '*': 'read' });
    const listed = await call('GET', '/api/v1/auditLog?limit=500', withKey(key));
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).not.toContain('aud_b_import');
    // The administrator, who reads every contact, sees it.
    const admin = await call('GET', '/audit?limit=500', asUser(ORG_USERS.admin.id));
    expect(JSON.stringify(admin.body)).toContain('aud_b_import');
  });
});

describe('a person’s access bundle', () => {
  it('is refused to a role that reads every person and the trail but not every deal the bundle holds', async () => {
    await seed(server.db, 'settings', [
      doc('userRole', 'role_dpo', {
        name: 'Privacy officer',
        // Every record and the whole trail, but only their own deals.
        permissions: { '*': { read: 'all' }, deal: { read: 'own' } },
      }),
    ]);
    await seed(server.db, 'users', [
      doc('user', 'u_dpo', { email: 'dpo@example.com', roleId: 'role_dpo', ownerId: 'u_dpo' }),
    ]);
    const refused = await call('GET', `/privacy/subjects/contact/${PERSON.id}/export`, asUser('u_dpo'));
    expect(refused.status, JSON.stringify(refused.body).slice(0, 300)).toBe(403);
    expect(refused.body.error).toMatch(/deal/);
    expect(JSON.stringify(refused.body)).not.toContain('renewal');
    // The administrator still gets the whole bundle.
    const admin = await call('GET', `/privacy/subjects/contact/${PERSON.id}/export`, asUser(ORG_USERS.admin.id));
    expect(admin.status).toBe(200);
    expect((admin.body as unknown as SubjectBundle).records.deal?.map((d) => d.id)).toEqual(['d_gdpr']);
  });
});

describe('reports: aggregates count only what the key may read', () => {
  it('no report of a team A manager’s key holds a team B record, its amount or its id', async () => {
    const secretAmount = 987_654_321;
    await seed(server.db, 'deals', [
      doc('deal', 'd_b_big', { ownerId: ORG_USERS.repB.id, name: 'Team B whale', amount: secretAmount }),
    ]);
    const key = await createKey(ORG_USERS.mgrA.id, BUILT_IN_ROLE_IDS.manager, { '*': 'read' });
    for (const report of REPORTS) {
      for (const query of ['', '?ownerId=u_rep_b']) {
        const answer = await call('GET', `/api/v1/reports/${report.id}${query}`, withKey(key));
        expect(answer.status, `${report.id}${query} ${JSON.stringify(answer.body).slice(0, 200)}`).toBe(200);
        const text = JSON.stringify(answer.body);
        for (const secret of ['d_b_big', 'Team B whale', String(secretAmount), 'c_b', 'l_b', 'la_b']) {
          expect(text, `${report.id}${query}`).not.toContain(secret);
        }
      }
    }
  });
});

describe('a key narrower than its user', () => {
  it('reads only the entities it was granted, nested ones included, and writes none', async () => {
    await seed(server.db, 'deals', [doc('deal', 'd_narrow', { ownerId: ORG_USERS.admin.id, contactId: 'c_b' })]);
    const key = await createKey(ORG_USERS.admin.id, BUILT_IN_ROLE_IDS.admin, { deal: 'read' });
    expect((await call('GET', '/api/v1/deal/d_a1', withKey(key))).status).toBe(200);
    expect(await call('GET', '/api/v1/contact/c_a1', withKey(key))).toMatchObject({
      status: 403,
      body: { error: 'this API key may not read contact records' },
    });
    expect((await call('PATCH', '/api/v1/deal/d_a1', withKey(key), { name: 'Renamed' })).status).toBe(403);
    expect(
      (await call('POST', '/api/v1/deal', withKey(key), { name: 'New', ownerId: ORG_USERS.admin.id })).status,
    ).toBe(403);
    const nested = await call('POST', '/api/v1/graphql', withKey(key), {
      query: '{ deal(id: "d_narrow") { id contact { id firstName } } }',
    });
    expect(nested.status).toBe(200);
    expect(nested.body.data).toEqual({ deal: { id: 'd_narrow', contact: null } });
    expect(JSON.stringify(nested.body.errors)).toContain('may not read contact records');
    expect(JSON.stringify(nested.body)).not.toContain('Secret-of-team-B');
    const { rows } = await server.db.query<{ name: string }>("SELECT name FROM deals WHERE id = 'd_a1'");
    expect(rows[0]?.name).not.toBe('Renamed');
  });
});

describe('the administrators’ routes', () => {
  it('refuse a manager and a rep alike, whether or not what they name exists', async () => {
    const key = await call('POST', '/api-keys', asUser(ORG_USERS.admin.id), {
      name: 'target',
      userId: ORG_USERS.repB.id,
      roleId: BUILT_IN_ROLE_IDS.rep,
      scopes: { '*': 'read' },
    });
    const keyId = String((key.body.key as { id: string }).id);
    // Each route twice: naming something of team B that exists, and something that does not.
    const routes: [string, string, string, unknown?][] = [
      ['GET', '/api-keys', '/api-keys'],
      [
        'POST',
        '/api-keys',
        '/api-keys',
        { name: 'mine', userId: ORG_USERS.repB.id, roleId: BUILT_IN_ROLE_IDS.admin, scopes: { '*': 'write' } },
      ],
      ['POST', `/api-keys/${keyId}/revoke`, '/api-keys/key_nobody/revoke', {}],
      ['GET', '/auth/devices?userId=u_rep_b', '/auth/devices?userId=u_nobody'],
      ['GET', '/automation/runs?recordId=c_b', '/automation/runs?recordId=c_nobody'],
      ['GET', '/automation/jobs', '/automation/jobs?status=done'],
      ['POST', '/automation/jobs/1/retry', '/automation/jobs/999999/retry', {}],
      ['GET', '/integrations/workflow-webhook-secret', '/integrations/workflow-webhook-secret'],
      ['GET', '/privacy/subjects/contact/c_b/export', '/privacy/subjects/contact/c_nobody/export'],
      ['POST', '/privacy/subjects/contact/c_b/erase', '/privacy/subjects/contact/c_nobody/erase', { reason: 'asked' }],
    ];
    const keys = async () =>
      (await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM api_keys')).rows[0]?.n;
    const keysBefore = await keys();
    for (const user of [ORG_USERS.mgrA.id, ORG_USERS.repA1.id]) {
      for (const [method, existing, absent, body] of routes) {
        const one = await call(method, existing, asUser(user), body);
        const other = await call(method, absent, asUser(user), body);
        expect([user, existing, one.status], JSON.stringify(one.body)).toEqual([user, existing, 403]);
        expect(other, `${user} ${absent}`).toEqual(one);
      }
    }
    const devices = await call('POST', '/auth/devices/revoke', asUser(ORG_USERS.mgrA.id), {
      userId: ORG_USERS.repB.id,
      deviceId: 'device-b',
    });
    expect(devices.status).toBe(403);
    // Nothing was done: the key still works, no erasure, no new key.
    const { rows } = await server.db.query<{ revoked: number; erased: number }>(
      `SELECT (SELECT count(*) FROM api_keys WHERE revoked_at IS NOT NULL)::int AS revoked,
              (SELECT count(*) FROM erased_subjects)::int AS erased`,
    );
    expect(rows[0]).toEqual({ revoked: 0, erased: 0 });
    expect(await keys()).toBe(keysBefore);
    expect(await firstName('c_b')).toBe('Secret-of-team-B');
  });
});
