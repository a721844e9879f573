import { describe, expect, it } from 'vitest';
import type { Database } from '../../sync-server/src/db/database';
import { doc, ORG_USERS, pushAs, seed, startScopedServer } from './sync-scope-fixtures';
import { BACKENDS } from './sync-server-fixtures';

/**
 * A record's author is the server's to say (issue 7): a signed-in user who creates a record with
 * someone else's `createdBy` gets it written as their own (write-access.ts `authoredByCaller`),
 * on the batch path and the per-document fallback alike; an update may still not change the author;
 * the unrestricted seam (seeding) keeps what it sends.
 */

const REP = ORG_USERS.repA1.id;
const ADMIN = ORG_USERS.admin.id;

async function authorOf(db: Database, table: string, id: string) {
  const { rows } = await db.query<{ created_by: string; updated_by: string }>(
    `SELECT created_by, updated_by FROM ${table} WHERE id = $1`,
    [id],
  );
  return rows[0];
}

const forged = (id: string, overrides: Record<string, unknown> = {}) =>
  doc('note', id, {
    ownerId: REP,
    createdBy: ADMIN,
    updatedBy: REP,
    subjectType: 'contact',
    subjectId: 'c_a1',
    body: 'Written by the rep, claimed to be the admin’s',
    ...overrides,
  });

describe.each(BACKENDS.filter((b) => b.name === 'Postgres'))('createdBy on create, on $name', (backend) => {
  it('is the caller for a signed-in user, whatever the device sent; an update keeps it', async () => {
    const db = await backend.open();
    const app = await startScopedServer(db);
    const created = await pushAs(app, 'repA1', 'activities', [{ newDocumentState: forged('n_forged') }]);
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ rejected: [], conflicts: [] });
    expect(await authorOf(db, 'notes', 'n_forged')).toEqual({ created_by: REP, updated_by: REP });
    // The server audit entry of the create names the caller too.
    const audit = await db.query<{ actor_id: string }>(
      `SELECT actor_id FROM audit_log WHERE entity_id = 'n_forged' AND source = 'server'`,
    );
    expect(audit.rows.map((r) => r.actor_id)).toEqual([REP]);

    // An update (on the stored row) may not move authorship to anyone, the admin included.
    const stored = { ...forged('n_forged'), createdBy: REP };
    const moved = await pushAs(app, 'repA1', 'activities', [
      { newDocumentState: { ...stored, createdBy: ADMIN, body: 'edited' }, assumedMasterState: stored },
    ]);
    expect(moved.body.rejected).toEqual([
      { id: 'n_forged', field: 'createdBy', reason: expect.stringMatching(/must stay u_rep_a1/) },
    ]);

    // Administrators are signed-in users too: their creates are theirs.
    await pushAs(app, 'admin', 'activities', [{ newDocumentState: forged('n_admin', { createdBy: REP }) }]);
    expect((await authorOf(db, 'notes', 'n_admin'))?.created_by).toBe(ADMIN);
  });

  it('is the caller on the per-document fallback too, and the unrestricted seam keeps what it sends', async () => {
    const db = await backend.open();
    const app = await startScopedServer(db);
    // A value the database refuses (NUL in text) fails the batch transaction: the rest go one by one.
    const result = await pushAs(app, 'repA1', 'activities', [
      { newDocumentState: forged('n_fallback') },
      { newDocumentState: forged('n_nul', { body: 'bad \u0000 byte' }) },
    ]);
    expect(result.body.rejected.map((r) => r.id)).toEqual(['n_nul']);
    expect((await authorOf(db, 'notes', 'n_fallback'))?.created_by).toBe(REP);

    await seed(db, 'activities', [forged('n_seeded')]);
    expect((await authorOf(db, 'notes', 'n_seeded'))?.created_by).toBe(ADMIN);
  });
});
