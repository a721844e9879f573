import type { Migration } from './migrate';

/**
 * GDPR erasure (issue 7, "Erasure"; sync-server/src/privacy):
 * - `erased_subjects`: one row per erased person (contact or lead): who erased them, when and why.
 *   Holds the id only, never a personal value.
 * - `erased_records`: every record id the erasure anonymised or removed (the person, the lead they
 *   were converted from, their notes, communications, attachments, activities…). The push path
 *   refuses any later write of one of these ids, or of a record that references an erased person,
 *   so an old offline edit or a re-create with the same id cannot bring the person back.
 * - `audit_redactions`: the audit entries whose personal before/after values were redacted. The
 *   chain keeps each entry's original `content_digest` (so seq, prev_hash and hash stay valid); this
 *   table says which digest the redacted content has now, and the erasure's own chained audit entry
 *   lists the same pair, so `crm audit verify` accepts a redacted entry only when a chained erasure
 *   vouches for exactly its current content (audit-chain.ts).
 *
 * The append-only trigger is redefined to let exactly that UPDATE through: same id, seq, hashes and
 * synced_at, and a redaction row (inserted first, in the same transaction) whose original digest is
 * the entry's and whose redacted digest is the new content's. Any other UPDATE, DELETE or TRUNCATE
 * is still refused, to every role.
 */
export const erasureMigration: Migration = {
  id: '1796011762673_erasure',
  statements: () => [
    `CREATE TABLE IF NOT EXISTS erased_subjects (
  id text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('contact', 'lead')),
  erased_at timestamptz NOT NULL,
  erased_by text NOT NULL,
  reason text NOT NULL,
  audit_entry_id text NOT NULL
)`,
    `CREATE TABLE IF NOT EXISTS erased_records (
  id text PRIMARY KEY,
  kind text NOT NULL,
  subject_id text NOT NULL REFERENCES erased_subjects (id)
)`,
    `CREATE TABLE IF NOT EXISTS audit_redactions (
  entry_id text NOT NULL,
  original_digest bytea NOT NULL,
  redacted_digest bytea NOT NULL,
  erasure_entry_id text NOT NULL,
  PRIMARY KEY (entry_id, redacted_digest)
)`,
    `CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
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
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$`,
    'REVOKE UPDATE, DELETE, TRUNCATE ON audit_redactions FROM PUBLIC',
  ],
};
