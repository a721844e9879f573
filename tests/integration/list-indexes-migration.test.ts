import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { leadEntity } from '../../src-shared/entities/lead.entity';
import { indexNameOf } from '../../src-shared/schema/to-postgres';
import { LIST_INDEXES_ADDED, listIndexesMigration } from '../../sync-server/src/db/1796004409111_list_indexes';
import type { Queryable } from '../../sync-server/src/db/database';
import { MIGRATIONS, MigrationError, migrate } from '../../sync-server/src/db/migrate';
import { MIGRATION_BACKENDS } from './migration-backends';
import { AT, pullAll, pushRows, sampleDoc, startServer } from './sync-server-fixtures';

const TABLES: Record<string, string> = {
  contact: 'contacts',
  deal: 'deals',
  company: 'companies',
  task: 'tasks',
  lead: 'leads',
};
const ADDED_INDEXES = Object.entries(LIST_INDEXES_ADDED.indexes).flatMap(([entity, indexes]) =>
  indexes.map((fields) =>
    indexNameOf(
      TABLES[entity] as string,
      fields.map((f) => f.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)),
    ),
  ),
);
const BEFORE = MIGRATIONS.filter((m) => m.id !== listIndexesMigration.id);

async function indexNames(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ indexname: string }>(
    `SELECT indexname FROM pg_indexes WHERE schemaname = 'public'`,
  );
  return rows.map((r) => r.indexname);
}

async function scoreRankColumn(db: Queryable) {
  const { rows } = await db.query<{ is_nullable: string; udt_name: string }>(
    `SELECT is_nullable, udt_name FROM information_schema.columns WHERE table_name = 'leads' AND column_name = 'score_rank'`,
  );
  return rows[0];
}

/** A lead as a device from before scoreRank stored it, written into the old table by hand. */
async function insertOldLead(db: Queryable, id: string, score: number): Promise<void> {
  await db.query(
    `INSERT INTO leads (id, kind, owner_id, created_at, updated_at, created_by, updated_by, is_deleted, newest,
       last_name, source, status, score)
     VALUES ($1, 'lead', 'u_rep', $2, $2, 'u_rep', 'u_rep', false, 1, 'Old', 'other', 'new', $3)`,
    [id, AT, score],
  );
}

describe('the registry schema migration stays as applied', () => {
  it('derives the same statements as before the list indexes (no drift on existing databases)', () => {
    const first = MIGRATIONS[0];
    expect(first?.id).toBe('1767225600000_registry_schema');
    const checksum = createHash('sha256')
      .update((first?.statements() ?? []).join(';\n'))
      .digest('hex');
    // Its checksum at commit a7d80c7, before leads.score_rank and the lookup indexes existed.
    expect(checksum).toBe('558d05ec0ad155a4c5bea205c2d25dcbeb4569765ac73358fae804bd4769227e');
    expect(MIGRATIONS.map((m) => m.id)).toContain(listIndexesMigration.id);
  });
});

describe.each(MIGRATION_BACKENDS)('list indexes migration on $name', (backend) => {
  it('gives an existing database the lookup indexes and leads.score_rank, filled for the leads it holds', async () => {
    const db = await backend.openEmpty();
    await migrate(db, BEFORE);
    await insertOldLead(db, 'ld_old_1', 80);
    await insertOldLead(db, 'ld_old_2', 0);
    expect(await scoreRankColumn(db)).toBeUndefined();
    const names = await indexNames(db);
    for (const name of ADDED_INDEXES) expect(names).not.toContain(name);

    const report = await migrate(db);
    expect(report).toMatchObject({ applied: [listIndexesMigration.id], drifted: [] });
    expect(await scoreRankColumn(db)).toEqual({ is_nullable: 'NO', udt_name: 'int4' });
    const { rows } = await db.query<{ id: string; score_rank: number }>(`SELECT id, score_rank FROM leads ORDER BY id`);
    expect(rows).toEqual([
      { id: 'ld_old_1', score_rank: 20 },
      { id: 'ld_old_2', score_rank: 100 },
    ]);
    expect(await indexNames(db)).toEqual(expect.arrayContaining(ADDED_INDEXES));
    expect(await migrate(db)).toMatchObject({ applied: [], drifted: [] });
  });

  it('a database created today reaches the same columns and indexes as one migrated from before', async () => {
    const old = await backend.openEmpty();
    await migrate(old, BEFORE);
    await migrate(old);
    // Migrated from empty with every migration, as the template it is copied from was.
    const fresh = await backend.open();
    const shape = async (db: Queryable) => ({
      columns: (
        await db.query(
          `SELECT table_name, column_name, udt_name, is_nullable FROM information_schema.columns
           WHERE table_schema = 'public' ORDER BY table_name, column_name`,
        )
      ).rows,
      indexes: (
        await db.query(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname`)
      ).rows,
    });
    expect(await shape(fresh)).toEqual(await shape(old));
  });

  it('leaves the database as it was when a statement after it fails', async () => {
    const db = await backend.openEmpty();
    await migrate(db, BEFORE);
    await insertOldLead(db, 'ld_old_1', 80);
    const broken = { id: '9999999999999_broken', statements: () => ['CREATE TABLE ('] };
    const error = await migrate(db, [...MIGRATIONS, broken]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect(await scoreRankColumn(db)).toBeUndefined();
    for (const name of ADDED_INDEXES) expect(await indexNames(db)).not.toContain(name);
    const { rows } = await db.query<{ id: string }>(`SELECT id FROM schema_migrations WHERE id = $1`, [
      listIndexesMigration.id,
    ]);
    expect(rows).toEqual([]);
  });

  it('push: recomputes scoreRank, for devices that send none (older) or a wrong one, and pulls it back', async () => {
    const db = await backend.open();
    const app = await startServer(db);
    const { scoreRank: _, ...older } = sampleDoc(leadEntity, 'ld_1', { score: 70 });
    expect(older).not.toHaveProperty('scoreRank');
    const wrong = sampleDoc(leadEntity, 'ld_2', { score: 10 });
    expect(
      (await pushRows(app, 'leads', [{ newDocumentState: older }, { newDocumentState: { ...wrong, scoreRank: 0 } }]))
        .body,
    ).toEqual({
      conflicts: [],
      rejected: [],
    });
    const { rows } = await db.query<{ id: string; score_rank: number }>(`SELECT id, score_rank FROM leads ORDER BY id`);
    expect(rows).toEqual([
      { id: 'ld_1', score_rank: 30 },
      { id: 'ld_2', score_rank: 90 },
    ]);
    const pulled = await pullAll(app, db, 'leads');
    expect(pulled.map((d) => [d.id, d.score, d.scoreRank])).toEqual([
      ['ld_1', 70, 30],
      ['ld_2', 10, 90],
    ]);

    // An older device edits what it pulled before: its assumed state has no scoreRank, and is no conflict.
    const edited = { ...older, score: 95, updatedAt: '2026-03-02T10:00:00.000Z' };
    const reply = await pushRows(app, 'leads', [{ newDocumentState: edited, assumedMasterState: older }]);
    expect(reply.body).toEqual({ conflicts: [], rejected: [] });
    const after = await db.query<{ score_rank: number }>(`SELECT score_rank FROM leads WHERE id = 'ld_1'`);
    expect(after.rows).toEqual([{ score_rank: 5 }]);

    // Bad input still names the field.
    const bad = await pushRows(app, 'leads', [{ newDocumentState: { ...older, id: 'ld_3', score: 101 } }]);
    expect(bad.body.rejected).toMatchObject([{ id: 'ld_3', field: 'score' }]);
  });
});
