import { resolve } from 'node:path';

/** How the sync server runs, from the environment (see `.env.example`). */
export interface ServerConfig {
  /** Postgres connection string; undefined means the embedded PGlite database in `dataDir`. */
  databaseUrl: string | undefined;
  /** Folder of the embedded PGlite database (used only without `databaseUrl`). */
  dataDir: string;
  port: number;
  host: string;
  logLevel: LogLevel;
  /** Signs access tokens; required with DATABASE_URL, generated and kept in the data folder otherwise. */
  jwtSecret: string | undefined;
  /** Browser origins allowed to call the API; undefined means the renderer's defaults. */
  corsOrigins: string[] | undefined;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A setting the server cannot start with, named by its variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly variable: string,
    readonly reason: string,
  ) {
    super(`${variable} ${reason}`);
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === '' ? undefined : trimmed;
}

function portOf(value: string | undefined): number {
  if (value === undefined) return 3300;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError('PORT', `must be a whole number from 0 to 65535, not "${value}"`);
  }
  return port;
}

function logLevelOf(value: string | undefined): LogLevel {
  if (value === undefined) return 'info';
  const level = LOG_LEVELS.find((l) => l === value.toLowerCase());
  if (!level) throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, not "${value}"`);
  return level;
}

/** Reads the configuration; `cwd` anchors a relative DATA_DIR. Throws ConfigError on a bad value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ServerConfig {
  return {
    databaseUrl: nonEmpty(env.DATABASE_URL),
    dataDir: resolve(cwd, nonEmpty(env.DATA_DIR) ?? '.data/pglite'),
    port: portOf(nonEmpty(env.PORT)),
    // Loopback by default: until auth lands (x-user-id is trusted as is), the server must not be reachable from the network.
    host: nonEmpty(env.HOST) ?? '127.0.0.1',
    logLevel: logLevelOf(nonEmpty(env.LOG_LEVEL)),
    jwtSecret: nonEmpty(env.JWT_SECRET),
    corsOrigins: nonEmpty(env.CORS_ORIGINS)
      ?.split(',')
      .map((o) => o.trim())
      .filter(Boolean),
  };
}
