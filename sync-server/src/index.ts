import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createApp } from './app';
import { authRoutes } from './auth/auth.routes';
import { jwtAuthenticate } from './auth/jwt-authenticate';
import { AuthConfigError } from './auth/tokens';
import { ConfigError, loadConfig, type ServerConfig } from './config';
import { openDatabase } from './db/database';
import { migrate } from './db/migrate';

/**
 * The token signing secret: JWT_SECRET, or for the embedded database one generated on first start
 * and kept beside it (owner-only), so a newcomer needs no setup and sessions survive restarts.
 */
function jwtSecretOf(config: ServerConfig): string {
  if (config.jwtSecret) return config.jwtSecret;
  if (config.databaseUrl !== undefined)
    throw new ConfigError('JWT_SECRET', 'is required with DATABASE_URL (at least 32 bytes)');
  const file = join(dirname(config.dataDir), 'jwt-secret');
  if (!existsSync(file)) writeFileSync(file, randomBytes(48).toString('base64'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

/** `npm run server`: read the environment, open and migrate the database, listen. */
async function main(): Promise<void> {
  const config = loadConfig();
  if (config.databaseUrl === undefined) mkdirSync(config.dataDir, { recursive: true });
  const secret = jwtSecretOf(config);
  const db = await openDatabase(config);
  const app = createApp({
    db,
    logger: { level: config.logLevel },
    authenticate: jwtAuthenticate(secret),
    ...(config.corsOrigins ? { corsOrigins: config.corsOrigins } : {}),
    rateLimits: config.rateLimits,
    trustProxy: config.trustProxy,
    maxDocumentBytes: config.maxDocumentBytes,
    // Server-side workflows (lead assignment, run-once workflows, schedules); AUTOMATION=off for a second, passive instance.
    automation: process.env.AUTOMATION?.trim().toLowerCase() !== 'off',
    // Retention policies on a cron schedule (UTC, default nightly at 03:00); RETENTION=off to leave it to another instance.
    retention:
      process.env.RETENTION?.trim().toLowerCase() === 'off'
        ? false
        : { schedule: process.env.RETENTION_SCHEDULE?.trim() || '0 3 * * *' },
  });
  authRoutes(app, { db, secret, rateLimits: config.rateLimits });
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
  if (error instanceof ConfigError || error instanceof AuthConfigError) {
    console.error(`sync server: ${error.message} (see .env.example)`);
    process.exit(2);
  }
  console.error('sync server failed to start:', error);
  process.exit(1);
});
