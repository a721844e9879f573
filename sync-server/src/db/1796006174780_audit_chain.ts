import type { Migration } from './migrate';

/**
 * The audit trail as a hash chain (issue 7, "Audit that can be trusted"; sync-server/README.md
 * "Tamper-evident audit"). Columns the server alone sets, never registry fields (devices neither
 * see nor send them; a pushed entry naming one is refused as "not a field of Audit entry"):
 * - `seq`: the entry's place in the chain, 1, 2, 3… without gaps, in commit order;
 * - `synced_at`: when the server stored the entry (the device's own time is `at`);
 * - `content_digest`: sha256 of the entry's canonical content (`audit_log_content`, below);
 * - `prev_hash`: the previous entry's `hash` (32 zero bytes for seq 1);
 * - `hash`: sha256(prev_hash ‖ int8send(seq) ‖ content_digest), int8send being the 8-byte big-endian seq.
 *
 * A BEFORE INSERT trigger fills them for every writer (push, automation, admin SQL, future code):
 * it locks the one-row `audit_chain_head` until the inserting transaction ends, so concurrent writers
 * take turns and a rolled-back insert leaves the head as it was (no gap, no fork). Whatever a writer
 * puts in these columns is overwritten. Existing entries are chained here in (server_updated_at,
 * sync_txid, id) order, their synced_at being their server_updated_at.
 *
 * The canonical content is the row as `to_jsonb`, less seq, content_digest, prev_hash, hash and the
 * sync bookkeeping (sync_txid, sync_removed, server_updated_at; synced_at stays in), less top-level null values (so a column added later,
 * NULL on old rows, changes no old digest), printed as jsonb text (keys in jsonb's order: shorter
 * first, then bytewise; `"key": value` pairs joined by ", "; numbers as numeric prints them), with
 * timestamps in UTC (`2026-03-01T10:00:00.123+00:00`), whatever the session's time zone.
 */

/** The columns this migration adds to audit_log, beyond the registry's and the sync columns. */
export const AUDIT_CHAIN_COLUMNS = [
  { column: 'seq', pgType: 'bigint' },
  { column: 'synced_at', pgType: 'timestamptz' },
  { column: 'content_digest', pgType: 'bytea' },
  { column: 'prev_hash', pgType: 'bytea' },
  { column: 'hash', pgType: 'bytea' },
] as const;

const CHAIN_COLUMNS = AUDIT_CHAIN_COLUMNS.map((c) => c.column);
/** Left out of the content: seq is hashed on its own, the others are the hash or bookkeeping. synced_at is in. */
const EXCLUDED = ['seq', 'content_digest', 'prev_hash', 'hash', 'sync_txid', 'sync_removed', 'server_updated_at'];

export const AUDIT_CONTENT_FUNCTION = `CREATE OR REPLACE FUNCTION audit_log_content(r audit_log) RETURNS text
LANGUAGE sql STABLE SET TimeZone = 'UTC' SET extra_float_digits = 1 AS $$
  SELECT (SELECT jsonb_object_agg(e.key, e.value) FROM jsonb_each(to_jsonb(r)) AS e
          WHERE e.value <> 'null'::jsonb AND e.key <> ALL (ARRAY[${EXCLUDED.map((c) => `'${c}'`).join(', ')}]))::text
$$`;

const GENESIS = `decode(repeat('00', 32), 'hex')`;

const CHAIN_TRIGGER_FUNCTION = `CREATE OR REPLACE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  head record;
BEGIN
  SELECT seq, hash INTO STRICT head FROM audit_chain_head FOR UPDATE;
  NEW.seq := head.seq + 1;
  NEW.prev_hash := head.hash;
  NEW.synced_at := now();
  NEW.content_digest := sha256(convert_to(audit_log_content(NEW), 'UTF8'));
  NEW.hash := sha256(NEW.prev_hash || int8send(NEW.seq) || NEW.content_digest);
  UPDATE audit_chain_head SET seq = NEW.seq, hash = NEW.hash;
  RETURN NEW;
END
$$`;

/** Chains the entries written before this migration, oldest first, from the head on. */
const BACKFILL = `DO $$
DECLARE
  head record;
  entry audit_log;
  digest bytea;
  link bytea;
BEGIN
  SELECT seq, hash INTO STRICT head FROM audit_chain_head FOR UPDATE;
  FOR entry IN SELECT * FROM audit_log WHERE seq IS NULL ORDER BY server_updated_at, sync_txid, id LOOP
    head.seq := head.seq + 1;
    entry.seq := head.seq;
    entry.prev_hash := head.hash;
    entry.synced_at := entry.server_updated_at;
    digest := sha256(convert_to(audit_log_content(entry), 'UTF8'));
    link := sha256(head.hash || int8send(head.seq) || digest);
    UPDATE audit_log SET seq = entry.seq, prev_hash = entry.prev_hash, synced_at = entry.synced_at,
      content_digest = digest, hash = link WHERE id = entry.id;
    head.hash := link;
  END LOOP;
  UPDATE audit_chain_head SET seq = head.seq, hash = head.hash;
END
$$`;

export const auditChainMigration: Migration = {
  id: '1796006174780_audit_chain',
  statements: () => [
    `ALTER TABLE audit_log ${AUDIT_CHAIN_COLUMNS.map((c) => `ADD COLUMN IF NOT EXISTS ${c.column} ${c.pgType}`).join(', ')}`,
    `CREATE TABLE IF NOT EXISTS audit_chain_head (
  one boolean PRIMARY KEY DEFAULT true CHECK (one),
  seq bigint NOT NULL,
  hash bytea NOT NULL
)`,
    `INSERT INTO audit_chain_head (seq, hash) VALUES (0, ${GENESIS}) ON CONFLICT (one) DO NOTHING`,
    AUDIT_CONTENT_FUNCTION,
    // The backfill updates rows, which the append-only trigger refuses to everyone else.
    'ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only',
    BACKFILL,
    'ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only',
    ...CHAIN_COLUMNS.map((c) => `ALTER TABLE audit_log ALTER COLUMN ${c} SET NOT NULL`),
    `CREATE UNIQUE INDEX IF NOT EXISTS audit_log_seq_key ON audit_log (seq)`,
    CHAIN_TRIGGER_FUNCTION,
    `CREATE OR REPLACE TRIGGER audit_log_chain BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_chain()`,
    // Defence in depth for a server that connects as another role than the owner (README): the
    // triggers refuse UPDATE and DELETE to everyone, and only the owner can disable them.
    'REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC',
    'REVOKE UPDATE, DELETE, TRUNCATE ON audit_chain_head FROM PUBLIC',
  ],
};
