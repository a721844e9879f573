import { mkdirSync } from 'node:fs';
import { loadConfig } from '../../sync-server/src/config';
import { type Database, openDatabase } from '../../sync-server/src/db/database';
import { migrate } from '../../sync-server/src/db/migrate';

/**
 * Runs `work` on the sync server's database as `npm run server` would open it from `env`
 * (DATABASE_URL, else embedded PGlite in DATA_DIR, created if missing), migrated first, closed
 * afterwards whatever happens.
 */
export async function withServerDatabase<T>(env: NodeJS.ProcessEnv, work: (db: Database) => Promise<T>): Promise<T> {
  const config = loadConfig(env);
  if (config.databaseUrl === undefined) mkdirSync(config.dataDir, { recursive: true });
  const db = await openDatabase(config);
  try {
    await migrate(db);
    return await work(db);
  } finally {
    await db.close();
  }
}
