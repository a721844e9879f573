import { describe, expect, it, onTestFinished } from 'vitest';
import { BUILT_IN_ROLE_IDS } from '../../src-shared/auth/built-in-roles';
import type { PullResponse, PushResponse, WireDoc } from '../../src-shared/sync/protocol';
import { createApp } from '../../sync-server/src/app';
import { authRoutes } from '../../sync-server/src/auth/auth.routes';
import { setPasswordHash } from '../../sync-server/src/auth/credentials';
import { jwtAuthenticate } from '../../sync-server/src/auth/jwt-authenticate';
import { hashPassword } from '../../sync-server/src/auth/passwords';
import { migrate } from '../../sync-server/src/db/migrate';
import { caughtUp } from '../support/sync-horizon';
import { SECRET } from './auth-fixtures';
import {
  doc,
  idsOf,
  ORG_USERS,
  pullAllAs,
  pullAs,
  pushAs,
  seed,
  seedOrg,
  startScopedServer,
} from './sync-scope-fixtures';
import { BACKENDS, countRows, post } from './sync-server-fixtures';

/**
 * Record scope through the sync endpoints (DESIGN.md §6): pull serves only what the caller may read,
 * filtered before the LIMIT; push refuses per document what the caller may not write, with a reason,
 * and never answers a conflict with a record the caller may not see; reassignment evicts.
 */

const PASSWORD = 'a long enough password for a rep';

const edit = (d: WireDoc, changes: Record<string, unknown>) => ({
  ...d,
  ...changes,
  updatedAt: '2026-04-02T10:00:00.000Z',
});

