import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Replication, startReplication } from '../../src-renderer/db/replication';
import { httpTransport } from '../../src-renderer/db/sync-transport';
import { BUILT_IN_ROLE_IDS } from '../../src-shared/auth/built-in-roles';
import { ENTITIES } from '../../src-shared/entities/registry';
import { createPgDatabase } from '../../sync-server/src/db/database';
import { type Answer, asUser, injectJson, withKey } from '../support/inject-json';
import { openTestDb, type TestDb } from '../support/local-db';
import { createTestDatabase } from '../support/postgres';
import { caughtUp } from '../support/sync-horizon';
import { startTestServer, type TestServer } from '../support/sync-server';
import { ORG_USERS, scopedHeaderAuthenticate, seedOrg } from './sync-scope-fixtures';
import { startServer } from './sync-server-fixtures';

/**
 * The public API (issue 8) against the real server on Postgres: keys made by an administrator,
 * acting under the same scope rules as sync (a rep's key sees the rep's records, a read-only key
 * cannot write, a revoked or expired one is refused), lists paged without duplicates or gaps,
 * filters and writes refused naming the field, writes audited with the key and pulled by a device.
 */

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer('crm_api', {
    authenticate: scopedHeaderAuthenticate,
    beforeListen: (_app, db) => seedOrg(db),
  });
});
afterAll(async () => {
  await server?.close();
});

const call = (method: string, path: string, headers: Record<string, string>, payload?: unknown): Promise<Answer> =>
  injectJson(server.app, method, path, headers, payload);

interface KeyInput {
  name?: string;
  userId: string;
  roleId: string;
  scopes: Record<string, string>;
  expiresAt?: string;
}

async function createKey(input: KeyInput): Promise<{ id: string; secret: string }> {
  const answer = await call('POST', '/api-keys', asUser(ORG_USERS.admin.id), { name: 'test key', ...input });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  const key = answer.body.key as { id: string };
  return { id: key.id, secret: String(answer.body.secret) };
}

const adminKey = () =>
  createKey({ userId: ORG_USERS.admin.id, roleId: BUILT_IN_ROLE_IDS.admin, scopes: { '*': 'write' } });

async function ids(secret: string, path: string): Promise<string[]> {
  const answer = await call('GET', path, withKey(secret));
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return (answer.body.data as { id: string }[]).map((r) => r.id).sort();
}

