import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createPgDatabase, createPgliteDatabase, type PgliteDatabase } from '../../sync-server/src/db/database';
import { MIGRATIONS, migrate } from '../../sync-server/src/db/migrate';
import { ADMIN_URL, createTestDatabase, type TestDatabase } from './postgres';

/**
 * Fresh databases that are already migrated, for the many tests that only need the server's schema.
 * Migrating costs ~0.8 s on Postgres, and a new PGlite costs its initdb (5–10 s on this machine) on
 * top; a run makes hundreds. So the unit group's globalSetup (`prepareMigratedTemplates`) migrates
 * once: a Postgres template database (`CREATE DATABASE … TEMPLATE`) and a PGlite data-folder dump,
 * named by a hash of the migrations (a changed migration gets a new pair), and its teardown drops both.
 * Without them (a bench, a file run on its own) each database is created and migrated as before.
 * Tests of migrations themselves keep using empty databases: on PGlite a dump of the same cluster
 * taken before migrating (`createEmptyPglite`), so they too skip initdb.
 */

const PG_TEMPLATE_ENV = 'FIELDCRM_TEST_PG_TEMPLATE';
const PGLITE_DUMP_ENV = 'FIELDCRM_TEST_PGLITE_DUMP';
const PGLITE_EMPTY_DUMP_ENV = 'FIELDCRM_TEST_PGLITE_EMPTY_DUMP';

const key = () =>
  createHash('sha256')
    .update(MIGRATIONS.map((m) => `${m.id}\n${m.statements().join(';\n')}`).join('\n\n'))
    .digest('hex')
    .slice(0, 12);

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** globalSetup: builds both templates; returns their teardown. Sets the variables the workers read. */
export async function prepareMigratedTemplates(): Promise<() => Promise<void>> {
  const suffix = `${key()}_${process.pid}`;
  const template = `crm_tpl_${suffix}`;
  const building = await createTestDatabase('crm_tplbuild');
  const db = createPgDatabase(building.url, { max: 1 });
  await migrate(db);
  await db.close();
  await building.pool.end();
  await admin((client) => client.query(`ALTER DATABASE "${building.name}" RENAME TO "${template}"`));

  const lite = await createPgliteDatabase();
  const emptyDumpFile = join(tmpdir(), `fieldcrm-pglite-empty-${suffix}.tar`);
  writeFileSync(emptyDumpFile, new Uint8Array(await (await lite.dump()).arrayBuffer()));
  await migrate(lite);
  const dumpFile = join(tmpdir(), `fieldcrm-pglite-${suffix}.tar`);
  writeFileSync(dumpFile, new Uint8Array(await (await lite.dump()).arrayBuffer()));
  await lite.close();

  process.env[PG_TEMPLATE_ENV] = template;
  process.env[PGLITE_DUMP_ENV] = dumpFile;
  process.env[PGLITE_EMPTY_DUMP_ENV] = emptyDumpFile;
  return async () => {
    rmSync(dumpFile, { force: true });
    rmSync(emptyDumpFile, { force: true });
    await admin((client) => client.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`));
  };
}

/** A fresh Postgres database with the server's schema (from the template when there is one). */
export async function createMigratedTestDatabase(prefix: string): Promise<TestDatabase> {
  const template = process.env[PG_TEMPLATE_ENV];
  if (template) return createTestDatabase(prefix, { template });
  const test = await createTestDatabase(prefix);
  const db = createPgDatabase(test.url, { max: 1 });
  try {
    await migrate(db);
  } finally {
    await db.close();
  }
  return test;
}

const dumps = new Map<string, Blob>();

/** The dump named by the variable, read once per worker; undefined without globalSetup. */
function dumpOf(env: string): Blob | undefined {
  const file = process.env[env];
  if (!file || !existsSync(file)) return undefined;
  let dump = dumps.get(file);
  if (!dump) {
    dump = new Blob([new Uint8Array(readFileSync(file))]);
    dumps.set(file, dump);
  }
  return dump;
}

/** A fresh in-memory PGlite with the server's schema (from the dump when there is one). */
export async function createMigratedPglite(): Promise<PgliteDatabase> {
  const dump = dumpOf(PGLITE_DUMP_ENV);
  if (dump) return createPgliteDatabase(undefined, { loadDataDir: dump });
  const db = await createPgliteDatabase();
  await migrate(db);
  return db;
}

/** A fresh in-memory PGlite with nothing in it, as initdb leaves it (from the dump when there is one). */
export function createEmptyPglite(): Promise<PgliteDatabase> {
  const dump = dumpOf(PGLITE_EMPTY_DUMP_ENV);
  return createPgliteDatabase(undefined, dump ? { loadDataDir: dump } : {});
}
