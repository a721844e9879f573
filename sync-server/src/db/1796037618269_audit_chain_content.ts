import type { Migration } from './migrate';

/**
 * The audit chain trigger (1796024638638_audit_chain_batch.ts) with a cheaper content digest
 * (benchmark PEER: a push of 1,000 new contacts spent ~70% of its audit INSERT, the largest single
 * statement of a push, in `audit_log_content`). The chain is the same, link for link: the digest
 * is sha256 of the very text `audit_log_content(NEW)` returns, and `verifyAuditChain` still
 * recomputes every digest with `audit_log_content`, so a fast path that ever differed would be
 * reported as a broken link.
 *
 * `audit_log_content` (1796006174780_audit_chain.ts) costs two things per entry:
 * - its `SET TimeZone = 'UTC' SET extra_float_digits = 1` clauses, which save and restore both
 *   settings around every call (and keep the SQL function from being inlined);
 * - rebuilding the row's jsonb through `jsonb_each` and `jsonb_object_agg` to drop top-level nulls.
 * The fast path runs only when the session already has what those clauses set (the server's
 * sessions do: database.ts), so `to_jsonb(NEW)` prints exactly as it would inside the function. It
 * removes the excluded keys and the registry's nullable columns that are NULL with `-`; if any
 * top-level null is left (a jsonb column holding JSON null, a nullable column added later) it takes
 * `audit_log_content` after all. Removing keys from a jsonb object yields the same jsonb as
 * aggregating the others again, and jsonb prints one way.
 */

/** Left out of the content, as `audit_log_content` leaves them out. */
const EXCLUDED = '{seq,content_digest,prev_hash,hash,sync_txid,sync_removed,server_updated_at}';
/**
 * audit_log's nullable columns when this was written (the registry's optional audit fields). Only
 * a speed-up: one not listed that is NULL sends the entry down the exact path.
 */
const NULLABLE = ['deleted_at', 'changes', 'records', 'reason'];

const CHAIN_TRIGGER_FUNCTION = `CREATE OR REPLACE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  head record;
  running text := current_setting('audit_chain.seq', true);
  content jsonb;
BEGIN
  IF running IS NULL OR running = '' THEN
    SELECT seq, hash INTO STRICT head FROM audit_chain_head FOR UPDATE;
    NEW.seq := head.seq + 1;
    NEW.prev_hash := head.hash;
  ELSE
    NEW.seq := running::bigint + 1;
    NEW.prev_hash := decode(current_setting('audit_chain.hash'), 'hex');
  END IF;
  NEW.synced_at := now();
  IF current_setting('TimeZone') = 'UTC' AND current_setting('extra_float_digits')::int > 0 THEN
    content := to_jsonb(NEW) - '${EXCLUDED}'::text[]
      - array_remove(ARRAY[${NULLABLE.map((c) => `CASE WHEN NEW.${c} IS NULL THEN '${c}' END`).join(', ')}], NULL);
  END IF;
  IF content IS NULL OR content @? 'strict $.* ? (@ == null)' THEN
    NEW.content_digest := sha256(convert_to(audit_log_content(NEW), 'UTF8'));
  ELSE
    NEW.content_digest := sha256(convert_to(content::text, 'UTF8'));
  END IF;
  NEW.hash := sha256(NEW.prev_hash || int8send(NEW.seq) || NEW.content_digest);
  PERFORM set_config('audit_chain.seq', NEW.seq::text, true), set_config('audit_chain.hash', encode(NEW.hash, 'hex'), true);
  RETURN NEW;
END
$$`;

export const auditChainContentMigration: Migration = {
  id: '1796037618269_audit_chain_content',
  statements: () => [CHAIN_TRIGGER_FUNCTION],
};
