import type { Queryable } from '../db/database';
import { likePatterns, redactedChanges, redactedRecords } from './erasure-plan';

/**
 * Redacts personal values in audit entries without breaking the hash chain (audit-chain.ts,
 * sync-server/README.md "Erasure and the audit chain"). An entry's link hash covers its ORIGINAL
 * content digest, which stays in `content_digest`; only `changes` and `records` are rewritten. For
 * each redacted entry, first a row of `audit_redactions` pairs the original digest with the digest
 * of the redacted content, and only then may the append-only trigger let the UPDATE through (it
 * checks that exact pair). The erasure's own entry, appended to the chain after these, lists the
 * same pairs; the verifier accepts a redacted entry only when a chained entry vouches for its current
 * content. So the entries stay (who, when, which fields, which record), their personal values go,
 * and anyone who edits a redacted entry further, or removes a redaction row, breaks verification.
 */

export interface RedactionInput {
  /** Records erased whole: every value of their entries goes. */
  erasedIds: ReadonlySet<string>;
  /** The person's values: entries about other records lose just the values that mention them. */
  markers: readonly string[];
  /** Records kept but scrubbed because they reference the person: their entries lose the name parts too. */
  referencing: ReadonlySet<string>;
  referenceMarkers: readonly string[];
  erasureEntryId: string;
}

export interface Redaction {
  id: string;
  kind: 'auditLog';
  action: 'redact';
  originalDigest: string;
  redactedDigest: string;
}

interface EntryRow {
  id: string;
  entity_id: string;
  changes: unknown;
  records: unknown;
}

const FIND = `SELECT a.id, a.entity_id, a.changes, a.records FROM audit_log AS a
WHERE a.entity_id = ANY($1::text[])
   OR (a.records IS NOT NULL AND EXISTS (SELECT 1 FROM jsonb_array_elements(a.records) AS r WHERE r->>'id' = ANY($1::text[])))
   OR a.entity_id = ANY($3::text[])
   OR lower(a.changes::text) LIKE ANY($2::text[])
   OR lower(a.records::text) LIKE ANY($2::text[])
ORDER BY a.seq`;

const DIGESTS = `SELECT encode(a.content_digest, 'hex') AS original,
  encode(sha256(convert_to(audit_log_content(jsonb_populate_record(a, $2::jsonb)), 'UTF8')), 'hex') AS redacted
FROM audit_log AS a WHERE a.id = $1`;

export async function redactAudit(tx: Queryable, input: RedactionInput): Promise<Redaction[]> {
  const { rows } = await tx.query<EntryRow>(FIND, [
    [...input.erasedIds],
    likePatterns(input.markers),
    [...input.referencing],
  ]);
  const done: Redaction[] = [];
  for (const row of rows) {
    const whole = input.erasedIds.has(row.entity_id);
    const markers = input.referencing.has(row.entity_id) ? input.referenceMarkers : input.markers;
    const patch: Record<string, unknown> = {};
    if (row.changes !== null) patch.changes = redactedChanges(row.changes, whole, markers);
    if (row.records !== null) patch.records = redactedRecords(row.records, input.erasedIds, markers);
    if (
      JSON.stringify(patch.changes ?? null) === JSON.stringify(row.changes) &&
      JSON.stringify(patch.records ?? null) === JSON.stringify(row.records)
    ) {
      continue;
    }
    const digests = (await tx.query<{ original: string; redacted: string }>(DIGESTS, [row.id, JSON.stringify(patch)]))
      .rows[0];
    if (digests === undefined) continue;
    await tx.query(
      `INSERT INTO audit_redactions (entry_id, original_digest, redacted_digest, erasure_entry_id)
       VALUES ($1, decode($2, 'hex'), decode($3, 'hex'), $4) ON CONFLICT DO NOTHING`,
      [row.id, digests.original, digests.redacted, input.erasureEntryId],
    );
    await tx.query(
      `UPDATE audit_log SET
         changes = CASE WHEN $2::jsonb ? 'changes' THEN $2::jsonb -> 'changes' ELSE changes END,
         records = CASE WHEN $2::jsonb ? 'records' THEN $2::jsonb -> 'records' ELSE records END
       WHERE id = $1`,
      [row.id, JSON.stringify(patch)],
    );
    done.push({
      id: row.id,
      kind: 'auditLog',
      action: 'redact',
      originalDigest: digests.original,
      redactedDigest: digests.redacted,
    });
  }
  return done;
}
