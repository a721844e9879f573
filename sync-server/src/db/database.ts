import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

/** What the server's code needs of a database, met by node-postgres and by embedded PGlite alike. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<{ rows: T[] }>;
}

export interface Database extends Queryable {
  /** Runs `fn` in one transaction on one connection: committed if it resolves, rolled back if it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** For logs: which database this is, without credentials. */
  readonly description: string;
  /** How many transactions are worth running at once (PGlite has one connection). */
  readonly parallelism: number;
  /**
   * A new, unconnected client outside the pool, for a connection of its own (LISTEN: instance fan-out).
   * Absent for PGlite: one process owns an embedded database, so there are no other instances.
   */
  newClient?: () => pg.Client;
}

/**
 * Session settings the row codec relies on: timestamps are read back as UTC, and float8 is printed
 * shortest-exact (Postgres 12+ does that for any extra_float_digits > 0; a database default of 0 would
 * round doubles to 15 digits and a device's value would come back changed).
 */
const SESSION_OPTIONS = '-c TimeZone=UTC -c extra_float_digits=1';

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return `postgres ${parsed.host}${parsed.pathname}`;
  } catch {
    return 'postgres (unparsable URL)';
  }
}

const statementNames = new Map<string, string>();

/**
 * A name per distinct SQL text, so node-postgres prepares each statement once per connection
 * instead of parsing and planning it on every call (the push's few statements run per document).
 */
function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (name === undefined) {
    name = `s${statementNames.size + 1}`;
    statementNames.set(sql, name);
  }
  return name;
}

/** node-postgres pool over a real server. */
export function createPgDatabase(connectionString: string, options: { max?: number } = {}): Database {
  const max = options.max ?? 10;
  const pool = new pg.Pool({ connectionString, options: SESSION_OPTIONS, max });
  // An idle client's connection dropping (server restart) is reported here; without a listener it would crash the process.
  pool.on('error', () => {});
  return {
    description: redact(connectionString),
    // Leave connections for pulls and other requests while a push runs.
    parallelism: Math.max(1, Math.floor(max / 2)),
    async query<T>(sql: string, params: readonly unknown[] = []) {
      const result = await pool.query({ name: statementName(sql), text: sql, values: params as unknown[] });
      return { rows: result.rows as T[] };
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        const tx: Queryable = {
          async query<R>(sql: string, params: readonly unknown[] = []) {
            const result = await client.query({ name: statementName(sql), text: sql, values: params as unknown[] });
            return { rows: result.rows as R[] };
          },
        };
        const value = await fn(tx);
        await client.query('COMMIT');
        return value;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true; // The connection is gone; do not hand it to the next caller.
        }
        throw error;
      } finally {
        client.release(broken);
      }
    },
    close: () => pool.end(),
    newClient: () =>
      new pg.Client({ connectionString, options: SESSION_OPTIONS, keepAlive: true, connectionTimeoutMillis: 10_000 }),
  };
}

/** Embedded PGlite, and a copy of its whole data folder (a tarball) to start another one from. */
export interface PgliteDatabase extends Database {
  dump(): Promise<Blob>;
}

/**
 * Embedded PGlite (Postgres 18 in WebAssembly): one connection, transactions serialised by PGlite.
 * `loadDataDir` starts it from a dump instead of an empty cluster (tests: initdb costs seconds).
 */
export async function createPgliteDatabase(
  dataDir?: string,
  options: { loadDataDir?: Blob } = {},
): Promise<PgliteDatabase> {
  const { PGlite } = await import('@electric-sql/pglite');
  const db: PGlite = await PGlite.create({
    ...(dataDir === undefined ? {} : { dataDir }),
    ...(options.loadDataDir === undefined ? {} : { loadDataDir: options.loadDataDir }),
  });
  await db.exec(`SET TimeZone = 'UTC'; SET extra_float_digits = 1`);
  const queryable = (target: Pick<PGlite, 'query'>): Queryable => ({
    async query<T>(sql: string, params: readonly unknown[] = []) {
      const result = await target.query<T>(sql, params as unknown[]);
      return { rows: result.rows };
    },
  });
  return {
    description: dataDir === undefined ? 'PGlite (in memory)' : `PGlite ${dataDir}`,
    parallelism: 1,
    ...queryable(db),
    transaction: (fn) => db.transaction((tx) => fn(queryable(tx))),
    close: () => db.close(),
    dump: () => db.dumpDataDir('none'),
  };
}

/** The configured database: the real server when a URL is given, else embedded PGlite in `dataDir`. */
export function openDatabase(config: { databaseUrl: string | undefined; dataDir: string }): Promise<Database> {
  return config.databaseUrl === undefined
    ? createPgliteDatabase(config.dataDir)
    : Promise.resolve(createPgDatabase(config.databaseUrl));
}
