import { PGlite } from '@electric-sql/pglite';
import type { QueryResultRow } from 'pg';
import { describe, expect, it, onTestFinished } from 'vitest';
import { contactEntity } from '../../src-shared/entities/contact.entity';
import { ENTITIES } from '../../src-shared/entities/registry';
import { type EntityDef, type EntityRecord, NEWEST_MAX } from '../../src-shared/schema/define-entity';
import {
  columnsOf,
  PG_UDT_NAME,
  toPostgresDDL,
  toPostgresIndexes,
  toPostgresScript,
} from '../../src-shared/schema/to-postgres';
import { createTestDatabase, databaseExists } from '../support/postgres';

/** What both node-postgres and PGlite offer, so every check runs against each. */
interface Sql {
  query<T extends QueryResultRow>(text: string, params?: unknown[]): Promise<{ rows: T[] }>;
}

async function freshPostgres(): Promise<Sql> {
  const db = await createTestDatabase();
  onTestFinished(() => db.drop());
  return { query: (text, params) => db.pool.query(text, params) };
}

function freshPGlite(): Sql & { exec(script: string): Promise<unknown> } {
  const db = new PGlite();
  onTestFinished(() => db.close());
  return { query: (text, params) => db.query(text, params), exec: (script) => db.exec(script) };
}

async function applyStatements(sql: Sql): Promise<void> {
  for (const statement of toPostgresDDL()) await sql.query(statement);
}

interface RelationShape {
  type: string;
  columns: { column: string; udt: string; nullable: boolean }[];
}

/** The registry as information_schema should report it. */
function expectedSchema(): Record<string, RelationShape> {
  return Object.fromEntries(
    ENTITIES.map((e: EntityDef) => [
      e.table,
      {
        type: e.storage === 'document' ? 'BASE TABLE' : 'VIEW',
        columns: columnsOf(e).map((c) => ({
          column: c.column,
          udt: PG_UDT_NAME[c.pgType],
          // Postgres reports every view column as nullable, whatever its source.
          nullable: e.storage === 'document' ? !c.notNull : true,
        })),
      },
    ]),
  );
}

async function actualSchema(sql: Sql): Promise<Record<string, RelationShape>> {
  const { rows } = await sql.query<{
    table_name: string;
    table_type: string;
    column_name: string;
    udt_name: string;
    is_nullable: string;
  }>(
    `SELECT c.table_name, t.table_type, c.column_name, c.udt_name, c.is_nullable
     FROM information_schema.columns c
     JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
     WHERE c.table_schema = 'public'
     ORDER BY c.table_name, c.ordinal_position`,
  );
  const schema: Record<string, RelationShape> = {};
  for (const r of rows) {
    schema[r.table_name] ??= { type: r.table_type, columns: [] };
    schema[r.table_name]?.columns.push({ column: r.column_name, udt: r.udt_name, nullable: r.is_nullable === 'YES' });
  }
  return schema;
}

async function indexNames(sql: Sql): Promise<string[]> {
  const { rows } = await sql.query<{ indexname: string }>(
    `SELECT indexname FROM pg_indexes WHERE schemaname = 'public'`,
  );
  return rows.map((r) => r.indexname);
}

function declaredIndexNames(): string[] {
  return ENTITIES.filter((e) => e.storage === 'document')
    .flatMap((e) => toPostgresIndexes(e))
    .map((s) => /INDEX IF NOT EXISTS "([^"]+)"/.exec(s)?.[1] ?? s);
}

/** Inserts a record given by field name, through the same column mapping the server will use. */
async function insert(sql: Sql, entity: EntityDef, record: Record<string, unknown>): Promise<void> {
  const columns = columnsOf(entity).filter((c) => record[c.name] !== undefined);
  const values = columns.map((c) => (c.pgType === 'jsonb' ? JSON.stringify(record[c.name]) : record[c.name]));
  const placeholders = columns.map((c, i) => `$${i + 1}::${c.pgType}`);
  await sql.query(
    `INSERT INTO "${entity.table}" (${columns.map((c) => `"${c.column}"`).join(', ')}) VALUES (${placeholders.join(', ')})`,
    values,
  );
}

const AT = '2026-03-01T09:30:00.000Z';

type ContactRecord = EntityRecord<typeof contactEntity>;

