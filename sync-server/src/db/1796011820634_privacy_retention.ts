import { consentEntity, retentionPolicyEntity } from '../../../src-shared/entities/privacy.entity';
import { indexNameOf, toPostgresIndexes, toPostgresTable } from '../../../src-shared/schema/to-postgres';
import type { Migration } from './migrate';
import { SYNC_OPTIONS } from './sync-schema';

/**
 * Consent and retention (issue 7):
 * - `consents` and `retention_policies`, the tables of the registry's privacy entities, derived
 *   from their declarations as the first migration derives the others (which leaves them out:
 *   `PRIVACY_ENTITIES`), with their pull cursor indexes;
 * - `retention_runs`, server only: one row per retention run (schedule, command line or app), its
 *   report per policy, read by Settings → Retention;
 * - `audit_chain_anchor`: the link the audit chain starts from once its oldest entries have been
 *   pruned by an audit retention policy (retention/audit-prune.ts). The append-only trigger now lets a
 *   DELETE through only for entries at or before the anchor, so pruning is possible only from the
 *   chain's start, after moving the anchor, and `crm audit verify` checks from the anchor on.
 */

/** The registry entities this migration creates tables for; the first migration leaves them out. */
export const PRIVACY_ENTITIES: ReadonlySet<string> = new Set([consentEntity.name, retentionPolicyEntity.name]);

const GENESIS = `decode(repeat('00', 32), 'hex')`;

/** The erasure migration's function (its redaction UPDATE, unchanged) plus the pruning DELETE. */
const APPEND_ONLY_BUT_PRUNED = `CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NEW.id = OLD.id AND NEW.seq = OLD.seq AND NEW.hash = OLD.hash AND NEW.prev_hash = OLD.prev_hash
       AND NEW.content_digest = OLD.content_digest AND NEW.synced_at = OLD.synced_at
       AND EXISTS (SELECT 1 FROM audit_redactions r
                    WHERE r.entry_id = NEW.id AND r.original_digest = OLD.content_digest
                      AND r.redacted_digest = sha256(convert_to(audit_log_content(NEW), 'UTF8'))) THEN
      RETURN NEW;
    END IF;
  END IF;
  IF TG_OP = 'DELETE' AND OLD.seq <= (SELECT seq FROM audit_chain_anchor) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$`;

export const privacyRetentionMigration: Migration = {
  id: '1796011820634_privacy_retention',
  statements: () => [
    ...[consentEntity, retentionPolicyEntity].flatMap((entity) => [
      toPostgresTable(entity, SYNC_OPTIONS),
      ...toPostgresIndexes(entity),
      `CREATE INDEX IF NOT EXISTS "${indexNameOf(entity.table, ['sync_txid', 'id'])}" ON "${entity.table}" (sync_txid, id)`,
    ]),
    `CREATE TABLE IF NOT EXISTS retention_runs (
  id text PRIMARY KEY,
  started_at timestamptz NOT NULL,
  finished_at timestamptz NOT NULL,
  dry_run boolean NOT NULL,
  trigger text NOT NULL CHECK (trigger IN ('schedule', 'command', 'app')),
  actor_id text NOT NULL,
  report jsonb NOT NULL CHECK (jsonb_typeof(report) = 'array')
)`,
    'CREATE INDEX IF NOT EXISTS retention_runs_started_at_idx ON retention_runs (started_at DESC)',
    `COMMENT ON TABLE retention_runs IS 'Server only: retention runs and their per-policy reports.'`,
    `CREATE TABLE IF NOT EXISTS audit_chain_anchor (
  one boolean PRIMARY KEY DEFAULT true CHECK (one),
  seq bigint NOT NULL,
  hash bytea NOT NULL,
  moved_at timestamptz
)`,
    `INSERT INTO audit_chain_anchor (seq, hash) VALUES (0, ${GENESIS}) ON CONFLICT (one) DO NOTHING`,
    'REVOKE UPDATE, DELETE, TRUNCATE ON audit_chain_anchor FROM PUBLIC',
    APPEND_ONLY_BUT_PRUNED,
  ],
};
