import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { cronProblem } from './automation/schedule';
import { DEFAULT_RATE_LIMITS, type RateLimits } from './http/rate-limit';
import { DEFAULT_MAX_DOCUMENT_BYTES } from './sync/document-size';

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
  /** RATE_LIMIT_* (http/rate-limit.ts); 0 turns a limit off. */
  rateLimits: RateLimits;
  /** TRUST_PROXY: whose X-Forwarded-For decides a request's address (Fastify's `trustProxy`). */
  trustProxy: TrustProxy;
  /** MAX_DOCUMENT_BYTES (sync/document-size.ts): the largest record a push or the API may write; 0 turns it off. */
  maxDocumentBytes: number;
}

/**
 * false: the peer's address is the client's (no balancer). A list: the proxies' addresses or CIDRs;
 * X-Forwarded-For is read back past them. No hop count: it cannot tell the balancer from a client
 * that reaches the server directly, which could then choose its address (Fastify 5 ignores a number
 * for that reason, https://fastify.dev/docs/latest/Reference/Server/#trustproxy), and never "trust
 * everyone", for the same reason.
 */
export type TrustProxy = false | string[];

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

function countOf(variable: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const count = Number(value);
  if (!Number.isInteger(count) || count < 0)
    throw new ConfigError(variable, `must be a whole number, 0 or more, not "${value}"`);
  return count;
}

function rateLimitsOf(env: NodeJS.ProcessEnv): RateLimits {
  const d = DEFAULT_RATE_LIMITS;
  const read = (variable: string, fallback: number) => countOf(variable, nonEmpty(env[variable]), fallback);
  return {
    loginPerAccount: read('RATE_LIMIT_LOGIN_PER_ACCOUNT', d.loginPerAccount),
    loginPerAddress: read('RATE_LIMIT_LOGIN_PER_ADDRESS', d.loginPerAddress),
    loginWindowSeconds: Math.max(1, read('RATE_LIMIT_LOGIN_WINDOW_SECONDS', d.loginWindowSeconds)),
    syncPerMinute: read('RATE_LIMIT_SYNC_PER_MINUTE', d.syncPerMinute),
  };
}

function proxyEntry(entry: string): string {
  const [address, prefix, ...rest] = entry.split('/');
  const version = isIP(address ?? '');
  const bits = version === 4 ? 32 : 128;
  const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits);
  if (version === 0 || !prefixOk || rest.length > 0) {
    throw new ConfigError('TRUST_PROXY', `has "${entry}", which is not an IP address or CIDR (like 10.0.0.0/8)`);
  }
  return entry;
}

function trustProxyOf(value: string | undefined): TrustProxy {
  if (value === undefined || ['off', 'false', '0', 'no'].includes(value.toLowerCase())) return false;
  if (/^\d+$/.test(value)) {
    throw new ConfigError(
      'TRUST_PROXY',
      `cannot be a hop count ("${value}"): it cannot tell the balancer from a client that reaches the server directly; give the balancers' addresses or CIDRs (like 10.0.0.0/8)`,
    );
  }
  if (['true', 'on', 'yes', '*', 'all'].includes(value.toLowerCase())) {
    throw new ConfigError(
      'TRUST_PROXY',
      "cannot trust every address (a client could choose its own): give the balancers' addresses or CIDRs (like 10.0.0.0/8)",
    );
  }
  const entries = value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new ConfigError('TRUST_PROXY', `names no proxy address in "${value}"`);
  return entries.map(proxyEntry);
}

/** `text` as an http(s) address; undefined for anything else. */
function httpUrl(text: string): URL | undefined {
  const url = URL.canParse(text) ? new URL(text) : undefined;
  return url && ['http:', 'https:'].includes(url.protocol) ? url : undefined;
}

/** An http(s) address with nothing after its host and port, as a browser sends it in `Origin`. */
function originOf(entry: string): string {
  // A trailing slash or a path never matches the Origin header, so the app would fail with a CORS error.
  if (httpUrl(entry)?.origin !== entry) {
    throw new ConfigError(
      'CORS_ORIGINS',
      `has "${entry}", which is not an origin like https://crm.example.com (no path, no trailing slash)`,
    );
  }
  return entry;
}

function corsOriginsOf(value: string | undefined): string[] | undefined {
  return value
    ?.split(',')
    .map((o) => o.trim())
    .filter(Boolean)
    .map(originOf);
}

/**
 * Variables other modules read when the server starts (integrations, retention): checked here too,
 * so that a bad one is named like the others instead of failing the start with a stack trace, or
 * (PUBLIC_URL) being accepted and put into every tracking link sent to customers.
 */
function checkStartVariables(env: NodeJS.ProcessEnv): void {
  const publicUrl = nonEmpty(env.PUBLIC_URL);
  if (publicUrl !== undefined) {
    const url = httpUrl(publicUrl);
    if (!url || url.host === '' || url.search !== '' || url.hash !== '') {
      throw new ConfigError(
        'PUBLIC_URL',
        `must be an http(s) address like https://crm.example.com, not "${publicUrl}"`,
      );
    }
  }
  const smtpPort = nonEmpty(env.SMTP_PORT);
  if (smtpPort !== undefined) {
    const port = Number(smtpPort);
    if (!Number.isInteger(port) || port <= 0 || port > 65535) {
      throw new ConfigError('SMTP_PORT', `must be a whole number from 1 to 65535, not "${smtpPort}"`);
    }
  }
  const schedule = nonEmpty(env.RETENTION_SCHEDULE);
  const problem = schedule === undefined ? undefined : cronProblem(schedule);
  if (problem !== undefined) throw new ConfigError('RETENTION_SCHEDULE', problem);
}

/** Reads the configuration; `cwd` anchors a relative DATA_DIR. Throws ConfigError on a bad value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ServerConfig {
  checkStartVariables(env);
  return {
    databaseUrl: nonEmpty(env.DATABASE_URL),
    dataDir: resolve(cwd, nonEmpty(env.DATA_DIR) ?? '.data/pglite'),
    port: portOf(nonEmpty(env.PORT)),
    // Loopback by default: until auth lands (x-user-id is trusted as is), the server must not be reachable from the network.
    host: nonEmpty(env.HOST) ?? '127.0.0.1',
    logLevel: logLevelOf(nonEmpty(env.LOG_LEVEL)),
    jwtSecret: nonEmpty(env.JWT_SECRET),
    corsOrigins: corsOriginsOf(nonEmpty(env.CORS_ORIGINS)),
    rateLimits: rateLimitsOf(env),
    trustProxy: trustProxyOf(nonEmpty(env.TRUST_PROXY)),
    maxDocumentBytes: countOf('MAX_DOCUMENT_BYTES', nonEmpty(env.MAX_DOCUMENT_BYTES), DEFAULT_MAX_DOCUMENT_BYTES),
  };
}