const ADA = {
  id: 'ct_1',
  kind: 'contact',
  ownerId: 'u_rep',
  createdAt: AT,
  updatedAt: AT,
  createdBy: 'u_rep',
  updatedBy: 'u_rep',
  isDeleted: false,
  newest: NEWEST_MAX - Date.parse(AT),
  firstName: 'Ada',
  status: 'active',
  tags: ['vip', 'emea'],
  customFields: { shoeSize: 42, region: 'north', vip: true },
} satisfies ContactRecord;

/** Ada, with some fields replaced, possibly by values the schema must refuse. */
function contact(overrides: Partial<Record<keyof ContactRecord, unknown>> = {}): Record<string, unknown> {
  return { ...ADA, ...overrides };
}

async function customFieldValues(sql: Sql) {
  const { rows } = await sql.query<Record<string, unknown>>(
    `SELECT entity_kind, record_id, key, value, owner_id, updated_at FROM custom_field_values ORDER BY record_id, key`,
  );
  return rows.map((r) => ({ ...r, updated_at: new Date(r.updated_at as string | Date).toISOString() }));
}

const adaValues = [
  { entity_kind: 'contact', record_id: 'ct_1', key: 'region', value: 'north', owner_id: 'u_rep', updated_at: AT },
  { entity_kind: 'contact', record_id: 'ct_1', key: 'shoeSize', value: 42, owner_id: 'u_rep', updated_at: AT },
  { entity_kind: 'contact', record_id: 'ct_1', key: 'vip', value: true, owner_id: 'u_rep', updated_at: AT },
];

describe('Postgres DDL on the real server', () => {
  it('applies twice and matches the registry column for column (the contract test)', async () => {
    const sql = await freshPostgres();
    await sql.query(toPostgresScript());
    await applyStatements(sql);
    expect(await actualSchema(sql)).toEqual(expectedSchema());
    expect(await indexNames(sql)).toEqual(expect.arrayContaining(declaredIndexNames()));
  });

  it('rejects rows that break an enum, a length, the kind or the custom_fields shape', async () => {
    const sql = await freshPostgres();
    await applyStatements(sql);
    const violations: Record<string, unknown>[] = [
      { status: 'sleeping' },
      { firstName: 'x'.repeat(101) },
      { kind: 'lead' },
      { customFields: ['not', 'an', 'object'] },
    ];
    for (const overrides of violations) {
      await expect(insert(sql, contactEntity, contact(overrides)), JSON.stringify(overrides)).rejects.toMatchObject({
        code: '23514',
      });
    }
    await expect(insert(sql, contactEntity, contact({ firstName: undefined }))).rejects.toMatchObject({
      code: '23502',
    });
    const { rows } = await sql.query<{ n: string }>('SELECT count(*) AS n FROM contacts');
    expect(rows).toEqual([{ n: '0' }]);
  });

  it('reads a contact’s custom fields back through custom_field_values', async () => {
    const sql = await freshPostgres();
    await applyStatements(sql);
    await insert(sql, contactEntity, contact());
    await insert(sql, contactEntity, contact({ id: 'ct_2', firstName: 'Bob', customFields: {} }));
    await insert(sql, contactEntity, contact({ id: 'ct_3', isDeleted: true, deletedAt: AT, customFields: { a: 1 } }));
    expect(await customFieldValues(sql)).toEqual(adaValues);
    const { rows } = await sql.query<{ tags: string[]; custom_fields: unknown }>(
      `SELECT tags, custom_fields FROM contacts WHERE id = 'ct_1'`,
    );
    expect(rows).toEqual([{ tags: ['vip', 'emea'], custom_fields: { shoeSize: 42, region: 'north', vip: true } }]);
  });

  it('drops its database afterwards', async () => {
    const db = await createTestDatabase();
    expect(await databaseExists(db.name)).toBe(true);
    await db.drop();
    expect(await databaseExists(db.name)).toBe(false);
  });
});

describe('Postgres DDL on PGlite', () => {
  it('applies twice, matches the registry and serves the view', async () => {
    const sql = freshPGlite();
    await sql.exec(toPostgresScript());
    await applyStatements(sql);
    expect(await actualSchema(sql)).toEqual(expectedSchema());
    expect(await indexNames(sql)).toEqual(expect.arrayContaining(declaredIndexNames()));
    await insert(sql, contactEntity, contact());
    expect(await customFieldValues(sql)).toEqual(adaValues);
    await expect(insert(sql, contactEntity, contact({ id: 'ct_9', status: 'sleeping' }))).rejects.toMatchObject({
      code: '23514',
    });
  });
});