describe('API keys', () => {
  it('an administrator creates a key whose secret is shown once, stored hashed and audited; others may not', async () => {
    const created = await call('POST', '/api-keys', asUser(ORG_USERS.admin.id), {
      name: 'Warehouse sync',
      userId: ORG_USERS.repA1.id,
      roleId: BUILT_IN_ROLE_IDS.rep,
      scopes: { contact: 'read', deal: 'write' },
      expiresAt: '2099-01-01T00:00:00Z',
    });
    expect(created.status).toBe(201);
    const secret = String(created.body.secret);
    expect(secret).toMatch(/^crm_[A-Za-z0-9_-]{43}$/);
    const id = (created.body.key as { id: string }).id;

    const listed = await call('GET', '/api-keys', asUser(ORG_USERS.admin.id));
    const raw = JSON.stringify(listed.body);
    expect(raw).toContain(id);
    expect(raw).not.toContain(secret);
    const { rows } = await server.db.query<{ secret_hash: string }>('SELECT secret_hash FROM api_keys WHERE id = $1', [
      id,
    ]);
    expect(rows[0]?.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]?.secret_hash).not.toContain(secret.slice(4));

    const audit = await server.db.query<{ actor_id: string; action: string; changes: Record<string, unknown> }>(
      "SELECT actor_id, action, changes FROM audit_log WHERE entity_id = $1 AND entity_kind = 'apiKey'",
      [id],
    );
    expect(audit.rows).toEqual([expect.objectContaining({ actor_id: ORG_USERS.admin.id, action: 'insert' })]);
    expect(JSON.stringify(audit.rows)).not.toContain(secret);

    expect((await call('GET', '/api-keys', asUser(ORG_USERS.mgrA.id))).status).toBe(403);
    const byRep = await call('POST', '/api-keys', asUser(ORG_USERS.repA1.id), {
      name: 'mine',
      roleId: BUILT_IN_ROLE_IDS.admin,
      scopes: { '*': 'write' },
    });
    expect(byRep.status).toBe(403);
  });

  it('refuses a bad key definition naming the field', async () => {
    const bad = async (input: Record<string, unknown>) =>
      call('POST', '/api-keys', asUser(ORG_USERS.admin.id), {
        name: 'k',
        roleId: BUILT_IN_ROLE_IDS.rep,
        scopes: { contact: 'read' },
        ...input,
      });
    expect((await bad({ scopes: { contacts: 'read' } })).body).toMatchObject({ field: 'scopes.contacts' });
    expect((await bad({ scopes: { contact: 'admin' } })).body).toMatchObject({ field: 'scopes.contact' });
    expect((await bad({ scopes: {} })).body).toMatchObject({ field: 'scopes' });
    expect((await bad({ roleId: 'role_nope' })).body).toMatchObject({ field: 'roleId' });
    expect((await bad({ userId: 'u_nobody' })).body).toMatchObject({ field: 'userId' });
    expect((await bad({ expiresAt: '2001-01-01T00:00:00Z' })).body).toMatchObject({ field: 'expiresAt' });
    expect((await bad({ name: '' })).body).toMatchObject({ field: 'name' });
    expect((await bad({ secret: 'crm_mine' })).body).toMatchObject({ field: 'secret' });
    expect((await bad({ name: '' })).status).toBe(400);
  });

  it('refuses no key, an unknown key, a revoked key and an expired key', async () => {
    expect((await call('GET', '/api/v1/contact', {})).status).toBe(401);
    expect((await call('GET', '/api/v1/contact', withKey(`crm_${'x'.repeat(43)}`))).status).toBe(401);
    const key = await adminKey();
    expect((await call('GET', '/api/v1/contact', { 'x-api-key': key.secret })).status).toBe(200);

    const revoked = await call('POST', `/api-keys/${key.id}/revoke`, asUser(ORG_USERS.admin.id));
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    const refused = await call('GET', '/api/v1/contact', withKey(key.secret));
    expect(refused).toMatchObject({ status: 401, body: { error: 'the API key has been revoked' } });

    const expiring = await adminKey();
    expect((await call('GET', '/api/v1/contact', withKey(expiring.secret))).status).toBe(200);
    const { rows } = await server.db.query<{ last_used_at: Date | null }>(
      'SELECT last_used_at FROM api_keys WHERE id = $1',
      [expiring.id],
    );
    expect(rows[0]?.last_used_at).not.toBeNull();
    await server.db.query("UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1", [expiring.id]);
    const expired = await call('GET', '/api/v1/contact', withKey(expiring.secret));
    expect(expired.status).toBe(401);
    expect(expired.body.error).toMatch(/expired/);
  });
});

