import { describe, expect, it } from 'vitest';
import { ENTITIES } from '../../src-shared/entities/registry';
import { columnsOf, indexNameOf, PG_UDT_NAME } from '../../src-shared/schema/to-postgres';
import { AUDIT_CHAIN_COLUMNS } from '../../sync-server/src/db/1796006174780_audit_chain';
import type { Queryable } from '../../sync-server/src/db/database';
import { MIGRATIONS, MigrationError, migrate, readiness } from '../../sync-server/src/db/migrate';
import { SYNC_OPTIONS } from '../../sync-server/src/db/sync-schema';
import { MIGRATION_BACKENDS } from './migration-backends';
import { countRows, sampleDoc } from './sync-server-fixtures';

/** Everything a migration could change: relations, columns, indexes, triggers, functions, and the bookkeeping rows. */
async function snapshot(db: Queryable) {
  const q = async (sql: string) => (await db.query<Record<string, unknown>>(sql)).rows;
  return {
    columns: await q(`SELECT table_name, column_name, udt_name, is_nullable, column_default
      FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`),
    indexes: await q(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname`),
    triggers: await q(
      `SELECT tgname, tgrelid::regclass::text AS rel FROM pg_trigger WHERE NOT tgisinternal ORDER BY tgname`,
    ),
    functions: await q(
      `SELECT proname, md5(prosrc) AS src FROM pg_proc WHERE pronamespace = 'public'::regnamespace ORDER BY proname`,
    ),
    meta: await q(`SELECT key, value FROM sync_meta ORDER BY key`),
    migrations: await q(`SELECT id, checksum, applied_at::text FROM schema_migrations ORDER BY id`),
  };
}

async function publicRelations(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT (SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace)::int
          + (SELECT count(*) FROM pg_proc WHERE pronamespace = 'public'::regnamespace)::int AS n`,
  );
  return rows[0]?.n ?? -1;
}

const broken = { id: '9999999999999_broken', statements: () => ['CREATE TABLE half_done (id text)', 'CREATE TABLE ('] };

describe.each(MIGRATION_BACKENDS)('migrations on $name', (backend) => {
  it('creates every registry table with the sync columns and cursor index, and is idempotent', async () => {
    const db = await backend.openEmpty();
    const first = await migrate(db);
    expect(first.applied).toEqual(MIGRATIONS.map((m) => m.id));
    expect(first.newEpoch).toBe(true);
    const before = await snapshot(db);
    const second = await migrate(db);
    expect(second).toEqual({ applied: [], drifted: [], epoch: first.epoch, newEpoch: false });
    expect(await snapshot(db)).toEqual(before);
    expect(await readiness(db)).toEqual({ ready: true, pending: [], epoch: first.epoch });

    const tables = ENTITIES.filter((e) => e.storage === 'document');
    for (const entity of tables) {
      // By name: a column a later migration adds (leads.score_rank) comes after the sync columns.
      const byName = (a: { column_name: unknown }, b: { column_name: unknown }) =>
        String(a.column_name).localeCompare(String(b.column_name));
      const expected = columnsOf(entity, SYNC_OPTIONS)
        .map((c) => ({
          table_name: entity.table,
          column_name: c.column,
          udt_name: PG_UDT_NAME[c.pgType],
        }))
        .concat(
          // The hash chain's columns: the server's alone, not registry fields.
          entity.table === 'audit_log'
            ? AUDIT_CHAIN_COLUMNS.map((c) => ({
                table_name: entity.table,
                column_name: c.column,
                udt_name: c.pgType === 'bigint' ? 'int8' : c.pgType,
              }))
            : [],
        )
        .sort(byName);
      const actual = before.columns
        .filter((c) => c.table_name === entity.table)
        .map(({ table_name, column_name, udt_name }) => ({ table_name, column_name, udt_name }))
        .sort(byName);
      expect(actual).toEqual(expected);
      expect(before.indexes.map((i) => i.indexname)).toContain(indexNameOf(entity.table, ['sync_txid', 'id']));
    }
  });

  it('applies nothing when one statement fails: the database stays empty', async () => {
    const db = await backend.openEmpty();
    await expect(migrate(db, [...MIGRATIONS, broken])).rejects.toBeInstanceOf(MigrationError);
    expect(await publicRelations(db)).toBe(0);
    expect(await readiness(db)).toMatchObject({ ready: false });
  });

  it('leaves a migrated database as it was when a later migration fails', async () => {
    const db = await backend.open();
    const before = await snapshot(db);
    const error = await migrate(db, [...MIGRATIONS, broken]).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'MigrationError', migration: broken.id, statement: 1 });
    expect(await snapshot(db)).toEqual(before);
  });

  it('makes audit_log append-only in the database', async () => {
    const db = await backend.open();
    const { auditLogEntity } = await import('../../src-shared/entities/audit.entity');
    const entry = sampleDoc(auditLogEntity, 'au_1');
    await db.query(
      `INSERT INTO audit_log SELECT * FROM jsonb_populate_record(NULL::audit_log, $1::text::jsonb || '{"sync_removed": false, "sync_txid": "1", "server_updated_at": "2026-01-01T00:00:00Z"}')`,
      [
        JSON.stringify(
          Object.fromEntries(
            columnsOf(auditLogEntity).map((c) => [c.column, (entry as Record<string, unknown>)[c.name]]),
          ),
        ),
      ],
    );
    await expect(db.query(`UPDATE audit_log SET reason = 'tampered'`)).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
    await expect(db.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
    expect(await countRows(db, 'audit_log')).toBe(1);
  });

  it('keeps the epoch across restarts and rotates it when the database is another one', async () => {
    const db = await backend.openEmpty();
    const { epoch } = await migrate(db);
    await db.query(`UPDATE sync_meta SET value = 'some/other-database' WHERE key = 'identity'`);
    const moved = await migrate(db);
    expect(moved.newEpoch).toBe(true);
    expect(moved.epoch).not.toBe(epoch);
    expect((await migrate(db)).epoch).toBe(moved.epoch);
  });
});
