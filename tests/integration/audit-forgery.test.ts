import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntry, type RecordChange } from '../../src-shared/audit/audit-changes';
import type { WireDoc } from '../../src-shared/sync/protocol';
import { startTestServer, type TestServer } from '../support/sync-server';
import { ORG_USERS, type OrgUser, pullAllAs, pushAs, scopedHeaderAuthenticate, seedOrg } from './sync-scope-fixtures';

/**
 * A device adds audit entries about its own writes (built-in-roles.ts); the trail is evidence only
 * if it cannot be forged. Pushed as a signed-in user, an entry must name its pusher as actor and
 * owner, say it came from a device, and describe only records its pusher may see, or wrote or owned
 * before (a record reassigned away while their entries were on the way). Refused entries are not
 * written; the rest of the batch is.
 */

let server: TestServer;

const wire = (entry: Record<string, unknown>): WireDoc => ({ ...entry, _deleted: false }) as WireDoc;

function entry(
  user: OrgUser,
  id: string,
  changes: readonly RecordChange[],
  overrides: Record<string, unknown> = {},
): WireDoc {
  const stamp = {
    id,
    at: new Date('2026-04-02T10:00:00.000Z'),
    actorId: ORG_USERS[user].id,
    deviceId: 'dev',
    collection: 'contacts',
  };
  return wire({ ...auditEntry(stamp, changes), ...overrides });
}

const change = (id: string, kind = 'contact'): RecordChange => ({
  id,
  kind,
  action: 'update',
  changes: { firstName: ['Before', 'After'] },
});

const push = (user: OrgUser, entries: WireDoc[]) =>
  pushAs(
    server.app,
    user,
    'audit',
    entries.map((e) => ({ newDocumentState: e })),
  );

/** The entries on the server (the audit collection is push-only). */
async function storedIds(): Promise<string[]> {
  const { rows } = await server.db.query<{ id: string }>('SELECT id FROM audit_log');
  return rows.map((r) => r.id);
}

beforeAll(async () => {
  server = await startTestServer('crm_audit_forgery', { authenticate: scopedHeaderAuthenticate });
  await seedOrg(server.db);
}, 60_000);

afterAll(async () => {
  await server?.close();
});