describe('scopes: the same rules as sync', () => {
  it('a read-only key reads but cannot write', async () => {
    const key = await createKey({
      userId: ORG_USERS.admin.id,
      roleId: BUILT_IN_ROLE_IDS.admin,
      scopes: { contact: 'read' },
    });
    expect(await ids(key.secret, '/api/v1/contact?limit=500')).toEqual(expect.arrayContaining(['c_a1', 'c_b']));
    const write = await call('POST', '/api/v1/contact', withKey(key.secret), { firstName: 'Nope' });
    expect(write.status).toBe(403);
    expect(write.body.error).toMatch(/may not create contact/);
    expect((await call('PATCH', '/api/v1/contact/c_a1', withKey(key.secret), { firstName: 'X' })).status).toBe(403);
    expect((await call('DELETE', '/api/v1/contact/c_a1', withKey(key.secret))).status).toBe(403);
    // An entity the key was not granted is not readable at all.
    expect((await call('GET', '/api/v1/deal', withKey(key.secret))).status).toBe(403);
  });

  it('a rep-role key sees only its user’s records, a manager’s its team’s', async () => {
    const rep = await createKey({
      userId: ORG_USERS.repA1.id,
      roleId: BUILT_IN_ROLE_IDS.rep,
      scopes: { '*': 'write' },
    });
    expect(await ids(rep.secret, '/api/v1/contact?ownerId=u_rep_a1')).toEqual(['c_a1']);
    const all = await ids(rep.secret, '/api/v1/contact?limit=500');
    expect(all).toContain('c_a1');
    expect(all).not.toContain('c_a2');
    expect(all).not.toContain('c_b');
    expect((await call('GET', '/api/v1/contact/c_b', withKey(rep.secret))).status).toBe(404);
    // Parent-owned records follow their parent's owner, as in a pull.
    expect(await ids(rep.secret, '/api/v1/dealProduct')).toEqual(['dp_a1']);
    // A rep may not give a record away, nor touch another's.
    const giveAway = await call('PATCH', '/api/v1/contact/c_a1', withKey(rep.secret), { ownerId: ORG_USERS.repB.id });
    expect(giveAway).toMatchObject({ status: 403, body: { field: 'ownerId' } });
    expect((await call('PATCH', '/api/v1/contact/c_b', withKey(rep.secret), { firstName: 'X' })).status).toBe(404);

    const manager = await createKey({
      userId: ORG_USERS.mgrA.id,
      roleId: BUILT_IN_ROLE_IDS.manager,
      scopes: { contact: 'read' },
    });
    const team = await ids(manager.secret, '/api/v1/contact?limit=500');
    expect(team).toEqual(expect.arrayContaining(['c_a1', 'c_a2']));
    expect(team).not.toContain('c_b');
  });

  it('a key never reaches beyond its user’s own role, whatever role it names', async () => {
    const key = await createKey({
      userId: ORG_USERS.repB.id,
      roleId: BUILT_IN_ROLE_IDS.admin,
      scopes: { '*': 'read' },
    });
    const seen = await ids(key.secret, '/api/v1/contact?limit=500');
    expect(seen).toContain('c_b');
    expect(seen).not.toContain('c_a1');
  });
});

