import type { FastifyInstance } from 'fastify';
import { type AppOptions, createApp } from '../../sync-server/src/app';
import { createPgDatabase, type Database } from '../../sync-server/src/db/database';
import { migrate } from '../../sync-server/src/db/migrate';
import { createMigratedTestDatabase } from './migrated-databases';
import type { TestDatabase } from './postgres';

export interface TestServer {
  url: string;
  /** Connection string of the fresh database, for writers that bypass the server. */
  pgUrl: string;
  db: Database;
  app: FastifyInstance;
  close(): Promise<void>;
}

export interface TestServerOptions {
  /** How callers are authenticated; the `x-user-id` header by default. */
  authenticate?: AppOptions['authenticate'];
  /** Runs on the migrated database before the server listens: users, more routes, hooks. */
  beforeListen?: (app: FastifyInstance, db: Database) => void | Promise<void>;
  /** Browser origins allowed (e.g. a renderer on a free port); the app's defaults otherwise. */
  corsOrigins?: readonly string[];
}

/** The sync server on a fresh real-Postgres database, listening on a free loopback port. */
export async function startTestServer(prefix = 'crm_sync', options: TestServerOptions = {}): Promise<TestServer> {
  const pg: TestDatabase = await createMigratedTestDatabase(prefix);
  const db = createPgDatabase(pg.url);
  await migrate(db);
  const app = createApp({
    db,
    pingIntervalMs: 1000,
    ...(options.authenticate ? { authenticate: options.authenticate } : {}),
    ...(options.corsOrigins ? { corsOrigins: options.corsOrigins } : {}),
  });
  await options.beforeListen?.(app, db);
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url: address,
    pgUrl: pg.url,
    db,
    app,
    async close() {
      // The devices' fetch (undici) keeps its sockets open 4 s after their last request, and the server
      // waits for them to go (measured: ~4 s per close in the property test). The test is over: cut them.
      const closing = app.close();
      app.server.closeAllConnections();
      await closing;
      await db.close();
      await pg.drop();
    },
  };
}