describe('audit entries pushed by a signed-in user (real Postgres)', () => {
  it('refuses an entry that names another user as its actor, naming actorId; the honest one in the batch is written', async () => {
    const honest = entry('repA1', 'aud_honest', [change('c_a1')]);
    const forged = entry('repA1', 'aud_forged_actor', [change('c_a1')], { actorId: ORG_USERS.mgrA.id });
    const { status, body } = await push('repA1', [honest, forged]);
    expect(status).toBe(200);
    expect(body.rejected).toEqual([
      { id: 'aud_forged_actor', field: 'actorId', reason: expect.stringContaining('u_rep_a1') },
    ]);
    const stored = await storedIds();
    expect(stored).toContain('aud_honest');
    expect(stored).not.toContain('aud_forged_actor');
  });

  it('refuses an administrator’s entry in another user’s name too, and one owned by someone else', async () => {
    const forged = entry('admin', 'aud_admin_as_rep', [change('c_b')], {
      actorId: ORG_USERS.repB.id,
      ownerId: ORG_USERS.repB.id,
      createdBy: ORG_USERS.repB.id,
    });
    const handedOver = entry('admin', 'aud_admin_owner', [change('c_b')], { ownerId: ORG_USERS.repB.id });
    const { body } = await push('admin', [forged, handedOver]);
    expect(body.rejected.map((r) => [r.id, r.field])).toEqual([
      ['aud_admin_as_rep', 'actorId'],
      ['aud_admin_owner', 'ownerId'],
    ]);
  });

  it('refuses an entry claiming to be the server’s own, naming source', async () => {
    const { body } = await push('repA1', [entry('repA1', 'aud_as_server', [change('c_a1')], { source: 'server' })]);
    expect(body.rejected).toEqual([{ id: 'aud_as_server', field: 'source', reason: expect.any(String) }]);
  });

  it('refuses an entry about another team’s record, single or in a bulk entry, naming the field', async () => {
    const single = entry('repA1', 'aud_other_team', [change('c_b')]);
    const bulk = entry('repA1', 'aud_bulk_other_team', [change('c_a1'), change('l_b', 'lead')]);
    const { body } = await push('repA1', [single, bulk]);
    expect(body.rejected.map((r) => [r.id, r.field])).toEqual([
      ['aud_other_team', 'entityId'],
      ['aud_bulk_other_team', 'records'],
    ]);
    // Nothing about team B's records reached the trail, and their names are not in the reasons.
    expect(JSON.stringify(body.rejected)).not.toContain('Secret-of-team-B');
    const stored = await storedIds();
    expect(stored).not.toContain('aud_other_team');
    expect(stored).not.toContain('aud_bulk_other_team');
  });

  it('refuses the same forgeries when the batch falls back to one transaction per entry', async () => {
    // A value the database refuses (NUL in text) fails the batch transaction: the rest go one by one.
    const { body } = await push('repA1', [
      entry('repA1', 'aud_fallback_honest', [change('c_a1')]),
      entry('repA1', 'aud_fallback_actor', [change('c_a1')], { actorId: ORG_USERS.mgrA.id }),
      entry('repA1', 'aud_fallback_server', [change('c_a1')], { source: 'server' }),
      entry('repA1', 'aud_fallback_other_team', [change('c_b')]),
      entry('repA1', 'aud_fallback_nul', [change('c_a1')], { reason: 'bad \u0000 byte' }),
    ]);
    expect(body.rejected.map((r) => [r.id, r.field])).toEqual([
      ['aud_fallback_actor', 'actorId'],
      ['aud_fallback_server', 'source'],
      ['aud_fallback_other_team', 'entityId'],
      ['aud_fallback_nul', undefined],
    ]);
    expect(body.rejected[3]?.reason).toMatch(/refused by the database/);
    const stored = await storedIds();
    expect(stored).toContain('aud_fallback_honest');
    for (const id of ['aud_fallback_actor', 'aud_fallback_server', 'aud_fallback_other_team', 'aud_fallback_nul']) {
      expect(stored).not.toContain(id);
    }
  });

  it('accepts entries about a record not on the server yet, and about one reassigned away that the pusher wrote or owned', async () => {
    const contact = async (id: string) => {
      const found = (await pullAllAs(server.app, server.db, 'admin', 'contacts')).documents.find((d) => d.id === id);
      if (!found) throw new Error(`${id} not seeded`);
      return found;
    };
    const write = async (user: OrgUser, id: string, changes: Record<string, unknown>, updatedAt: string) => {
      const current = await contact(id);
      const { body } = await pushAs(server.app, user, 'contacts', [
        { newDocumentState: { ...current, ...changes, updatedAt }, assumedMasterState: current },
      ]);
      expect(body).toEqual({ conflicts: [], rejected: [] });
    };
    // Manager A edits rep A2's contact; then rep A1's and rep A2's contacts are handed to team B.
    await write('mgrA', 'c_a2', { firstName: 'Arthur J.' }, '2026-04-02T09:00:00.000Z');
    await write('admin', 'c_a2', { ownerId: ORG_USERS.repB.id }, '2026-04-02T09:30:00.000Z');
    await write('admin', 'c_a1', { ownerId: ORG_USERS.repB.id }, '2026-04-02T09:31:00.000Z');

    // Their entries arrive after: the records are no longer theirs to see, but the edit and the ownership were.
    const wrote = await push('mgrA', [entry('mgrA', 'aud_mgr_wrote', [change('c_a2')])]);
    expect(wrote.body).toEqual({ conflicts: [], rejected: [] });
    const owned = await push('repA1', [
      entry('repA1', 'aud_rep_owned', [change('c_a1')]),
      entry('repA1', 'aud_offline_new', [change('c_new_offline')]),
    ]);
    expect(owned.body).toEqual({ conflicts: [], rejected: [] });
    // Rep A1 neither wrote nor owned c_a2: the same entry from them is refused.
    const other = await push('repA1', [entry('repA1', 'aud_not_mine', [change('c_a2')])]);
    expect(other.body.rejected.map((r) => [r.id, r.field])).toEqual([['aud_not_mine', 'entityId']]);
    expect(other.body.rejected[0]?.reason).toMatch(/may not see and never wrote or owned/);
  });

  it('a replayed accepted entry changes nothing', async () => {
    const again = entry('repA1', 'aud_honest', [change('c_a1')]);
    const { body } = await push('repA1', [again]);
    expect(body).toEqual({ conflicts: [], rejected: [] });
  });
});
