import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntry } from '../../src-shared/audit/audit-changes';
import type { WireDoc } from '../../src-shared/sync/protocol';
import type { AuditPage } from '../../sync-server/src/audit/audit.service';
import { caughtUp } from '../support/sync-horizon';
import { startTestServer, type TestServer } from '../support/sync-server';
import { ORG_USERS, type OrgUser, pullAllAs, pushAs, scopedHeaderAuthenticate, seedOrg } from './sync-scope-fixtures';

/**
 * GET /audit against real Postgres: a manager reads the trail of their rep's deal (the device's
 * pushed entries and the server's own), a rep of another team reads nothing of it, a rep reads their
 * own, bad parameters are refused naming them, and a reassigned-away record's entries disappear.
 */

let server: TestServer;

const wire = (entry: Record<string, unknown>): WireDoc => ({ ...entry, _deleted: false }) as WireDoc;

const deviceEntry = (user: OrgUser, id: string, kind: string, recordId: string, at: string): WireDoc =>
  wire(
    auditEntry({ id, at: new Date(at), actorId: ORG_USERS[user].id, deviceId: `dev_${user}`, collection: `${kind}s` }, [
      { id: recordId, kind, action: 'update', changes: { name: ['Old', 'New'] } },
    ]),
  );

async function audit(
  user: OrgUser,
  query: string,
): Promise<{ status: number; body: AuditPage & { error?: string; field?: string } }> {
  const response = await server.app.inject({
    method: 'GET',
    url: `/audit${query}`,
    headers: { 'x-user-id': ORG_USERS[user].id },
  });
  return { status: response.statusCode, body: response.json() };
}

const ids = (page: AuditPage) => page.entries.map((e) => e.id);

async function current(user: OrgUser, collection: string, id: string): Promise<WireDoc> {
  const found = (await pullAllAs(server.app, server.db, user, collection)).documents.find((d) => d.id === id);
  if (!found) throw new Error(`${id} not found for ${user}`);
  return found;
}

beforeAll(async () => {
  server = await startTestServer('crm_audit', { authenticate: scopedHeaderAuthenticate });
  await seedOrg(server.db);
  // Rep A1 edits their deal on their device and syncs: the record, then the device's audit entries.
  const deal = await current('repA1', 'deals', 'd_a1');
  const edited = await pushAs(server.app, 'repA1', 'deals', [
    {
      newDocumentState: { ...deal, name: 'Renewal 2027', updatedAt: '2026-04-02T10:00:00.000Z' },
      assumedMasterState: deal,
    },
  ]);
  expect(edited.body).toEqual({ conflicts: [], rejected: [] });
  const pushed = await pushAs(server.app, 'repA1', 'audit', [
    { newDocumentState: deviceEntry('repA1', 'aud_a1_1', 'deal', 'd_a1', '2026-04-02T10:00:00.000Z') },
    { newDocumentState: deviceEntry('repA1', 'aud_a1_2', 'contact', 'c_a1', '2026-04-02T10:01:00.000Z') },
    {
      // A bulk write listing the rep's deal and contact: each record's trail shows only its own part.
      newDocumentState: wire(
        auditEntry(
          {
            id: 'aud_a1_batch',
            at: new Date('2026-04-02T10:02:00.000Z'),
            actorId: 'u_rep_a1',
            deviceId: 'dev_repA1',
            collection: 'deals',
          },
          [
            { id: 'c_a1', kind: 'contact', action: 'update', changes: { firstName: ['Alice', 'Alicia'] } },
            { id: 'd_a1', kind: 'deal', action: 'update', changes: { name: ['Renewal 2027', 'Renewal 2028'] } },
          ],
        ),
      ),
    },
  ]);
  expect(pushed.body).toEqual({ conflicts: [], rejected: [] });
  const other = await pushAs(server.app, 'repB', 'audit', [
    { newDocumentState: deviceEntry('repB', 'aud_b_1', 'lead', 'l_b', '2026-04-02T11:00:00.000Z') },
  ]);
  expect(other.body).toEqual({ conflicts: [], rejected: [] });
  await caughtUp(server.db);
}, 60_000);

afterAll(async () => {
  await server?.close();
});