describe('lists: pagination, filters, sort', () => {
  it('pages through every record once, in order, with no duplicates or gaps', async () => {
    const key = await adminKey();
    for (let i = 0; i < 23; i++) {
      const made = await call('POST', '/api/v1/company', withKey(key.secret), {
        name: `Paged ${String(i).padStart(2, '0')}`,
        employeeCount: i,
      });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
    }
    const { rows } = await server.db.query<{ id: string }>('SELECT id FROM companies WHERE NOT is_deleted');
    const expected = rows.map((r) => r.id).sort();
    for (const sort of ['newest', '-id', 'id']) {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = `/api/v1/company?limit=5&sort=${sort}${cursor ? `&cursor=${cursor}` : ''}`;
        const page = await call('GET', query, withKey(key.secret));
        expect(page.status, JSON.stringify(page.body)).toBe(200);
        seen.push(...(page.body.data as { id: string }[]).map((r) => r.id));
        cursor = page.body.nextCursor as string | null;
        pages++;
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      expect([...seen].sort()).toEqual(expected);
      expect(pages).toBe(Math.ceil(expected.length / 5));
      if (sort === 'id') expect(seen).toEqual(expected);
    }
    // A cursor of one sort is refused for another.
    const first = await call('GET', '/api/v1/company?limit=5&sort=id', withKey(key.secret));
    const wrong = await call(
      'GET',
      `/api/v1/company?sort=-id&cursor=${String(first.body.nextCursor)}`,
      withKey(key.secret),
    );
    expect(wrong).toMatchObject({ status: 400, body: { field: 'cursor' } });
  });

  it('filters by equality and by ranges on numbers and dates', async () => {
    const key = await adminKey();
    expect(await ids(key.secret, '/api/v1/contact?firstName=Alice')).toEqual(['c_a1']);
    const made = await call('POST', '/api/v1/deal', withKey(key.secret), {
      name: 'Ranged',
      amount: 123_456,
      expectedCloseDate: '2030-06-15',
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const id = String(made.body.id);
    expect(await ids(key.secret, '/api/v1/deal?amount[gte]=123456&amount[lt]=123457')).toEqual([id]);
    expect(
      await ids(key.secret, '/api/v1/deal?expectedCloseDate[gt]=2030-06-14&expectedCloseDate[lte]=2030-06-15'),
    ).toEqual([id]);
    expect(await ids(key.secret, '/api/v1/deal?expectedCloseDate[gt]=2030-06-15')).toEqual([]);
  });

  it('refuses bad list parameters naming them', async () => {
    const key = await adminKey();
    const bad = (query: string) => call('GET', `/api/v1/deal?${query}`, withKey(key.secret));
    expect(await bad('bogus=1')).toMatchObject({ status: 400, body: { field: 'bogus' } });
    expect(await bad('amount=lots')).toMatchObject({ status: 400, body: { field: 'amount' } });
    expect(await bad('amount[about]=1')).toMatchObject({ status: 400, body: { field: 'amount[about]' } });
    expect(await bad('name[gte]=a')).toMatchObject({ status: 400, body: { field: 'name[gte]' } });
    expect(await bad('stage=nowhere')).toMatchObject({ status: 400, body: { field: 'stage' } });
    expect(await bad('expectedCloseDate[lt]=tomorrow')).toMatchObject({
      status: 400,
      body: { field: 'expectedCloseDate[lt]' },
    });
    expect(await bad('tags=a')).toMatchObject({ status: 400, body: { field: 'tags' } });
    expect(await bad('limit=501')).toMatchObject({ status: 400, body: { field: 'limit' } });
    expect(await bad('sort=description')).toMatchObject({ status: 400, body: { field: 'sort' } });
    expect(await bad('cursor=garbage')).toMatchObject({ status: 400, body: { field: 'cursor' } });
    expect((await call('GET', '/api/v1/deals', withKey(key.secret))).status).toBe(404);
  });
});

describe('writes', () => {
  it('creates, patches and soft-deletes through the row writer, audited with the key', async () => {
    const key = await adminKey();
    const made = await call('POST', '/api/v1/contact', withKey(key.secret), {
      firstName: 'Grace',
      email: 'grace@example.com',
      ownerId: ORG_USERS.repA1.id,
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({
      firstName: 'Grace',
      status: 'active',
      createdBy: ORG_USERS.admin.id,
      isDeleted: false,
    });
    const id = String(made.body.id);

    const patched = await call('PATCH', `/api/v1/contact/${id}`, withKey(key.secret), {
      jobTitle: 'Admiral',
      email: null,
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.jobTitle).toBe('Admiral');
    expect(patched.body).not.toHaveProperty('email');

    const deleted = await call('DELETE', `/api/v1/contact/${id}`, withKey(key.secret));
    expect(deleted.body).toMatchObject({ isDeleted: true, deletedAt: expect.any(String) });
    expect((await call('DELETE', `/api/v1/contact/${id}`, withKey(key.secret))).body).toEqual(deleted.body);
    expect(await ids(key.secret, '/api/v1/contact?firstName=Grace')).toEqual([]);
    expect(await ids(key.secret, '/api/v1/contact?firstName=Grace&isDeleted=true')).toEqual([id]);

    const { rows } = await server.db.query<{ action: string; device_id: string; reason: string; source: string }>(
      'SELECT action, device_id, reason, source FROM audit_log WHERE entity_id = $1 ORDER BY at, id',
      [id],
    );
    expect(rows.map((r) => r.action)).toEqual(['insert', 'update', 'delete']);
    for (const row of rows) {
      expect(row).toMatchObject({
        device_id: `api-key:${key.id}`,
        source: 'server',
        reason: 'public API, key "test key"',
      });
    }
  });

  it('refuses invalid records naming the field, and unknown or server-set fields', async () => {
    const key = await adminKey();
    const post = (body: unknown) => call('POST', '/api/v1/contact', withKey(key.secret), body);
    expect(await post({ firstName: 'A', shoeSize: 43 })).toMatchObject({ status: 422, body: { field: 'shoeSize' } });
    expect(await post({ lastName: 'No first name' })).toMatchObject({ status: 422, body: { field: 'firstName' } });
    expect(await post({ firstName: 'A', email: 'not an email' })).toMatchObject({
      status: 422,
      body: { field: 'email' },
    });
    expect(await post({ firstName: 'A', status: 'maybe' })).toMatchObject({ status: 422, body: { field: 'status' } });
    expect(await post({ firstName: 'A', createdBy: ORG_USERS.repB.id })).toMatchObject({
      status: 400,
      body: { field: 'createdBy' },
    });
    expect(await post({ firstName: 'A', isDeleted: true })).toMatchObject({
      status: 400,
      body: { field: 'isDeleted' },
    });
    expect(await post([1, 2])).toMatchObject({ status: 400 });
    expect(await post({ firstName: 'A', id: 'c_a1' })).toMatchObject({ status: 409, body: { field: 'id' } });
    const patch = (body: unknown) => call('PATCH', '/api/v1/contact/c_a2', withKey(key.secret), body);
    expect(await patch({ firstName: null })).toMatchObject({ status: 422, body: { field: 'firstName' } });
    expect(await patch({ nickname: 'Art' })).toMatchObject({ status: 422, body: { field: 'nickname' } });
    expect(await patch({})).toMatchObject({ status: 400 });
    expect((await call('POST', '/api/v1/auditLog', withKey(key.secret), { action: 'insert' })).status).toBe(405);
    const { rows } = await server.db.query("SELECT 1 FROM contacts WHERE first_name = 'A'");
    expect(rows).toEqual([]);
  });

  it('a write made through the API reaches a rep’s device at its next pull', async () => {
    const userId = ORG_USERS.repA1.id;
    let seq = 0;
    const t: TestDb = await openTestDb({
      collections: ['contacts'],
      actor: () => ({ userId, deviceId: `dev-${userId}` }),
      newId: () => `${userId}-dev-${++seq}`,
    });
    let sync: Replication | undefined;
    try {
      sync = startReplication(t.db, httpTransport({ baseUrl: server.url, headers: () => ({ 'x-user-id': userId }) }), {
        batchSize: 100,
        retryTime: 200,
      });
      await sync.awaitInSync();
      const key = await createKey({ userId, roleId: BUILT_IN_ROLE_IDS.rep, scopes: { contact: 'write' } });
      const made = await call('POST', '/api/v1/contact', withKey(key.secret), { firstName: 'From the API' });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      await caughtUp(server.db);
      for (const state of sync.states.values()) state.reSync();
      await sync.awaitInSync();
      const onDevice = await t.repos.contact.get(String(made.body.id));
      expect(onDevice).toMatchObject({ firstName: 'From the API', ownerId: userId, createdBy: userId });
    } finally {
      await sync?.stop();
      await t.close();
    }
  });
});

describe('OpenAPI', () => {
  it('is a valid OpenAPI 3.1 document naming every entity of the registry', async () => {
    const answer = await call('GET', '/api/v1/openapi.json', {});
    expect(answer.status).toBe(200);
    const document = answer.body as {
      openapi: string;
      paths: Record<string, unknown>;
      components: { schemas: Record<string, unknown> };
    };
    expect(document.openapi).toBe('3.1.0');
    await SwaggerParser.validate(structuredClone(document) as never);
    for (const entity of ENTITIES.filter((e) => e.storage === 'document')) {
      const name = entity.name.charAt(0).toUpperCase() + entity.name.slice(1);
      expect(document.components.schemas, entity.name).toHaveProperty(name);
      expect(document.paths, entity.name).toHaveProperty([`/api/v1/${entity.name}`]);
      expect(document.paths, entity.name).toHaveProperty([`/api/v1/${entity.name}/{id}`]);
    }
  });
});

describe('GraphQL', () => {
  const query = (secret: string, text: string, variables?: Record<string, unknown>) =>
    call('POST', '/api/v1/graphql', withKey(secret), { query: text, ...(variables ? { variables } : {}) });

  it('answers lists, records and relations within the key’s scope', async () => {
    const admin = await adminKey();
    const company = await call('POST', '/api/v1/company', withKey(admin.secret), {
      name: 'Graph Co',
      ownerId: ORG_USERS.repA1.id,
    });
    const companyId = String(company.body.id);
    await call('PATCH', '/api/v1/contact/c_a1', withKey(admin.secret), { companyId });
    await call('PATCH', '/api/v1/contact/c_b', withKey(admin.secret), { companyId });
    await call('PATCH', '/api/v1/deal/d_a1', withKey(admin.secret), { companyId });

    const rep = await createKey({ userId: ORG_USERS.repA1.id, roleId: BUILT_IN_ROLE_IDS.rep, scopes: { '*': 'read' } });
    const answer = await query(
      rep.secret,
      `query($id: String!) {
        deal(id: $id) { name company { name contacts { id firstName } } }
        allContacts(limit: 50, filter: { firstName: "Alice" }) { nodes { id owner { id } } nextCursor }
      }`,
      { id: 'd_a1' },
    );
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    const data = answer.body.data as {
      deal: { company: { name: string; contacts: { id: string }[] } };
      allContacts: { nodes: { id: string; owner: { id: string } }[] };
    };
    expect(data.deal.company.name).toBe('Graph Co');
    // c_b hangs from the same company but belongs to team B: not visible to this key.
    expect(data.deal.company.contacts.map((c) => c.id)).toEqual(['c_a1']);
    expect(data.allContacts.nodes).toEqual([{ id: 'c_a1', owner: { id: ORG_USERS.repA1.id } }]);

    // Back references are read for all the companies at once, each company's page cut to its limit.
    const paged = await query(
      admin.secret,
      '{ allCompanies(limit: 100) { nodes { id contacts(limit: 1) { id companyId } } } }',
    );
    const nodes = (paged.body.data as { allCompanies: { nodes: { id: string; contacts: { companyId: string }[] }[] } })
      .allCompanies.nodes;
    expect(nodes.find((n) => n.id === companyId)?.contacts).toHaveLength(1);
    for (const node of nodes) {
      expect(node.contacts.length).toBeLessThanOrEqual(1);
      for (const contact of node.contacts) expect(contact.companyId).toBe(node.id);
    }

    const hidden = await query(rep.secret, '{ contact(id: "c_b") { id } }');
    expect((hidden.body.data as { contact: unknown }).contact).toBeNull();
    const badFilter = await query(rep.secret, '{ allDeals(filter: { stage: "nowhere" }) { nodes { id } } }');
    expect(JSON.stringify(badFilter.body.errors)).toMatch(/stage must be one of/);
    const mutation = await query(rep.secret, 'mutation { deleteDeal(id: "d_a1") }');
    expect(mutation.status).toBe(400);
  });

  it('refuses a query too deep or too costly, saying so', async () => {
    const key = await adminKey();
    const deep = await query(
      key.secret,
      '{ allContacts { nodes { company { contacts { company { contacts { company { contacts { id } } } } } } } } }',
    );
    expect(deep.status).toBe(400);
    expect(JSON.stringify(deep.body)).toMatch(/levels deep; at most 7/);
    expect(JSON.stringify(deep.body)).toContain('DEPTH_LIMIT_EXCEEDED');

    const costly = await query(
      key.secret,
      '{ allCompanies(limit: 100) { nodes { contacts(limit: 100) { id } deals(limit: 100) { id } } } }',
    );
    expect(costly.status).toBe(400);
    expect(JSON.stringify(costly.body)).toMatch(/could read 20100 records; at most 10000/);
    const viaVariable = await query(
      key.secret,
      'query($n: Int) { allCompanies(limit: $n) { nodes { contacts(limit: $n) { id } deals(limit: $n) { id } } } }',
      { n: 100 },
    );
    expect(viaVariable.status).toBe(400);
    const fine = await query(key.secret, '{ allCompanies(limit: 10) { nodes { contacts(limit: 10) { id } } } }');
    expect(fine.status).toBe(200);
  });
});

describe('reports', () => {
  it('computes a report on the key’s records with filters, and refuses bad parameters', async () => {
    const rep = await createKey({ userId: ORG_USERS.repA1.id, roleId: BUILT_IN_ROLE_IDS.rep, scopes: { '*': 'read' } });
    const listed = await call('GET', '/api/v1/reports', withKey(rep.secret));
    expect((listed.body.data as { id: string }[]).map((r) => r.id)).toContain('pipeline-stage');
    const report = await call('GET', '/api/v1/reports/pipeline-stage?currency=USD', withKey(rep.secret));
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    const rowIds = (report.body.rows as { ids: string[] }[]).flatMap((r) => r.ids);
    expect(rowIds).toContain('d_a1');
    const { rows } = await server.db.query<{ id: string }>('SELECT id FROM deals WHERE owner_id <> $1', [
      ORG_USERS.repA1.id,
    ]);
    for (const other of rows) expect(rowIds).not.toContain(other.id);
    expect(await call('GET', '/api/v1/reports/pipeline-stage?from=yesterday', withKey(rep.secret))).toMatchObject({
      status: 400,
      body: { field: 'from' },
    });
    expect(await call('GET', '/api/v1/reports/pipeline-stage?region=north', withKey(rep.secret))).toMatchObject({
      status: 400,
      body: { field: 'region' },
    });
    expect((await call('GET', '/api/v1/reports/nope', withKey(rep.secret))).status).toBe(404);
  });
});

describe('limits on a key', () => {
  it('a key of a user disabled since stops working', async () => {
    const key = await createKey({ userId: ORG_USERS.repA2.id, roleId: BUILT_IN_ROLE_IDS.rep, scopes: { '*': 'read' } });
    expect((await call('GET', '/api/v1/contact', withKey(key.secret))).status).toBe(200);
    await server.db.query("UPDATE users SET status = 'disabled' WHERE id = $1", [ORG_USERS.repA2.id]);
    try {
      const refused = await call('GET', '/api/v1/contact', withKey(key.secret));
      expect(refused).toMatchObject({ status: 403, body: { error: expect.stringMatching(/disabled/) } });
    } finally {
      await server.db.query("UPDATE users SET status = 'active' WHERE id = $1", [ORG_USERS.repA2.id]);
    }
  });

  it('counts each key’s requests per minute: over the limit, 429 with Retry-After', async () => {
    const test = await createTestDatabase('crm_api_limit');
    const db = createPgDatabase(test.url);
    try {
      const app = await startServer(db, { authenticate: scopedHeaderAuthenticate, rateLimits: { syncPerMinute: 3 } });
      await seedOrg(db);
      const made = await app.inject({
        method: 'POST',
        url: '/api-keys',
        headers: { 'content-type': 'application/json', ...asUser(ORG_USERS.admin.id) },
        payload: JSON.stringify({ name: 'busy', roleId: BUILT_IN_ROLE_IDS.admin, scopes: { '*': 'read' } }),
      });
      const secret = String((made.json() as { secret: string }).secret);
      const statuses: number[] = [];
      let retryAfter: unknown;
      for (let i = 0; i < 4; i++) {
        const answer = await app.inject({ method: 'GET', url: '/api/v1/contact', headers: withKey(secret) });
        statuses.push(answer.statusCode);
        retryAfter = answer.headers['retry-after'];
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
      expect(Number(retryAfter)).toBeGreaterThan(0);
      await app.close();
    } finally {
      await db.close();
      await test.drop();
    }
  });
});
