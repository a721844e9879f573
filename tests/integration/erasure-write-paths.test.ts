import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_IN_ROLE_IDS } from '../../src-shared/auth/built-in-roles';
import type { Database, Queryable } from '../../sync-server/src/db/database';
import { eraseSubject } from '../../sync-server/src/privacy/erasure.service';
import { ERASURE_LOCK } from '../../sync-server/src/privacy/erasure-lock';
import { startTestServer, type TestServer } from '../support/sync-server';
import { ORG_USERS, scopedHeaderAuthenticate, seedOrg } from './sync-scope-fixtures';

/**
 * The server's other write paths racing an erasure (privacy/erasure-lock.ts): the row writer takes
 * the erasure lock shared and refuses a write of an erased record, or of one about an erased person,
 * so the public API (and automation, lead capture…, through the same writer) cannot bring the person
 * back. On real Postgres, with the erasure held open before its commit by a wrapper around the
 * database's `transaction` (no seam in the server's code).
 */

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer('crm_erasure_paths', {
    authenticate: scopedHeaderAuthenticate,
    beforeListen: (_app, db) => seedOrg(db),
  });
});
afterAll(async () => {
  await server?.close();
});

type Body = Record<string, unknown> & { error?: string; field?: string };

async function call(method: 'POST' | 'PATCH', path: string, headers: Record<string, string>, payload: unknown) {
  const response = await server.app.inject({
    method,
    url: path,
    headers: { 'content-type': 'application/json', ...headers },
    payload: JSON.stringify(payload),
  });
  return { status: response.statusCode, body: response.json() as Body };
}

async function adminKey(): Promise<string> {
  const answer = await call(
    'POST',
    '/api-keys',
    { 'x-user-id': ORG_USERS.admin.id },
    { name: 'erasure race', userId: ORG_USERS.admin.id, roleId: BUILT_IN_ROLE_IDS.admin, scopes: { '*': 'write' } },
  );
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return String(answer.body.secret);
}

function erase(on: Database, id: string) {
  let n = 0;
  return eraseSubject(on, {
    subject: { kind: 'contact', id },
    reason: 'Art. 17 request, write paths test',
    actorId: ORG_USERS.admin.id,
    now: () => new Date('2026-05-01T00:00:01.000Z'),
    newId: () => `srv_erase_${id}_${++n}`,
  });
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

/**
 * Runs the erasure of `id` up to its commit, then `write` while it is held there; releases it once
 * the write waits (or 10 s passed). What the write waited for first, and its answer.
 */
async function writeDuringErasure<T>(id: string, write: () => Promise<T>) {
  const db = server.db;
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
    transaction: (fn) =>
      db.transaction(async (tx) => {
        const out = await fn(tx);
        entered();
        await gate;
        return out;
      }),
  };
  const erasing = erase(holding, id);
  await inside;
  const writing = write();
  let waited: string;
  try {
    waited = await Promise.race([writing.then(() => 'write finished'), firstWait(db)]);
  } finally {
    release();
  }
  await erasing;
  return { waited, answer: await writing };
}

describe('server writes racing an erasure', () => {
  it('refuses a note about the person the public API writes while the erasure runs', async () => {
    const secret = await adminKey();
    const { waited, answer } = await writeDuringErasure('c_a1', () =>
      call(
        'POST',
        '/api/v1/note',
        { authorization: `Bearer ${secret}` },
        {
          id: 'n_api_race',
          ownerId: ORG_USERS.repA1.id,
          subjectType: 'contact',
          subjectId: 'c_a1',
          body: 'Alice asked for the Zentrix pricing again',
        },
      ),
    );
    // It waited on the erasure lock (without it: inserted at once, past the erasure's plan, and kept).
    expect(waited).toBe(`advisory ${ERASURE_LOCK}`);
    expect(answer.status, JSON.stringify(answer.body)).toBe(409);
    expect(answer.body).toMatchObject({ field: 'subjectId', error: expect.stringMatching(/was erased on .*GDPR/) });
    const { rows } = await server.db.query('SELECT id FROM notes WHERE id = $1', ['n_api_race']);
    expect(rows).toEqual([]);
  });

  it('refuses a patch of the erased person the public API sends while the erasure runs', async () => {
    const secret = await adminKey();
    const { waited, answer } = await writeDuringErasure('c_a2', () =>
      call('PATCH', '/api/v1/contact/c_a2', { authorization: `Bearer ${secret}` }, { email: 'back@example.com' }),
    );
    expect(waited).toBe(`advisory ${ERASURE_LOCK}`);
    expect(answer.status, JSON.stringify(answer.body)).toBe(409);
    expect(answer.body.field).toBe('id');
    const { rows } = await server.db.query<{ email: string | null }>('SELECT email FROM contacts WHERE id = $1', [
      'c_a2',
    ]);
    expect(rows[0]?.email ?? null).not.toBe('back@example.com');
  });

  it('refuses the same writes after the erasure, naming the field', async () => {
    const secret = await adminKey();
    const note = await call(
      'POST',
      '/api/v1/note',
      { authorization: `Bearer ${secret}` },
      { ownerId: ORG_USERS.repA1.id, subjectType: 'contact', subjectId: 'c_a1', body: 'later' },
    );
    expect(note.status, JSON.stringify(note.body)).toBe(409);
    expect(note.body.field).toBe('subjectId');
    const patch = await call('PATCH', '/api/v1/contact/c_a1', { authorization: `Bearer ${secret}` }, { jobTitle: 'x' });
    expect(patch.status, JSON.stringify(patch.body)).toBe(409);
    expect(patch.body.field).toBe('id');
  });
});
