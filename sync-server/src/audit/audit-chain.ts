import { createHash } from 'node:crypto';
import type { Queryable } from '../db/database';
import { anchorProblem, readAnchor } from '../retention/audit-prune';

/**
 * Checks the audit trail's hash chain (db/1796006174780_audit_chain.ts, sync-server/README.md
 * "Tamper-evident audit"), oldest entry first, in keyset pages on the unique `seq` index so a
 * million entries never sit in memory at once. Each entry must:
 * - follow the previous one (`seq` one more, no gap, no duplicate);
 * - carry the previous entry's hash as `prev_hash` (32 zero bytes for the first);
 * - have a `content_digest` equal to sha256 of its canonical content, recomputed by the database
 *   (`audit_log_content`: jsonb canonicalisation is Postgres's);
 * - have `hash` = sha256(prev_hash ‖ seq as 8 bytes big-endian ‖ content_digest), recomputed here.
 * Entries without a seq (inserted with the chain trigger disabled) and a chain head that is not
 * the last entry are reported too. An entry whose personal values an erasure redacted passes the
 * content check when its redaction is vouched for by a chained erasure entry (privacy/audit-redaction.ts).
 */

export interface ChainBreak {
  seq: string;
  id: string;
  /** Which check failed. */
  problem: 'seq' | 'prev_hash' | 'content' | 'hash' | 'unchained' | 'head' | 'anchor';
  expected: string;
  actual: string;
}

export type ChainReport = { ok: true; count: number; head: string } | { ok: false; count: number; broken: ChainBreak };

const PAGE = 5_000;
const GENESIS = '00'.repeat(32);

interface ChainRow {
  seq: string;
  id: string;
  prev_hash: string;
  hash: string;
  content_digest: string;
  computed: string;
  /** A chained erasure vouches for the current (redacted) content: privacy/audit-redaction.ts. */
  redacted: boolean;
}

const PAGE_SQL = `SELECT a.seq::text AS seq, a.id, encode(a.prev_hash, 'hex') AS prev_hash, encode(a.hash, 'hex') AS hash,
  encode(a.content_digest, 'hex') AS content_digest,
  encode(sha256(convert_to(audit_log_content(a), 'UTF8')), 'hex') AS computed,
  EXISTS (SELECT 1 FROM audit_redactions AS r JOIN audit_log AS e ON e.id = r.erasure_entry_id
           WHERE r.entry_id = a.id AND r.original_digest = a.content_digest
             AND r.redacted_digest = sha256(convert_to(audit_log_content(a), 'UTF8'))
             AND EXISTS (SELECT 1 FROM jsonb_array_elements(e.records) AS x
                          WHERE x->>'id' = a.id AND x->>'action' = 'redact'
                            AND x->>'originalDigest' = encode(r.original_digest, 'hex')
                            AND x->>'redactedDigest' = encode(r.redacted_digest, 'hex'))) AS redacted
FROM audit_log AS a WHERE a.seq > $1::bigint ORDER BY a.seq LIMIT ${PAGE}`;

/** sha256(prev ‖ int8send(seq) ‖ digest), as the chain trigger computes it. */
export function linkHash(prevHex: string, seq: bigint, digestHex: string): string {
  const seqBytes = Buffer.alloc(8);
  seqBytes.writeBigInt64BE(seq);
  return createHash('sha256')
    .update(Buffer.from(prevHex, 'hex'))
    .update(seqBytes)
    .update(Buffer.from(digestHex, 'hex'))
    .digest('hex');
}

function checkRow(row: ChainRow, expectedSeq: bigint, prev: string): ChainBreak | undefined {
  const at = { seq: row.seq, id: row.id };
  if (BigInt(row.seq) !== expectedSeq) {
    return { ...at, problem: 'seq', expected: expectedSeq.toString(), actual: row.seq };
  }
  if (row.prev_hash !== prev) return { ...at, problem: 'prev_hash', expected: prev, actual: row.prev_hash };
  // A redacted entry keeps its original digest, the one its link hash covers; its content now has
  // the digest a chained erasure entry vouches for (checked in SQL: \`redacted\`). That entry is
  // itself a link of the chain, verified when the walk reaches it.
  if (row.computed !== row.content_digest && !row.redacted) {
    return { ...at, problem: 'content', expected: row.content_digest, actual: row.computed };
  }
  const hash = linkHash(row.prev_hash, expectedSeq, row.content_digest);
  if (hash !== row.hash) return { ...at, problem: 'hash', expected: hash, actual: row.hash };
  return undefined;
}

async function unchained(db: Queryable): Promise<ChainBreak | undefined> {
  const { rows } = await db.query<{ id: string }>('SELECT id FROM audit_log WHERE seq IS NULL ORDER BY id LIMIT 1');
  const id = rows[0]?.id;
  return id === undefined ? undefined : { seq: '', id, problem: 'unchained', expected: 'a seq', actual: 'none' };
}

/**
 * Walks the whole chain; stops at the first broken link. Once audit retention has pruned the
 * chain's start (retention/audit-prune.ts), the walk starts after the anchor, from its hash, and
 * the anchor itself must be the one the latest chained purge entry names.
 */
export async function verifyAuditChain(db: Queryable): Promise<ChainReport> {
  const loose = await unchained(db);
  if (loose) return { ok: false, count: 0, broken: loose };
  const anchor = await readAnchor(db);
  const start = BigInt(anchor.seq);
  let count = 0;
  let prev = anchor.seq === '0' ? GENESIS : anchor.hash;
  let last = anchor.seq;
  for (;;) {
    const { rows } = await db.query<ChainRow>(PAGE_SQL, [last]);
    for (const row of rows) {
      const broken = checkRow(row, start + BigInt(count + 1), prev);
      if (broken) return { ok: false, count, broken };
      count++;
      prev = row.hash;
      last = row.seq;
    }
    if (rows.length < PAGE) break;
  }
  const head = (
    await db.query<{ seq: string; hash: string }>(
      `SELECT seq::text AS seq, encode(hash, 'hex') AS hash FROM audit_chain_head`,
    )
  ).rows[0];
  if (head?.seq !== last || head.hash !== prev) {
    const actual = head === undefined ? 'no head' : `${head.seq} ${head.hash}`;
    return { ok: false, count, broken: { seq: last, id: '', problem: 'head', expected: `${last} ${prev}`, actual } };
  }
  const vouch = await anchorProblem(db, anchor);
  if (vouch !== undefined) {
    const broken = {
      seq: anchor.seq,
      id: '',
      problem: 'anchor',
      expected: `${anchor.seq} ${anchor.hash}`,
      actual: vouch,
    } as const;
    return { ok: false, count, broken };
  }
  return { ok: true, count, head: prev };
}
