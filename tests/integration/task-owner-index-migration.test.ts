import { describe, expect, it } from 'vitest';
import { taskOwnerIndexMigration } from '../../sync-server/src/db/1796090560207_task_owner_index';
import type { Queryable } from '../../sync-server/src/db/database';
import { MIGRATIONS, migrate } from '../../sync-server/src/db/migrate';
import { MIGRATION_BACKENDS } from './migration-backends';

const ADDED = 'tasks_owner_id_is_deleted_newest_idx';
const BEFORE = MIGRATIONS.filter((m) => m.id !== taskOwnerIndexMigration.id);

async function taskIndexes(db: Queryable): Promise<Record<string, string>> {
  const { rows } = await db.query<{ indexname: string; indexdef: string }>(
    `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'tasks'`,
  );
  return Object.fromEntries(rows.map((r) => [r.indexname, r.indexdef]));
}

describe.each(MIGRATION_BACKENDS)('task owner index migration on $name', (backend) => {
  it('gives a database migrated before it the owner index on (owner_id, is_deleted, newest), once', async () => {
    const db = await backend.openEmpty();
    await migrate(db, BEFORE);
    const before = await taskIndexes(db);
    expect(Object.keys(before)).not.toContain(ADDED);

    expect(await migrate(db)).toMatchObject({ applied: [taskOwnerIndexMigration.id], drifted: [] });
    const after = await taskIndexes(db);
    expect(after[ADDED]).toMatch(/\(owner_id, is_deleted, newest\)$/);
    // Only the new index: the others are as they were.
    expect(after).toEqual({ ...before, [ADDED]: after[ADDED] });
    // Idempotent: a second run applies nothing, and the statement itself runs again without error.
    expect(await migrate(db)).toMatchObject({ applied: [], drifted: [] });
    for (const statement of taskOwnerIndexMigration.statements()) await db.query(statement);
    expect(await taskIndexes(db)).toEqual(after);
  });
});
