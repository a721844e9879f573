import type { Migration } from './migrate';

/**
 * The audit chain trigger (1796006174780_audit_chain.ts), cheaper per entry when one transaction
 * writes many (benchmark B5: a push of 500 edits writes 500 server entries in one INSERT). The chain
 * it builds is the same, link for link: seq, prev_hash, synced_at, content_digest and hash are
 * computed exactly as before, and `verifyAuditChain` is unchanged.
 *
 * What changes is where the running head lives while a transaction writes:
 * - before, every entry locked `audit_chain_head` again and updated it (500 entries: 500 locks and
 *   500 new row versions of the one-row table, which each later look-up walked; ~1 ms an entry);
 * - now the first entry of a transaction locks the head (`FOR UPDATE`, held to the end as before,
 *   so concurrent writers still take turns) and the running seq and hash are kept in two
 *   transaction-local settings (`set_config(…, true)`); the head row is written once per INSERT
 *   statement, by an AFTER STATEMENT trigger.
 * Rollbacks stay consistent: a setting set with is_local reverts with the (sub)transaction that set
 * it, like the rows and the head's update; at commit it is gone, so the next transaction locks again.
 * A session can set these settings itself before inserting; that only yields entries whose seq or
 * prev_hash do not follow the chain, which the unique seq index refuses or the verification reports:
 * the chain stays tamper-evident, as it does against a writer with the owner's rights.
 */

const CHAIN_TRIGGER_FUNCTION = `CREATE OR REPLACE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  head record;
  running text := current_setting('audit_chain.seq', true);
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
  NEW.content_digest := sha256(convert_to(audit_log_content(NEW), 'UTF8'));
  NEW.hash := sha256(NEW.prev_hash || int8send(NEW.seq) || NEW.content_digest);
  PERFORM set_config('audit_chain.seq', NEW.seq::text, true), set_config('audit_chain.hash', encode(NEW.hash, 'hex'), true);
  RETURN NEW;
END
$$`;

/** Writes the running head once per INSERT statement; nothing when the transaction chained nothing. */
const HEAD_TRIGGER_FUNCTION = `CREATE OR REPLACE FUNCTION audit_log_chain_head() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  running text := current_setting('audit_chain.seq', true);
BEGIN
  IF running IS NOT NULL AND running <> '' THEN
    UPDATE audit_chain_head SET seq = running::bigint, hash = decode(current_setting('audit_chain.hash'), 'hex')
    WHERE seq IS DISTINCT FROM running::bigint;
  END IF;
  RETURN NULL;
END
$$`;

export const auditChainBatchMigration: Migration = {
  id: '1796024638638_audit_chain_batch',
  statements: () => [
    CHAIN_TRIGGER_FUNCTION,
    HEAD_TRIGGER_FUNCTION,
    `CREATE OR REPLACE TRIGGER audit_log_chain_head AFTER INSERT ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_chain_head()`,
  ],
};
