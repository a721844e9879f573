import { mkdirSync } from 'node:fs';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { openDatabase } from './db/database';
import { migrate } from './db/migrate';

/** `npm run server`: read the environment, open and migrate the database, listen. */
async function main(): Promise<void> {
  const config = loadConfig();
  if (config.databaseUrl === undefined) mkdirSync(config.dataDir, { recursive: true });
  const db = await openDatabase(config);
  const app = createApp({ db, logger: { level: config.logLevel } });
  const report = await migrate(db);
  app.log.info({ database: db.description, ...report }, 'database migrated');
  for (const id of report.drifted) {
    app.log.warn({ migration: id }, 'the registry changed since this migration was applied: add a migration');
  }
  const address = await app.listen({ port: config.port, host: config.host });
  const using = config.databaseUrl === undefined ? `embedded PGlite in ${config.dataDir}` : db.description;
  // Plain lines for people (and scripts/start.mjs); the JSON log lines carry the same.
  console.log(`FieldCRM sync server listening on ${address}`);
  console.log(`database: ${using} (epoch ${report.epoch})`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'stopping');
    await app.close();
    await db.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`sync server: ${error.message} (see .env.example)`);
    process.exit(2);
  }
  console.error('sync server failed to start:', error);
  process.exit(1);
});
