import { createHash } from 'node:crypto';
import { auditLogEntity } from '../../../src-shared/entities/audit.entity';
import { ENTITIES } from '../../../src-shared/entities/registry';
import { toPostgresDDL } from '../../../src-shared/schema/to-postgres';
import { authCredentialsMigration } from './1795986786047_auth_credentials';
import { recordScopeMigration } from './1795990754587_record_scope';
import { scopeHistoryMigration } from './1795996000000_scope_history';
import { fileBlobsMigration } from './1796000828320_file_blobs';
import { automationMigration } from './1796003080160_automation';
import { workflowRunVersionsMigration } from './1796004368305_workflow_run_versions';
import { LIST_INDEXES_ADDED, listIndexesMigration, registryBefore } from './1796004409111_list_indexes';
import { automationWebhooksMigration } from './1796004787395_automation_webhooks';
import { auditChainMigration } from './1796006174780_audit_chain';
import { apiKeysMigration } from './1796010000000_api_keys';
import { integrationsMigration } from './1796011729911_integrations';
import { erasureMigration } from './1796011762673_erasure';
import { PRIVACY_ENTITIES, privacyRetentionMigration } from './1796011820634_privacy_retention';
import { automationManualRunsMigration } from './1796012485965_automation_manual_runs';
import { devicesMigration } from './1796013000000_devices';
import { auditChainBatchMigration } from './1796024638638_audit_chain_batch';
import { auditChainContentMigration } from './1796037618269_audit_chain_content';
import { contentInteractionOpenMigration, withoutAddedTypes } from './1796046110969_content_interaction_open';
import { workflowTriggersBefore, workflowTriggerTypesMigration } from './1796046223043_workflow_trigger_types';
import { researchJobsMigration } from './1796047000000_research_jobs';
import { ACTIVITY_FILTER_INDEXES_ADDED, activityFilterIndexesMigration } from './1796081080604_activity_filter_indexes';
import { TASK_OWNER_INDEX_ADDED, taskOwnerIndexMigration } from './1796090560207_task_owner_index';
import { deviceBoundTokensMigration } from './1796125096022_device_bound_tokens';
import type { Database, Queryable } from './database';
import { cursorIndexes, quoted, SYNC_OPTIONS } from './sync-schema';

/**
 * Schema migrations, applied in order, each once, all pending ones in ONE transaction: a failing
 * statement leaves the database as it was. Append-only (HOUSE-STYLE.md): never edit an applied
 * migration, add one. Ids are `<unix-ms>_<name>`.
 */
export interface Migration {
  id: string;
  statements(): string[];
}

const AUDIT = quoted(auditLogEntity.table);

/** The audit trail is immutable on the server (DESIGN.md §7): refuse UPDATE, DELETE and TRUNCATE in the database itself. */
const AUDIT_APPEND_ONLY = [
  `CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$`,
  `CREATE OR REPLACE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON ${AUDIT}
   FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`,
  `CREATE OR REPLACE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON ${AUDIT}
   FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`,
];

const SYNC_META = `CREATE TABLE IF NOT EXISTS sync_meta (
  key text PRIMARY KEY,
  value text NOT NULL
)`;

/**
 * What later migrations added to the registry's tables. The first migration derives its tables
 * from the registry without them, so it stays what it was when applied (no drift) and later
 * migrations add them, to new databases and existing ones alike.
 */
const REGISTRY_ADDITIONS = [LIST_INDEXES_ADDED, ACTIVITY_FILTER_INDEXES_ADDED, TASK_OWNER_INDEX_ADDED];
/** The entities the first migration made tables for: later ones are created by their own migration. */
const FIRST_ENTITIES = withoutAddedTypes(ENTITIES.filter((e) => !PRIVACY_ENTITIES.has(e.name)));

export const MIGRATIONS: readonly Migration[] = [
  {
    id: '1767225600000_registry_schema',
    statements: () => [
      ...toPostgresDDL(SYNC_OPTIONS, workflowTriggersBefore(registryBefore(FIRST_ENTITIES, REGISTRY_ADDITIONS))),
      ...cursorIndexes(FIRST_ENTITIES),
      SYNC_META,
      ...AUDIT_APPEND_ONLY,
    ],
  },
  authCredentialsMigration,
  recordScopeMigration,
  scopeHistoryMigration,
  fileBlobsMigration,
  automationMigration,
  workflowRunVersionsMigration,
  listIndexesMigration,
  automationWebhooksMigration,
  auditChainMigration,
  apiKeysMigration,
  integrationsMigration,
  erasureMigration,
  privacyRetentionMigration,
  automationManualRunsMigration,
  devicesMigration,
  auditChainBatchMigration,
  auditChainContentMigration,
  contentInteractionOpenMigration,
  researchJobsMigration,
  workflowTriggerTypesMigration,
  activityFilterIndexesMigration,
  taskOwnerIndexMigration,
  deviceBoundTokensMigration,
];

