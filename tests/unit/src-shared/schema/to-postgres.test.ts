import { describe, expect, it } from 'vitest';
import { contactEntity } from '../../../../src-shared/entities/contact.entity';
import { dealEntity } from '../../../../src-shared/entities/deal.entity';
import { customFieldValueEntity } from '../../../../src-shared/entities/extension.entity';
import { ENTITIES } from '../../../../src-shared/entities/registry';
import { baseFields, defineEntity } from '../../../../src-shared/schema/define-entity';
import { type FieldSpec, f } from '../../../../src-shared/schema/field';
import {
  columnsOf,
  indexNameOf,
  PostgresSchemaError,
  pgTypeOf,
  toPostgresDDL,
  toPostgresIndexes,
  toPostgresScript,
  toPostgresTable,
  toPostgresView,
  toSnakeCase,
} from '../../../../src-shared/schema/to-postgres';

const documents = ENTITIES.filter((e) => e.storage === 'document');

function scratchEntity(fields: Record<string, FieldSpec>, indexes?: readonly (readonly string[])[]) {
  return defineEntity({
    name: 'scratch',
    label: 'Scratch',
    plural: 'Scratches',
    description: 'Test only.',
    table: 'scratches',
    collection: 'settings',
    version: 0,
    owner: 'admin',
    display: [],
    fields,
    ...(indexes ? { indexes } : {}),
  });
}

describe('toSnakeCase', () => {
  it.each([
    ['id', 'id'],
    ['ownerId', 'owner_id'],
    ['firstName', 'first_name'],
    ['addressLine1', 'address_line1'],
    ['sha256', 'sha256'],
    ['utmCampaign', 'utm_campaign'],
    ['convertedFromLeadId', 'converted_from_lead_id'],
    ['URLPath', 'url_path'],
    ['pageURL', 'page_url'],
  ])('%s → %s', (name, column) => {
    expect(toSnakeCase(name)).toBe(column);
  });

  it('gives every registry field a distinct snake_case column', () => {
    for (const entity of ENTITIES) {
      const columns = columnsOf(entity).map((c) => c.column);
      expect(new Set(columns).size, entity.name).toBe(columns.length);
      for (const c of columns) expect(c).toMatch(/^[a-z][a-z0-9_]*$/);
    }
  });
});

describe('pgTypeOf', () => {
  it.each<[string, FieldSpec, string]>([
    ['string', f.string(), 'text'],
    ['text', f.text(), 'text'],
    ['email', f.email(), 'text'],
    ['url', f.url(), 'text'],
    ['phone', f.phone(), 'text'],
    ['ref', f.ref('user'), 'text'],
    ['enum', f.enum(['a', 'b']), 'text'],
    ['currency', f.currency(), 'text'],
    ['integer within int4', f.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), 'integer'],
    ['integer above int4', f.integer({ min: 0, max: 2 ** 31 }), 'bigint'],
    ['integer below int4', f.integer({ min: -(2 ** 31) - 1, max: 0 }), 'bigint'],
    ['integer without max', f.integer({ min: 0 }), 'bigint'],
    ['integer without min', f.integer({ max: 10 }), 'bigint'],
    ['money', f.money('currency', { min: 0, max: 100 }), 'bigint'],
    ['number', f.number(), 'double precision'],
    ['percent', f.percent(), 'double precision'],
    ['boolean', f.boolean(), 'boolean'],
    ['date', f.date(), 'date'],
    ['datetime', f.datetime(), 'timestamptz'],
    ['tags', f.tags(), 'text[]'],
    ['json', f.json(), 'jsonb'],
  ])('%s', (_, field, pgType) => {
    expect(pgTypeOf(field)).toBe(pgType);
  });

  it('keeps the inverted timestamp `newest` as a bigint column', () => {
    expect(columnsOf(contactEntity).find((c) => c.name === 'newest')).toEqual({
      name: 'newest',
      column: 'newest',
      pgType: 'bigint',
      notNull: true,
    });
  });
});

