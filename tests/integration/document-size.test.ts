import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_IN_ROLE_IDS } from '../../src-shared/auth/built-in-roles';
import type { PushResponse } from '../../src-shared/sync/protocol';
import { createApp } from '../../sync-server/src/app';
import { createPgDatabase, type Database } from '../../sync-server/src/db/database';
import { DEFAULT_MAX_DOCUMENT_BYTES } from '../../sync-server/src/sync/document-size';
import { createMigratedTestDatabase } from '../support/migrated-databases';
import type { TestDatabase } from '../support/postgres';
import { doc, ORG_USERS, scopedHeaderAuthenticate, seedOrg } from './sync-scope-fixtures';

/**
 * The per-document size limit (MAX_DOCUMENT_BYTES, sync/document-size.ts) on real Postgres: a push
 * refuses each document whose JSON is larger, naming its collection, id and size, and writes the
 * rest of the batch; the public API refuses a create or a patch that would leave a larger record.
 */

const ADMIN = ORG_USERS.admin.id;
const REP = ORG_USERS.repA1.id;

let test: TestDatabase;
let db: Database;
const apps: FastifyInstance[] = [];
beforeAll(async () => {
  test = await createMigratedTestDatabase('crm_doc_size');
  db = createPgDatabase(test.url);
  await seedOrg(db);
});
afterAll(async () => {
  for (const app of apps) await app.close();
  await db?.close();
  await test?.drop();
});

function appWith(maxDocumentBytes?: number): FastifyInstance {
  const app = createApp({
    db,
    authenticate: scopedHeaderAuthenticate,
    ...(maxDocumentBytes === undefined ? {} : { maxDocumentBytes }),
  });
  apps.push(app);
  return app;
}

async function send(app: FastifyInstance, method: 'POST' | 'PATCH', url: string, headers: object, payload: unknown) {
  const response = await app.inject({
    method,
    url,
    headers: { 'content-type': 'application/json', ...headers },
    payload: JSON.stringify(payload),
  });
  return { status: response.statusCode, body: response.json() as Record<string, unknown> };
}

function push(app: FastifyInstance, collection: string, docs: unknown[]) {
  return send(
    app,
    'POST',
    `/sync/${collection}/push`,
    { 'x-user-id': ADMIN },
    {
      rows: docs.map((d) => ({ newDocumentState: d })),
    },
  ) as Promise<{ status: number; body: PushResponse & Record<string, unknown> }>;
}

const content = (id: string, body: string) =>
  doc('content', id, { ownerId: REP, createdBy: ADMIN, updatedBy: ADMIN, body });
const note = (id: string, body: string) =>
  doc('note', id, {
    ownerId: REP,
    createdBy: ADMIN,
    updatedBy: ADMIN,
    subjectType: 'contact',
    subjectId: 'c_a1',
    body,
  });

async function stored(table: string, id: string): Promise<string | undefined> {
  const { rows } = await db.query<{ body: string }>(`SELECT body FROM ${table} WHERE id = $1`, [id]);
  return rows[0]?.body;
}

describe('the per-document size limit', () => {
  it('refuses, by default, a document over 256 KiB of JSON on its own and writes the rest of the batch', async () => {
    const app = appWith();
    // 100,000 characters fit the registry's body (maxLength 100,000), but "€" is 3 bytes: ~300 KB.
    const reply = await push(app, 'content', [
      content('ct_small_1', 'A short brochure'),
      content('ct_euro', '€'.repeat(100_000)),
      content('ct_small_2', 'Another one'),
    ]);
    expect(reply.status, JSON.stringify(reply.body).slice(0, 500)).toBe(200);
    expect(reply.body.rejected).toEqual([
      {
        id: 'ct_euro',
        reason: expect.stringMatching(
          new RegExp(
            `^document ct_euro of the content collection is 3\\d{5} bytes of JSON; the limit is ${DEFAULT_MAX_DOCUMENT_BYTES}`,
          ),
        ),
      },
    ]);
    expect(await stored('content', 'ct_small_1')).toBe('A short brochure');
    expect(await stored('content', 'ct_small_2')).toBe('Another one');
    expect(await stored('content', 'ct_euro')).toBeUndefined();
  });

  it('takes the configured limit, and 0 turns it off', async () => {
    const small = appWith(4096);
    const reply = await push(small, 'activities', [note('n_fits', 'x'.repeat(1000)), note('n_big', 'x'.repeat(5000))]);
    expect(reply.status).toBe(200);
    expect(reply.body.rejected.map((r) => [r.id, r.reason.replace(/\d+ bytes/, 'N bytes')])).toEqual([
      [
        'n_big',
        'document n_big of the activities collection is N bytes of JSON; the limit is 4096 (MAX_DOCUMENT_BYTES)',
      ],
    ]);
    expect(await stored('notes', 'n_fits')).toHaveLength(1000);
    expect(await stored('notes', 'n_big')).toBeUndefined();

    const off = appWith(0);
    expect((await push(off, 'activities', [note('n_big', 'x'.repeat(5000))])).body.rejected).toEqual([]);
    expect(await stored('notes', 'n_big')).toHaveLength(5000);
  });

  it('refuses a public API create or patch that would leave a larger record, with 413 naming it', async () => {
    const app = appWith(4096);
    const key = await send(
      app,
      'POST',
      '/api-keys',
      { 'x-user-id': ADMIN },
      {
        name: 'size test',
        userId: ADMIN,
        roleId: BUILT_IN_ROLE_IDS.admin,
        scopes: { '*': 'write' },
      },
    );
    expect(key.status, JSON.stringify(key.body)).toBe(201);
    const auth = { authorization: `Bearer ${String(key.body.secret)}` };
    const fields = { ownerId: REP, subjectType: 'contact', subjectId: 'c_a1' };

    const big = await send(app, 'POST', '/api/v1/note', auth, { id: 'n_api_big', ...fields, body: 'y'.repeat(5000) });
    expect(big.status).toBe(413);
    expect(big.body.error).toMatch(
      /^document n_api_big of the activities collection is \d+ bytes of JSON; the limit is 4096/,
    );
    expect(await stored('notes', 'n_api_big')).toBeUndefined();

    const made = await send(app, 'POST', '/api/v1/note', auth, { id: 'n_api', ...fields, body: 'short' });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const grown = await send(app, 'PATCH', '/api/v1/note/n_api', auth, { body: 'z'.repeat(5000) });
    expect(grown.status).toBe(413);
    expect(grown.body.error).toMatch(/^document n_api of the activities collection is \d+ bytes/);
    expect(await stored('notes', 'n_api')).toBe('short');
  });
});
