import type { FastifyInstance } from 'fastify';
import { onTestFinished } from 'vitest';
import { ENTITIES } from '../../src-shared/entities/registry';
import { type EntityDef, NEWEST_MAX, withDerived } from '../../src-shared/schema/define-entity';
import { validateRecord } from '../../src-shared/schema/validate';
import type { PullResponse, PushResponse, PushRow, SyncCheckpoint, WireDoc } from '../../src-shared/sync/protocol';
import { type AppOptions, createApp } from '../../sync-server/src/app';
import { workflowWriteProblems } from '../../sync-server/src/automation/workflow-validation';
import {
  createPgDatabase,
  createPgliteDatabase,
  type Database,
  type Queryable,
} from '../../sync-server/src/db/database';
import { migrate } from '../../sync-server/src/db/migrate';
import { createMigratedPglite, createMigratedTestDatabase } from '../support/migrated-databases';
import { createTestDatabase, type TestDatabase } from '../support/postgres';
import { sampleInput, sampleValue } from '../support/sample-record';

/** Shared by the sync server's unit and integration tests: valid wire documents of every entity. */

export const DOCUMENT_ENTITIES: EntityDef[] = ENTITIES.filter((e) => e.storage === 'document');

/** Milliseconds that are not zero, so a server that drops or pads them shows. */
export const AT = '2026-03-01T09:30:00.120Z';

/** Declared defaults, which a repository fills in on create (and `sampleInput` leaves out). */
function defaultsOf(entity: EntityDef): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(entity.fields).flatMap(([name, field]) =>
      field.default === undefined ? [] : [[name, field.default]],
    ),
  );
}

/** A stored document as a repository writes it: base fields, defaults and the required fields (`sampleInput`). */
export function sampleDoc(entity: EntityDef, id: string, overrides: Record<string, unknown> = {}): WireDoc {
  // Derived fields (a lead's scoreRank) as the repository stamps them.
  return withDerived(entity, {
    ...defaultsOf(entity),
    id,
    kind: entity.name,
    ownerId: 'u_rep',
    createdAt: AT,
    updatedAt: AT,
    createdBy: 'u_rep',
    updatedBy: 'u_rep',
    isDeleted: false,
    newest: NEWEST_MAX - Date.parse(AT),
    ...sampleInput(entity),
    ...overrides,
    _deleted: false,
  }) as WireDoc;
}

/** Values that exercise each column type harder than `sampleValue`'s first choice. */
function richValue(entity: EntityDef, name: string): unknown {
  const field = entity.allFields[name];
  if (!field) return undefined;
  switch (field.type) {
    case 'number':
      return Math.max(field.min ?? -1e9, Math.min(field.max ?? 1e9, 0.1 + 0.2));
    case 'json':
      return { z: [1, 2.5, null, 'ünïcødé'], a: { nested: true }, big: 12345678901234 };
    case 'tags':
      return ['alpha', 'béta', 'with space'];
    case 'datetime':
      return '2026-02-28T23:59:59.999Z';
    default:
      return sampleValue(field);
  }
}

/** Whether the server would store the record: the registry's rules and, for a workflow, its definition's. */
function accepted(entity: EntityDef, record: Record<string, unknown>): boolean {
  if (validateRecord(entity, record).length > 0) return false;
  return entity.name !== 'workflow' || workflowWriteProblems(record).length === 0;
}

/**
 * `sampleDoc` plus every optional field the entity's rules accept (tried one by one), with values
 * that would show a lossy column type: doubles, nested JSON, non-ASCII tags, custom fields.
 */
export function fullDoc(entity: EntityDef, id: string): WireDoc {
  let doc: Record<string, unknown> = sampleDoc(entity, id);
  const { _deleted, ...record } = doc;
  let current: Record<string, unknown> = record;
  for (const [name, field] of Object.entries(entity.allFields)) {
    if (field.required || name in current) continue;
    const candidate = { ...current, [name]: richValue(entity, name) };
    if (accepted(entity, candidate)) current = candidate;
  }
  if (entity.customizable) {
    const candidate = { ...current, customFields: { region: 'north', shoeSize: 42.5, vip: true } };
    if (validateRecord(entity, candidate).length === 0) current = candidate;
  }
  doc = { ...current, _deleted: false };
  return doc as WireDoc;
}

export interface Backend {
  name: string;
  /** A fresh database with the server's schema, closed and dropped when the test finishes. */
  open(): Promise<Database>;
  /** A fresh, empty database (for the tests of migrations themselves), closed and dropped after the test. */
  openEmpty(): Promise<Database>;
}

async function postgresBackend(test: TestDatabase): Promise<Database> {
  const db = createPgDatabase(test.url);
  onTestFinished(async () => {
    await db.close();
    await test.drop();
  });
  return db;
}

async function pgliteBackend(db: Database): Promise<Database> {
  onTestFinished(() => db.close());
  return db;
}

/** The real Postgres server (the one that counts) and embedded PGlite, which `npm run server` uses by default. */
export const BACKENDS: Backend[] = [
  {
    name: 'Postgres',
    open: async () => postgresBackend(await createMigratedTestDatabase('crm_sync')),
    openEmpty: async () => postgresBackend(await createTestDatabase('crm_sync')),
  },
  {
    name: 'PGlite',
    open: async () => pgliteBackend(await createMigratedPglite()),
    openEmpty: async () => pgliteBackend(await createPgliteDatabase()),
  },
];

/** A migrated database and the app over it, with a stubbed clock and ids; closed after the test. */
export async function startServer(db: Database, options: Partial<AppOptions> = {}): Promise<FastifyInstance> {
  await migrate(db);
  let n = 0;
  const app = createApp({
    db,
    now: () => new Date(Date.parse('2026-04-01T00:00:00.000Z') + n * 1000),
    newId: () => `srv_${String(++n).padStart(6, '0')}`,
    ...options,
  });
  onTestFinished(() => app.close());
  return app;
}

export interface Reply<T> {
  status: number;
  body: T;
}

export async function post<T = unknown>(
  app: FastifyInstance,
  url: string,
  payload: unknown,
  headers: Record<string, string> = {},
): Promise<Reply<T>> {
  const response = await app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json', ...headers },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
  return { status: response.statusCode, body: response.json() as T };
}

export function pushRows(app: FastifyInstance, collection: string, rows: PushRow[], userId = 'u_rep') {
  return post<PushResponse>(app, `/sync/${collection}/push`, { rows }, { 'x-user-id': userId });
}

export function pullPage(app: FastifyInstance, collection: string, checkpoint: SyncCheckpoint | null, limit: number) {
  return post<PullResponse>(app, `/sync/${collection}/pull`, { checkpoint, limit });
}

import { caughtUp } from '../support/sync-horizon';

export { caughtUp };

/** Pulls, once everything committed is visible, until a page comes back empty; every document in order of arrival. */
export async function pullAll(
  app: FastifyInstance,
  db: Queryable,
  collection: string,
  limit = 500,
): Promise<WireDoc[]> {
  await caughtUp(db);
  const documents: WireDoc[] = [];
  let checkpoint: SyncCheckpoint | null = null;
  for (;;) {
    const page = await pullPage(app, collection, checkpoint, limit);
    if (page.status !== 200) throw new Error(`pull ${collection}: ${page.status} ${JSON.stringify(page.body)}`);
    documents.push(...page.body.documents);
    checkpoint = page.body.checkpoint;
    if (page.body.documents.length === 0) return documents;
  }
}

export async function countRows(db: Queryable, table: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}"`);
  return rows[0]?.n ?? -1;
}