describe('columnsOf', () => {
  it('lists base fields, declared fields, then custom_fields for a customizable entity', () => {
    const columns = columnsOf(contactEntity);
    const base = Object.keys(baseFields).map(toSnakeCase);
    const declared = Object.keys(contactEntity.fields).map(toSnakeCase);
    expect(columns.map((c) => c.column)).toEqual([...base, ...declared, 'custom_fields']);
    expect(columns.find((c) => c.name === 'firstName')).toMatchObject({ pgType: 'text', notNull: true });
    expect(columns.find((c) => c.name === 'lastName')).toMatchObject({ pgType: 'text', notNull: false });
    expect(columns.find((c) => c.name === 'tags')).toMatchObject({ pgType: 'text[]', notNull: false });
    expect(columns.at(-1)).toEqual({ name: 'customFields', column: 'custom_fields', pgType: 'jsonb', notNull: true });
  });

  it('leaves custom_fields off entities that are not customizable', () => {
    const task = ENTITIES.find((e) => e.name === 'task');
    expect(task).toBeDefined();
    expect(columnsOf(task!).map((c) => c.column)).not.toContain('custom_fields');
  });

  it('gives the embedded custom field values their fields plus the holder’s owner and update time', () => {
    expect(columnsOf(customFieldValueEntity)).toEqual([
      { name: 'entityKind', column: 'entity_kind', pgType: 'text', notNull: true },
      { name: 'recordId', column: 'record_id', pgType: 'text', notNull: true },
      { name: 'key', column: 'key', pgType: 'text', notNull: true },
      { name: 'value', column: 'value', pgType: 'jsonb', notNull: true },
      { name: 'ownerId', column: 'owner_id', pgType: 'text', notNull: true },
      { name: 'updatedAt', column: 'updated_at', pgType: 'timestamptz', notNull: true },
    ]);
  });

  it('rejects two fields that map to the same column', () => {
    const entity = scratchEntity({ fooBar: f.string(), foo_bar: f.string() });
    expect(() => columnsOf(entity)).toThrow(PostgresSchemaError);
    expect(() => columnsOf(entity)).toThrow(/foo_bar.*also fooBar/);
  });
});

describe('toPostgresTable', () => {
  const sql = toPostgresTable(dealEntity);

  it('is idempotent, typed and keyed on id', () => {
    expect(sql).toMatch(/^CREATE TABLE IF NOT EXISTS "deals" \(\n/);
    expect(sql).toContain('"id" text PRIMARY KEY CHECK (char_length("id") <= 40)');
    expect(sql).toContain('"amount" bigint NOT NULL');
    expect(sql).toContain('"probability" double precision NOT NULL');
    expect(sql).toContain('"expected_close_date" date,');
    expect(sql).toContain('"closed_at" timestamptz,');
    expect(sql).toContain('"tags" text[]');
  });

  it('checks enums, lengths, currency codes and the kind', () => {
    expect(sql).toContain(
      `"stage" text NOT NULL CHECK ("stage" IN ('prospecting', 'qualification', 'proposal', 'negotiation', 'closedWon', 'closedLost'))`,
    );
    expect(sql).toContain('"name" text NOT NULL CHECK (char_length("name") <= 200)');
    expect(sql).toContain(`"currency" text NOT NULL CHECK ("currency" ~ '^[A-Z]{3}$')`);
    expect(sql).toContain(`"kind" text NOT NULL CHECK ("kind" = 'deal')`);
  });

  it('gives customizable tables an object-valued custom_fields', () => {
    expect(sql).toContain(
      `"custom_fields" jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof("custom_fields") = 'object')`,
    );
  });

  it('escapes quotes in enum values', () => {
    expect(toPostgresTable(scratchEntity({ mood: f.enum(["it's", 'fine']) }))).toContain(
      `CHECK ("mood" IN ('it''s', 'fine'))`,
    );
  });

  it('adds extra columns, with their defaults, after the derived ones', () => {
    const options = { extraColumns: [{ name: 'serverSeq', pgType: 'bigint' as const, notNull: true, default: '0' }] };
    expect(toPostgresTable(dealEntity, options)).toMatch(
      /"custom_fields" [^\n]*,\n {2}"server_seq" bigint NOT NULL DEFAULT 0\n\)$/,
    );
    expect(columnsOf(dealEntity, options).at(-1)).toEqual({
      name: 'serverSeq',
      column: 'server_seq',
      pgType: 'bigint',
      notNull: true,
    });
    expect(columnsOf(customFieldValueEntity, options).map((c) => c.name)).not.toContain('serverSeq');
  });

  it('refuses an embedded entity', () => {
    expect(() => toPostgresTable(customFieldValueEntity)).toThrow(PostgresSchemaError);
  });
});

