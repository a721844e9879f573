import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * A fresh, uniquely named database on the real Postgres server for one test; `drop()` removes it.
 * The server defaults to the local trust-auth instance; `TEST_PG_URL` points elsewhere (any database
 * on the target server works, it is only used to create and drop the test one).
 */
export const ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  name: string;
  /** Connection string of the test database. */
  url: string;
  pool: pg.Pool;
  /** Closes the pool and drops the database, even with connections still open. */
  drop(): Promise<void>;
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Waits until no session is connected to database `name`, or `timeoutMs` has passed. */
async function sessionsEnded(client: pg.Client, name: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await client.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
      [name],
    );
    if ((rows[0]?.n ?? 0) === 0 || Date.now() > until) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function createTestDatabase(
  prefix = 'crm_test',
  options: { template?: string } = {},
): Promise<TestDatabase> {
  // Random rather than injected: the name only has to be unique among concurrent runs.
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const template = options.template === undefined ? '' : ` TEMPLATE "${options.template}"`;
  await admin((client) => client.query(`CREATE DATABASE "${name}"${template}`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 4 });
  let dropped = false;
  return {
    name,
    url: url.toString(),
    pool,
    async drop() {
      if (dropped) return;
      dropped = true;
      await pool.end();
      await admin(async (client) => {
        // A pool's end() can resolve while a closed client's session is still going away; FORCE
        // would then send that client a FATAL it has no listener for any more (an unhandled
        // 'error' that fails the run: seen once in CI). So the sessions get a moment to end.
        await sessionsEnded(client, name, 500);
        // WITH (FORCE) (Postgres 13+) ends stray sessions instead of failing on them.
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      });
    },
  };
}

/** Whether a database of that name exists on the server, e.g. to check a test cleaned up. */
export async function databaseExists(name: string): Promise<boolean> {
  const { rowCount } = await admin((client) => client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]));
  return rowCount === 1;
}