describe.each(BACKENDS)('record scope on $name', (backend) => {
  it('pull serves each role its scope: a rep their own, a manager their team, an admin everything', async () => {
    const db = await backend.open();
    const app = await startScopedServer(db);
    const contacts = async (user: Parameters<typeof pullAllAs>[2]) =>
      idsOf((await pullAllAs(app, db, user, 'contacts')).documents);
    expect(await contacts('repA1')).toEqual(['c_a1']);
    expect(await contacts('repB')).toEqual(['c_b']);
    expect(await contacts('mgrA')).toEqual(['c_a1', 'c_a2']);
    expect(await contacts('mgrB')).toEqual(['c_b']);
    expect(await contacts('admin')).toEqual(['c_a1', 'c_a2', 'c_b']);
    // Children follow their parent's owner: the deal's stage history, not team B's lead activity.
    expect(idsOf((await pullAllAs(app, db, 'repA1', 'activities')).documents)).toEqual(['sh_a1']);
    expect(idsOf((await pullAllAs(app, db, 'repA1', 'deals')).documents)).toEqual(['d_a1', 'dp_a1']);
    expect(idsOf((await pullAllAs(app, db, 'repA2', 'deals')).documents)).toEqual([]);
    // Organisation settings are readable by everyone.
    expect(idsOf((await pullAllAs(app, db, 'repB', 'users')).documents)).toHaveLength(6);
  });

  it('filters before the limit: a page of one still finds the rep’s row behind other teams’ rows', async () => {
    const db = await backend.open();
    const app = await startScopedServer(db);
    await seed(
      db,
      'contacts',
      Array.from({ length: 40 }, (_, i) => doc('contact', `c_b_${i}`, { ownerId: ORG_USERS.repB.id })),
    );
    await seed(db, 'contacts', [doc('contact', 'c_a1_late', { ownerId: ORG_USERS.repA1.id })]);
    const { documents } = await pullAllAs(app, db, 'repA1', 'contacts', null, 1);
    expect(idsOf(documents)).toEqual(['c_a1', 'c_a1_late']);
    const first = await pullAs(app, 'repA1', 'contacts', null, 1);
    expect(first.body.documents.map((d) => d.id)).toEqual(['c_a1']);
  });

  it('push refuses per document what a rep may not write, with reasons, and accepts the rest', async () => {
    const db = await backend.open();
    const app = await startScopedServer(db);
    const mine = (await pullAllAs(app, db, 'repA1', 'contacts')).documents[0] as WireDoc;
    const theirs = (await pullAllAs(app, db, 'admin', 'contacts')).documents.find((d) => d.id === 'c_b') as WireDoc;
    const reply = await pushAs(app, 'repA1', 'contacts', [
      { newDocumentState: edit(mine, { lastName: 'Mine' }), assumedMasterState: mine },
      { newDocumentState: edit(theirs, { lastName: 'Hijacked' }), assumedMasterState: theirs },
      { newDocumentState: doc('contact', 'c_new_for_b', { ownerId: ORG_USERS.repB.id }) },
      { newDocumentState: doc('contact', 'c_new_mine', { ownerId: ORG_USERS.repA1.id }) },
    ]);
    expect(reply.status).toBe(200);
    expect(reply.body.conflicts).toEqual([]);
    expect(reply.body.rejected).toEqual([
      {
        id: 'c_b',
        field: 'ownerId',
        reason: 'the record belongs to another user; your role may update only your own contact records',
      },
      {
        id: 'c_new_for_b',
        field: 'ownerId',
        reason: 'the record belongs to another user; your role may create only your own contact records',
      },
    ]);
    const after = await pullAllAs(app, db, 'admin', 'contacts');
    const byId = new Map(after.documents.map((d) => [d.id, d]));
    expect(byId.get('c_a1')?.lastName).toBe('Mine');
    expect(byId.get('c_b')?.lastName).not.toBe('Hijacked');
    expect(byId.has('c_new_for_b')).toBe(false);
    expect(byId.has('c_new_mine')).toBe(true);
  });

  it('never answers a conflict with a record out of the caller’s scope', async () => {
    const db = await backend.open();
    const app = await startScopedServer(db);
    const theirs = (await pullAllAs(app, db, 'admin', 'contacts')).documents.find((d) => d.id === 'c_b') as WireDoc;
    // A stale or blind write to another team's record: without the scope check it would be a conflict
    // whose answer carries the record.
    const stale = { ...theirs, firstName: 'Guess' };
    const reply = await pushAs(app, 'repA1', 'contacts', [
      { newDocumentState: edit(theirs, { lastName: 'X' }), assumedMasterState: stale },
      { newDocumentState: doc('contact', 'c_b', { ownerId: ORG_USERS.repA1.id }) },
    ]);
    expect(reply.body.conflicts).toEqual([]);
    expect(reply.body.rejected.map((r) => r.id)).toEqual(['c_b', 'c_b']);
    expect(JSON.stringify(reply.body)).not.toContain('Secret-of-team-B');
  });

  it('assignment: a rep cannot give a record away; a manager moves it within the team only', async () => {
    const db = await backend.open();
    const app = await startScopedServer(db);
    const c = (await pullAllAs(app, db, 'mgrA', 'contacts')).documents.find((d) => d.id === 'c_a1') as WireDoc;
    const away = await pushAs(app, 'repA1', 'contacts', [
      { newDocumentState: edit(c, { ownerId: ORG_USERS.repA2.id }), assumedMasterState: c },
    ]);
    expect(away.body.rejected).toEqual([
      { id: 'c_a1', field: 'ownerId', reason: 'your role may assign contact records only to yourself' },
    ]);
    const outOfTeam = await pushAs(app, 'mgrA', 'contacts', [
      { newDocumentState: edit(c, { ownerId: ORG_USERS.repB.id }), assumedMasterState: c },
    ]);
    expect(outOfTeam.body.rejected).toEqual([
      { id: 'c_a1', field: 'ownerId', reason: 'your role may assign contact records only to your team' },
    ]);
    const within = await pushAs(app, 'mgrA', 'contacts', [
      { newDocumentState: edit(c, { ownerId: ORG_USERS.repA2.id }), assumedMasterState: c },
    ]);
    expect(within.body).toEqual({ conflicts: [], rejected: [] });
  });

  it('a rep cannot write another team’s children, nor organisation settings', async () => {
    const db = await backend.open();
    const app = await startScopedServer(db);
    const reply = await pushAs(app, 'repA1', 'activities', [
      { newDocumentState: doc('leadActivity', 'la_sneak', { ownerId: ORG_USERS.repA1.id, leadId: 'l_b' }) },
      { newDocumentState: doc('leadActivity', 'la_orphan', { ownerId: ORG_USERS.repA1.id, leadId: 'l_not_yet' }) },
    ]);
    expect(reply.body.rejected).toEqual([
      {
        id: 'la_sneak',
        field: 'leadId',
        reason:
          'the record leadId points to belongs to another user; your role may create only your own leadActivity records',
      },
    ]);
    const settings = await pushAs(app, 'repA1', 'settings', [
      { newDocumentState: doc('userRole', 'role_mine', { name: 'Mine', permissions: {}, isSystem: false }) },
    ]);
    expect(settings.body.rejected).toEqual([{ id: 'role_mine', reason: 'your role may not create userRole records' }]);
    expect(await countRows(db, 'user_roles')).toBe(3);
  });

  it('evicts a reassigned record and its children from the former owner’s devices, and gives them to the new owner', async () => {
    const db = await backend.open();
    const app = await startScopedServer(db);
    const a1Deals = await pullAllAs(app, db, 'repA1', 'deals');
    const a1Activities = await pullAllAs(app, db, 'repA1', 'activities');
    const a2Deals = await pullAllAs(app, db, 'repA2', 'deals');
    const deal = a1Deals.documents.find((d) => d.id === 'd_a1') as WireDoc;

    const moved = await pushAs(app, 'mgrA', 'deals', [
      {
        newDocumentState: edit(deal, { ownerId: ORG_USERS.repA2.id, name: 'After the move' }),
        assumedMasterState: deal,
      },
    ]);
    expect(moved.body).toEqual({ conflicts: [], rejected: [] });

    const gone = await pullAllAs(app, db, 'repA1', 'deals', a1Deals.checkpoint);
    expect(gone.documents.map((d) => [d.id, d._deleted])).toEqual([
      ['d_a1', true],
      ['dp_a1', true],
    ]);
    // The removal carries the record as the former owner last saw it, never what came after.
    expect(JSON.stringify(gone.documents)).not.toContain('After the move');
    const goneActivities = await pullAllAs(app, db, 'repA1', 'activities', a1Activities.checkpoint);
    expect(goneActivities.documents.map((d) => [d.id, d._deleted])).toEqual([['sh_a1', true]]);

    const arrived = await pullAllAs(app, db, 'repA2', 'deals', a2Deals.checkpoint);
    expect(arrived.documents.map((d) => [d.id, d._deleted]).sort()).toEqual([
      ['d_a1', false],
      ['dp_a1', false],
    ]);
    // The manager sees it move inside the team: no removal, the new state.
    const manager = await pullAllAs(app, db, 'mgrA', 'deals');
    expect(manager.documents.filter((d) => d.id === 'd_a1').map((d) => [d._deleted, d.ownerId])).toEqual([
      [false, ORG_USERS.repA2.id],
    ]);
    // Once pulled, the eviction is not served again.
    expect((await pullAllAs(app, db, 'repA1', 'deals', gone.checkpoint)).documents).toEqual([]);
  });

  it('a wider reach pulls afresh: a rep made manager receives the team’s records their checkpoint had passed', async () => {
    const db = await backend.open();
    const app = await startScopedServer(db);
    const before = await pullAllAs(app, db, 'repA1', 'contacts');
    expect(idsOf(before.documents)).toEqual(['c_a1']);
    const user = (await pullAllAs(app, db, 'admin', 'users')).documents.find((d) => d.id === ORG_USERS.repA1.id);
    const promoted = await pushAs(app, 'admin', 'users', [
      {
        newDocumentState: edit(user as WireDoc, { roleId: BUILT_IN_ROLE_IDS.manager }),
        assumedMasterState: user as WireDoc,
      },
    ]);
    expect(promoted.body).toEqual({ conflicts: [], rejected: [] });
    const after = await pullAllAs(app, db, 'repA1', 'contacts', before.checkpoint);
    expect(idsOf(after.documents)).toEqual(['c_a1', 'c_a2']);
  });

  it('a narrower reach evicts: a manager whose rep leaves the team drops the rep’s records, then pulls as usual', async () => {
    const db = await backend.open();
    const app = await startScopedServer(db);
    const before = await pullAllAs(app, db, 'mgrA', 'contacts');
    expect(idsOf(before.documents)).toEqual(['c_a1', 'c_a2']);
    const settings = await pullAllAs(app, db, 'admin', 'settings');
    const membership = settings.documents.find((d) => d.id === 'm_a2') as WireDoc;
    const left = await pushAs(app, 'admin', 'settings', [
      {
        newDocumentState: edit(membership, { isDeleted: true, deletedAt: '2026-04-02T10:00:00.000Z' }),
        assumedMasterState: membership,
      },
    ]);
    expect(left.body).toEqual({ conflicts: [], rejected: [] });

    const after = await pullAllAs(app, db, 'mgrA', 'contacts', before.checkpoint);
    expect(after.documents.map((d) => [d.id, d._deleted]).sort()).toEqual([
      ['c_a1', false],
      ['c_a2', true],
    ]);
    // The transition is over: the next pull serves only new changes, under a settled checkpoint.
    expect(after.checkpoint?.epoch).not.toContain('~');
    expect((await pullAllAs(app, db, 'mgrA', 'contacts', after.checkpoint)).documents).toEqual([]);
    // The rep who left still has their own records.
    expect(idsOf((await pullAllAs(app, db, 'repA2', 'contacts')).documents)).toEqual(['c_a2']);
  });

  it('a role with less reach evicts what the old role could read: an admin made rep keeps only their own', async () => {
    const db = await backend.open();
    const app = await startScopedServer(db);
    await seed(db, 'contacts', [doc('contact', 'c_admin', { ownerId: ORG_USERS.admin.id })]);
    const before = await pullAllAs(app, db, 'admin', 'contacts');
    expect(idsOf(before.documents)).toEqual(['c_a1', 'c_a2', 'c_admin', 'c_b']);
    const users = await pullAllAs(app, db, 'admin', 'users');
    const me = users.documents.find((d) => d.id === ORG_USERS.admin.id) as WireDoc;
    const demoted = await pushAs(app, 'admin', 'users', [
      { newDocumentState: edit(me, { roleId: BUILT_IN_ROLE_IDS.rep }), assumedMasterState: me },
    ]);
    expect(demoted.body).toEqual({ conflicts: [], rejected: [] });
    const after = await pullAllAs(app, db, 'admin', 'contacts', before.checkpoint);
    expect(after.documents.map((d) => [d.id, d._deleted]).sort()).toEqual([
      ['c_a1', true],
      ['c_a2', true],
      ['c_admin', false],
      ['c_b', true],
    ]);
  });

  it('refuses a disabled or unknown user on pull and push, even with a valid identity', async () => {
    const db = await backend.open();
    const app = await startScopedServer(db);
    const user = (await pullAllAs(app, db, 'admin', 'users')).documents.find((d) => d.id === ORG_USERS.repB.id);
    const disabled = await pushAs(app, 'admin', 'users', [
      { newDocumentState: edit(user as WireDoc, { status: 'disabled' }), assumedMasterState: user as WireDoc },
    ]);
    expect(disabled.body).toEqual({ conflicts: [], rejected: [] });
    const pull = await pullAs(app, 'repB', 'contacts');
    expect(pull.status).toBe(403);
    expect(pull.body).toEqual({ error: 'your user account is disabled: ask an administrator' });
    const push = await pushAs(app, 'repB', 'contacts', [{ newDocumentState: doc('contact', 'c_x') }]);
    expect(push.status).toBe(403);
    expect(await countRows(db, 'contacts')).toBe(3);
  });
});