describe('toPostgresIndexes', () => {
  it('creates each declared index with snake_case columns', () => {
    const entity = scratchEntity({ firstName: f.string({ required: true }) }, [['ownerId', 'newest'], ['firstName']]);
    expect(toPostgresIndexes(entity)).toEqual([
      'CREATE INDEX IF NOT EXISTS "scratches_owner_id_newest_idx" ON "scratches" ("owner_id", "newest")',
      'CREATE INDEX IF NOT EXISTS "scratches_first_name_idx" ON "scratches" ("first_name")',
    ]);
  });

  it('rejects an index on an undeclared field', () => {
    expect(() => toPostgresIndexes(scratchEntity({ a: f.string() }, [['b']]))).toThrow(/scratch\.b: indexed/);
  });

  it('shortens a name Postgres would truncate, keeping it stable and distinct', () => {
    const long = ['communication_id', 'owner_id', 'is_deleted', 'newest'];
    const other = ['communication_id', 'owner_id', 'is_deleted', 'created_at'];
    const name = indexNameOf('communication_attachments', long);
    expect(name).toHaveLength(63);
    expect(name).toMatch(/^communication_attachments_communication_id_owner_id_is_[0-9a-f]{8}$/);
    expect(indexNameOf('communication_attachments', long)).toBe(name);
    expect(indexNameOf('communication_attachments', other)).not.toBe(name);
    expect(indexNameOf('contacts', ['status', 'newest'])).toBe('contacts_status_newest_idx');
  });

  it('keeps every registry index name within 63 characters and unique', () => {
    const names = ENTITIES.filter((e) => e.storage === 'document').flatMap((e) =>
      (e.indexes ?? []).map((index) => indexNameOf(e.table, index.map(toSnakeCase))),
    );
    for (const n of names) expect(n.length).toBeLessThanOrEqual(63);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('toPostgresView', () => {
  const sql = toPostgresView(customFieldValueEntity);

  it('unpacks custom_fields of every customizable table', () => {
    const customizable = ENTITIES.filter((e) => e.storage === 'document' && e.customizable === true);
    expect(customizable.map((e) => e.table).sort()).toEqual(['companies', 'contacts', 'deals', 'leads']);
    expect(sql).toMatch(/^CREATE OR REPLACE VIEW "custom_field_values" AS\n/);
    for (const e of customizable) {
      expect(sql).toContain(`SELECT '${e.name}'::text AS "entity_kind", t."id" AS "record_id"`);
      expect(sql).toContain(`FROM "${e.table}" AS t CROSS JOIN LATERAL jsonb_each(t."custom_fields") AS v`);
    }
    expect(sql.match(/UNION ALL/g)).toHaveLength(customizable.length - 1);
  });

  it('refuses an entity it has no view for', () => {
    expect(() => toPostgresView(contactEntity)).toThrow(PostgresSchemaError);
  });
});

describe('toPostgresDDL', () => {
  const ddl = toPostgresDDL();

  it.each(documents.map((e) => [e.name, e] as const))('creates the %s table with every column', (_, entity) => {
    const table = ddl.find((s) => s.startsWith(`CREATE TABLE IF NOT EXISTS "${entity.table}" (`));
    expect(table).toBeDefined();
    for (const c of columnsOf(entity)) expect(table).toContain(`\n  "${c.column}" ${c.pgType}`);
    for (const index of toPostgresIndexes(entity)) expect(ddl).toContain(index);
  });

  it('names tables in snake_case', () => {
    for (const e of ENTITIES) expect(e.table, e.name).toMatch(/^[a-z][a-z0-9_]*$/);
  });

  it('creates the custom_field_values view after every table', () => {
    const view = ddl.findIndex((s) => s.startsWith('CREATE OR REPLACE VIEW "custom_field_values"'));
    const lastTable = ddl.findLastIndex((s) => s.startsWith('CREATE TABLE'));
    expect(view).toBe(ddl.length - 1);
    expect(lastTable).toBeLessThan(view);
    expect(ddl.filter((s) => s.startsWith('CREATE TABLE'))).toHaveLength(documents.length);
  });

  it('is idempotent and has no foreign keys', () => {
    for (const s of ddl) expect(s).toMatch(/^CREATE (TABLE IF NOT EXISTS|INDEX IF NOT EXISTS|OR REPLACE VIEW) /);
    expect(ddl.join('\n')).not.toMatch(/REFERENCES|FOREIGN KEY/i);
  });

  it('joins into one script', () => {
    expect(toPostgresScript()).toBe(`${ddl.join(';\n\n')};\n`);
  });
});