const SCHEMA_MIGRATIONS = `CREATE TABLE IF NOT EXISTS schema_migrations (
  id text PRIMARY KEY,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

/** Any constant: serialises migrations of several server instances starting at once on one database. */
const MIGRATION_LOCK = 7_240_113;

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
  constructor(
    readonly migration: string,
    readonly statement: number,
    cause: unknown,
  ) {
    super(
      `migration ${migration}, statement ${statement + 1}: ${cause instanceof Error ? cause.message : String(cause)}`,
      {
        cause,
      },
    );
  }
}

export interface MigrationReport {
  applied: string[];
  /** Applied migrations whose statements have changed since (e.g. the registry changed without a new migration). */
  drifted: string[];
  epoch: string;
  /** True when this run created a new epoch (first run, or the database was moved or restored). */
  newEpoch: boolean;
}

function checksumOf(statements: readonly string[]): string {
  return createHash('sha256').update(statements.join(';\n')).digest('hex');
}

/**
 * The epoch names this database's history of cursor stamps (rule 9). It is created once; it is
 * rotated when the database is no longer the one that created it (a dump restored into a new
 * database or cluster gets another database oid or system identifier, and restarts txids), so
 * devices pull afresh. A physical restore onto the same cluster keeps both: then delete the
 * `epoch` row of sync_meta before starting the server (sync-server/README.md).
 */
async function ensureEpoch(tx: Queryable): Promise<{ epoch: string; newEpoch: boolean }> {
  const identity = (
    await tx.query<{ identity: string }>(
      `SELECT s.system_identifier::text || '/' || d.oid::text AS identity
       FROM pg_control_system() s, pg_database d WHERE d.datname = current_database()`,
    )
  ).rows[0]?.identity;
  const stored = await tx.query<{ key: string; value: string }>(
    `SELECT key, value FROM sync_meta WHERE key IN ('epoch', 'identity')`,
  );
  const meta = new Map(stored.rows.map((r) => [r.key, r.value]));
  const epoch = meta.get('epoch');
  if (epoch !== undefined && meta.get('identity') === identity) return { epoch, newEpoch: false };
  const rows = await tx.query<{ value: string }>(
    `INSERT INTO sync_meta (key, value) VALUES ('epoch', gen_random_uuid()::text)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value RETURNING value`,
  );
  await tx.query(
    `INSERT INTO sync_meta (key, value) VALUES ('identity', $1) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
    [identity ?? 'unknown'],
  );
  return { epoch: rows.rows[0]?.value ?? '', newEpoch: true };
}

/** Applies pending migrations in one transaction; running it again changes nothing. */
export async function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): Promise<MigrationReport> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query(SCHEMA_MIGRATIONS);
    const done = await tx.query<{ id: string; checksum: string }>('SELECT id, checksum FROM schema_migrations');
    const applied = new Map(done.rows.map((r) => [r.id, r.checksum]));
    const report: Omit<MigrationReport, 'epoch' | 'newEpoch'> = { applied: [], drifted: [] };
    for (const migration of migrations) {
      const statements = migration.statements();
      const checksum = checksumOf(statements);
      const previous = applied.get(migration.id);
      if (previous !== undefined) {
        if (previous !== checksum) report.drifted.push(migration.id);
        continue;
      }
      for (const [index, statement] of statements.entries()) {
        try {
          await tx.query(statement);
        } catch (error) {
          throw new MigrationError(migration.id, index, error);
        }
      }
      await tx.query('INSERT INTO schema_migrations (id, checksum) VALUES ($1, $2)', [migration.id, checksum]);
      report.applied.push(migration.id);
    }
    return { ...report, ...(await ensureEpoch(tx)) };
  });
}

export interface Readiness {
  ready: boolean;
  epoch?: string;
  pending: string[];
}

/** Whether every migration is applied and the epoch exists; throws when the database is unreachable. */
export async function readiness(db: Queryable, migrations: readonly Migration[] = MIGRATIONS): Promise<Readiness> {
  const tables = await db.query<{ name: string | null }>(
    `SELECT to_regclass('schema_migrations')::text AS name UNION ALL SELECT to_regclass('sync_meta')::text`,
  );
  if (tables.rows.some((r) => r.name === null)) return { ready: false, pending: migrations.map((m) => m.id) };
  const done = await db.query<{ id: string }>('SELECT id FROM schema_migrations');
  const applied = new Set(done.rows.map((r) => r.id));
  const pending = migrations.filter((m) => !applied.has(m.id)).map((m) => m.id);
  const epoch = (await db.query<{ value: string }>(`SELECT value FROM sync_meta WHERE key = 'epoch'`)).rows[0]?.value;
  return { ready: pending.length === 0 && epoch !== undefined, pending, ...(epoch === undefined ? {} : { epoch }) };
}

/** The current epoch; throws if the database is not migrated. */
export async function currentEpoch(db: Queryable): Promise<string> {
  const { rows } = await db.query<{ value: string }>(`SELECT value FROM sync_meta WHERE key = 'epoch'`);
  const epoch = rows[0]?.value;
  if (epoch === undefined) throw new Error('sync_meta has no epoch: the database is not migrated');
  return epoch;
}