describe('record scope for a signed-in rep (bearer token, Postgres)', () => {
  it('a rep signed in with a password reads and writes only their own records through every sync endpoint', async () => {
    const db = await BACKENDS[0]?.open();
    if (!db) throw new Error('no Postgres backend');
    await migrate(db);
    await seedOrg(db);
    await setPasswordHash(db, ORG_USERS.repA1.id, await hashPassword(PASSWORD), new Date());
    const app = createApp({ db, authenticate: jwtAuthenticate(SECRET) });
    authRoutes(app, { db, secret: SECRET });
    onTestFinished(() => app.close());

    const login = await post<{ accessToken: string }>(app, '/auth/login', {
      email: `${ORG_USERS.repA1.id}@example.com`,
      password: PASSWORD,
    });
    expect(login.status).toBe(200);
    const bearer = { authorization: `Bearer ${login.body.accessToken}` };
    await caughtUp(db);
    const pull = await post<PullResponse>(app, '/sync/contacts/pull', { checkpoint: null, limit: 100 }, bearer);
    expect(pull.body.documents.map((d) => d.id)).toEqual(['c_a1']);
    const deals = await post<PullResponse>(app, '/sync/activities/pull', { checkpoint: null, limit: 100 }, bearer);
    expect(deals.body.documents.map((d) => d.id)).toEqual(['sh_a1']);
    const push = await post<PushResponse>(
      app,
      '/sync/contacts/push',
      { rows: [{ newDocumentState: doc('contact', 'c_b', { ownerId: ORG_USERS.repA1.id, firstName: 'Mine now' }) }] },
      bearer,
    );
    expect(push.body.rejected.map((r) => [r.id, r.field])).toEqual([['c_b', 'ownerId']]);
    expect(JSON.stringify(push.body)).not.toContain('Secret-of-team-B');
    // Without a token nothing is served at all.
    expect((await post(app, '/sync/contacts/pull', { checkpoint: null, limit: 100 })).status).toBe(401);
  });
});
