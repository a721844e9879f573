import type { FastifyInstance } from 'fastify';
import { createApp } from '../../sync-server/src/app';
import { createPgDatabase, type Database } from '../../sync-server/src/db/database';
import { migrate } from '../../sync-server/src/db/migrate';
import { createTestDatabase, type TestDatabase } from './postgres';

export interface TestServer {
  url: string;
  /** Connection string of the fresh database, for writers that bypass the server. */
  pgUrl: string;
  db: Database;
  app: FastifyInstance;
  close(): Promise<void>;
}

/** The sync server on a fresh real-Postgres database, listening on a free loopback port. */
export async function startTestServer(prefix = 'crm_sync'): Promise<TestServer> {
  const pg: TestDatabase = await createTestDatabase(prefix);
  const db = createPgDatabase(pg.url);
  await migrate(db);
  const app = createApp({ db, pingIntervalMs: 1000 });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url: address,
    pgUrl: pg.url,
    db,
    app,
    async close() {
      await app.close();
      await db.close();
      await pg.drop();
    },
  };
}