describe('GET /audit', () => {
  it('a manager reads the trail of their rep’s deal: the device’s entries and the server’s, newest first', async () => {
    const { status, body } = await audit('mgrA', '?entityId=d_a1');
    expect(status).toBe(200);
    const sources = body.entries.map((e) => `${e.source}:${e.action}:${e.actorId}`);
    expect(sources).toContain('local:update:u_rep_a1');
    expect(sources).toContain('server:update:u_rep_a1');
    expect(ids(body)).toContain('aud_a1_1');
    expect(body.entries.every((e) => e.entityId === 'd_a1' && e.kind === 'auditLog' && e._deleted === false)).toBe(
      true,
    );
    const times = body.entries.map((e) => String(e.at));
    expect([...times].sort().reverse()).toEqual(times);
    // The bulk write is there, narrowed to the deal's change: the contact's is not the trail's.
    const batch = body.entries.find((e) => e.id === 'aud_a1_batch');
    expect(batch?.records).toEqual([
      { id: 'd_a1', kind: 'deal', action: 'update', changes: { name: ['Renewal 2027', 'Renewal 2028'] } },
    ]);
    expect(batch?.recordCount).toBe(1);
    // The seed's entries were written by the administrator: not the manager's team.
    expect(body.entries.some((e) => e.actorId === 'u_admin')).toBe(false);
  });

  it('a rep of another team, or another rep of the same team, gets nothing for it', async () => {
    for (const user of ['repB', 'mgrB', 'repA2'] as const) {
      const { status, body } = await audit(user, '?entityId=d_a1');
      expect(status, user).toBe(200);
      expect(body.entries, user).toEqual([]);
    }
    const global = await audit('repB', '');
    expect(global.body.entries.every((e) => e.actorId === 'u_rep_b')).toBe(true);
    expect(ids(global.body)).toContain('aud_b_1');
  });

  it('a rep reads their own record’s trail; an administrator reads everything', async () => {
    const mine = await audit('repA1', '?entityId=d_a1');
    expect(ids(mine.body)).toEqual(ids((await audit('mgrA', '?entityId=d_a1')).body));
    const admin = await audit('admin', '?entityId=d_a1');
    expect(admin.body.entries.some((e) => e.actorId === 'u_admin')).toBe(true);
    expect(admin.body.entries.length).toBeGreaterThan(mine.body.entries.length);
  });

  it('the global log filters by kind, action and actor, and pages newest first', async () => {
    const team = await audit('mgrA', '?entityKind=deal&actorId=u_rep_a1');
    expect(team.body.entries.length).toBeGreaterThan(0);
    expect(team.body.entries.every((e) => e.entityKind === 'deal' && e.actorId === 'u_rep_a1')).toBe(true);
    // A bulk write listing more than the caller reads in full is left out of the global log.
    expect(ids((await audit('mgrA', '')).body)).not.toContain('aud_a1_batch');
    expect(ids((await audit('admin', '?action=batch')).body)).toEqual(['aud_a1_batch']);
    expect(ids((await audit('mgrA', '')).body)).not.toContain('aud_b_1');

    const all = ids((await audit('admin', '')).body);
    const seen: string[] = [];
    let query = '?limit=2';
    for (let i = 0; i < 100; i++) {
      const page = await audit('admin', query);
      expect(page.status).toBe(200);
      seen.push(...ids(page.body));
      if (page.body.next === null) break;
      query = `?limit=2&before=${encodeURIComponent(page.body.next.before)}&beforeId=${page.body.next.beforeId}`;
    }
    expect(seen).toEqual(all);
    const since = await audit('admin', '?from=2026-04-02T10:01:00.000Z&before=2026-04-02T10:30:00.000Z');
    expect(ids(since.body).sort()).toEqual(['aud_a1_2', 'aud_a1_batch']);
  });

  it('refuses bad parameters with a 400 naming the parameter', async () => {
    const cases: Array<[string, string]> = [
      ['?entityID=d_a1', 'entityID'],
      ['?limit=0', 'limit'],
      ['?limit=5000', 'limit'],
      ['?limit=ten', 'limit'],
      ['?before=yesterday', 'before'],
      ['?from=2026-13-45', 'from'],
      ['?entityKind=widget', 'entityKind'],
      ['?action=edit', 'action'],
      ['?entityId=a%20b', 'entityId'],
      ['?entityId=d_a1&entityId=c_a1', 'entityId'],
      ['?entityId=', 'entityId'],
      ['?beforeId=x', 'beforeId'],
      ['?from=2026-04-03&before=2026-04-02', 'before'],
    ];
    for (const [query, field] of cases) {
      const { status, body } = await audit('mgrA', query);
      expect({ query, status, field: body.field }).toEqual({ query, status: 400, field });
      expect(body.error).toContain(field);
    }
    const anonymous = await server.app.inject({ method: 'GET', url: '/audit?entityId=d_a1' });
    expect(anonymous.statusCode).toBe(401);
  });

  it('entries of a record reassigned away disappear for its former owner', async () => {
    const contact = await current('mgrA', 'contacts', 'c_a1');
    expect(ids((await audit('repA1', '?entityId=c_a1')).body)).toContain('aud_a1_2');
    const moved = await pushAs(server.app, 'mgrA', 'contacts', [
      {
        newDocumentState: { ...contact, ownerId: ORG_USERS.repA2.id, updatedAt: '2026-04-03T09:00:00.000Z' },
        assumedMasterState: contact,
      },
    ]);
    expect(moved.body).toEqual({ conflicts: [], rejected: [] });
    await caughtUp(server.db);
    expect((await audit('repA1', '?entityId=c_a1')).body.entries).toEqual([]);
    expect(ids((await audit('repA1', '')).body)).not.toContain('aud_a1_2');
    // The manager still reads it: the record stayed in the team.
    expect(ids((await audit('mgrA', '?entityId=c_a1')).body)).toContain('aud_a1_2');
  });
});
