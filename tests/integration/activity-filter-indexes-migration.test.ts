import { describe, expect, it } from 'vitest';
import { activityFilterIndexesMigration } from '../../sync-server/src/db/1796081080604_activity_filter_indexes';
import type { Queryable } from '../../sync-server/src/db/database';
import { MIGRATIONS, migrate } from '../../sync-server/src/db/migrate';
import { MIGRATION_BACKENDS } from './migration-backends';

const ADDED = [
  'communications_type_is_deleted_newest_idx',
  'communications_direction_is_deleted_newest_idx',
  'communications_status_is_deleted_newest_idx',
  'notes_note_type_is_deleted_newest_idx',
];
const BEFORE = MIGRATIONS.filter((m) => m.id !== activityFilterIndexesMigration.id);

async function indexNames(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ indexname: string }>(
    `SELECT indexname FROM pg_indexes WHERE schemaname = 'public'`,
  );
  return rows.map((r) => r.indexname);
}

describe.each(MIGRATION_BACKENDS)('activity filter indexes migration on $name', (backend) => {
  it('gives a database migrated before it the communications and notes filter indexes, once', async () => {
    const db = await backend.openEmpty();
    await migrate(db, BEFORE);
    const before = await indexNames(db);
    for (const name of ADDED) expect(before).not.toContain(name);

    expect(await migrate(db)).toMatchObject({ applied: [activityFilterIndexesMigration.id], drifted: [] });
    expect(await indexNames(db)).toEqual(expect.arrayContaining(ADDED));
    expect(await migrate(db)).toMatchObject({ applied: [], drifted: [] });
  });
});
