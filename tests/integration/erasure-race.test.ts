import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPgDatabase, type Database, type Queryable } from '../../sync-server/src/db/database';
import { eraseSubject } from '../../sync-server/src/privacy/erasure.service';
import { ERASURE_LOCK } from '../../sync-server/src/privacy/erasure-lock';
import { type PushContext, push } from '../../sync-server/src/sync/push';
import { createMigratedTestDatabase } from '../support/migrated-databases';
import type { TestDatabase } from '../support/postgres';
import { doc, ORG_USERS, seedOrg } from './sync-scope-fixtures';

/**
 * A push racing an erasure (privacy/erasure-lock.ts), on real Postgres: the erasure guard looks
 * erased ids up before the push's transaction, so the two orders that slipped past it are forced
 * here with a wrapper around the database's `transaction` (no seam in the server's code):
 * - the erasure commits between the push's guard and its transaction;
 * - the push's transaction is open (its note written, not committed) while the erasure runs.
 * Either way the new note about the erased person must not stay live on the server.
 */

const REP = ORG_USERS.repA1.id;
const PERSON = 'c_a1';

let test: TestDatabase;
let db: Database;
beforeEach(async () => {
  test = await createMigratedTestDatabase('crm_erasure_race');
  db = createPgDatabase(test.url);
  await seedOrg(db);
});
afterEach(async () => {
  await db.close();
  await test.drop();
});

function context(): PushContext {
  let n = 0;
  return {
    userId: REP,
    access: { kind: 'unrestricted', userId: REP },
    now: () => new Date('2026-05-01T00:00:00.000Z'),
    newId: () => `srv_race_${++n}`,
  };
}

const note = doc('note', 'n_race', {
  ownerId: REP,
  createdBy: REP,
  updatedBy: REP,
  subjectType: 'contact',
  subjectId: PERSON,
  body: 'Alice asked for the Zentrix pricing again',
});

function erase(on: Database) {
  let n = 0;
  return eraseSubject(on, {
    subject: { kind: 'contact', id: PERSON },
    reason: 'Art. 17 request, race test',
    actorId: ORG_USERS.admin.id,
    now: () => new Date('2026-05-01T00:00:01.000Z'),
    newId: () => `srv_erase_${++n}`,
  });
}

async function stored(id: string) {
  const { rows } = await db.query<{ removed: boolean; body: string | null }>(
    'SELECT sync_removed AS removed, body FROM notes WHERE id = $1',
    [id],
  );
  return rows[0];
}

/** What some session waits for, once one does: `advisory <key>` or a lock type (pg_locks). */
async function firstWait(on: Queryable, ms = 10_000): Promise<string> {
  const until = Date.now() + ms;
  for (;;) {
    const { rows } = await on.query<{ locktype: string; objid: number | null }>(
      'SELECT locktype, objid FROM pg_locks WHERE NOT granted',
    );
    const [lock] = rows;
    if (lock) return lock.locktype === 'advisory' ? `advisory ${lock.objid}` : lock.locktype;
    if (Date.now() > until) return 'nobody waited';
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('a push racing an erasure', () => {
  it('refuses a new note when the erasure commits between the push guard and its transaction', async () => {
    let beforeFirstTransaction: (() => Promise<unknown>) | undefined = () => erase(db);
    const racing: Database = {
      ...db,
      query: (sql, params) => db.query(sql, params),
      transaction: async (fn) => {
        const hook = beforeFirstTransaction;
        beforeFirstTransaction = undefined;
        await hook?.();
        return db.transaction(fn);
      },
    };
    const result = await push(racing, 'activities', { rows: [{ newDocumentState: note }] }, context());
    expect(beforeFirstTransaction).toBeUndefined();
    expect(result.rejected).toEqual([
      { id: 'n_race', field: 'subjectId', reason: expect.stringMatching(/was erased on .*GDPR erasure/) },
    ]);
    // The guard's follow-up: a stripped tombstone, so the device's next pull removes its copy.
    const row = await stored('n_race');
    expect(row?.removed).toBe(true);
    expect(row?.body ?? '').not.toMatch(/Zentrix/);
  });

  it('makes the erasure wait for a push transaction in flight, and then removes what it wrote', async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered = () => {};
    const inside = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const holding: Database = {
      ...db,
      query: (sql, params) => db.query(sql, params),
      // The push's transaction has written the note; it commits only when the test says so.
      transaction: (fn) =>
        db.transaction(async (tx) => {
          const out = await fn(tx);
          entered();
          await gate;
          return out;
        }),
    };
    const pushing = push(holding, 'activities', { rows: [{ newDocumentState: note }] }, context());
    await inside;
    const erasing = erase(db);
    let first: string;
    try {
      first = await Promise.race([erasing.then(() => 'erasure finished'), firstWait(db)]);
    } finally {
      release();
    }
    expect((await pushing).rejected).toEqual([]);
    expect((await erasing).removed).toBeGreaterThanOrEqual(1);
    // It waited for the push on the erasure lock, before planning (without it, it planned past the
    // uncommitted note and at most waited for the audit chain).
    expect(first).toBe(`advisory ${ERASURE_LOCK}`);
    const row = await stored('n_race');
    expect(row?.removed).toBe(true);
    expect(row?.body ?? '').not.toMatch(/Zentrix/);
  });
});
