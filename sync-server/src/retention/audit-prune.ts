import { auditEntry } from '../../../src-shared/audit/audit-changes';
import { auditLogEntity } from '../../../src-shared/entities/audit.entity';
import type { Queryable } from '../db/database';
import { insertRow } from '../sync/row-writer';

/**
 * Audit retention without breaking the hash chain (audit/audit-chain.ts). Entries are pruned only
 * from the chain's START, never from its middle: the newest prunable entry (every entry before the
 * first one made at or after the cut-off) becomes the chain's anchor, its seq and hash stored in
 * `audit_chain_anchor`, and the entries up to it are deleted (the append-only trigger lets a DELETE
 * through only at or before the anchor, migration 1796011820634). In the same transaction a
 * `purge` entry is chained naming the old and new anchor, so `crm audit verify` starts from the
 * anchor and also checks that a chained entry vouches for it: moving the anchor by hand, to hide
 * entries deleted from the start, shows.
 */

export interface Anchor {
  seq: string;
  hash: string;
}

export interface AuditPrunePlan {
  /** Entries the prune removes (after the current anchor, up to the new one). */
  matched: number;
  sampleIds: string[];
  /** The seq the chain would then start after. */
  throughSeq: string;
}

export const ANCHOR_SQL = `SELECT seq::text AS seq, encode(hash, 'hex') AS hash FROM audit_chain_anchor`;

/** The current anchor: seq 0 and the genesis hash before any prune. */
export async function readAnchor(db: Queryable, lock = false): Promise<Anchor> {
  const { rows } = await db.query<Anchor>(`${ANCHOR_SQL}${lock ? ' FOR UPDATE' : ''}`);
  return rows[0] ?? { seq: '0', hash: '00'.repeat(32) };
}

/** The last seq before the first entry made at or after `cutoff` (entries after it are kept, old or not). */
const THROUGH = `SELECT COALESCE((SELECT min(seq) FROM audit_log WHERE at >= $1::timestamptz),
  (SELECT COALESCE(max(seq), 0) + 1 FROM audit_log)) - 1 AS through`;

export async function planAuditPrune(db: Queryable, cutoff: Date): Promise<AuditPrunePlan> {
  const anchor = await readAnchor(db);
  const through = (await db.query<{ through: string }>(THROUGH, [cutoff.toISOString()])).rows[0]?.through ?? '0';
  const { rows } = await db.query<{ n: number; ids: string[] | null }>(
    `SELECT count(*)::int AS n, (array_agg(id ORDER BY seq))[1:5] AS ids
     FROM audit_log WHERE seq > $1::bigint AND seq <= $2::bigint`,
    [anchor.seq, through],
  );
  return { matched: rows[0]?.n ?? 0, sampleIds: rows[0]?.ids ?? [], throughSeq: through };
}

export interface PruneStamp {
  entryId: string;
  at: Date;
  actorId: string;
  reason: string;
}

/**
 * Prunes the chain's start up to the plan's seq in `tx` (the caller's transaction, which must
 * also hold nothing else of the audit log open). Returns how many entries were deleted.
 */
export async function pruneAudit(tx: Queryable, cutoff: Date, stamp: PruneStamp): Promise<number> {
  const old = await readAnchor(tx, true);
  const through = (await tx.query<{ through: string }>(THROUGH, [cutoff.toISOString()])).rows[0]?.through ?? '0';
  if (BigInt(through) <= BigInt(old.seq)) return 0;
  const hash = (
    await tx.query<{ hash: string }>(`SELECT encode(hash, 'hex') AS hash FROM audit_log WHERE seq = $1::bigint`, [
      through,
    ])
  ).rows[0]?.hash;
  if (hash === undefined)
    throw new Error(`audit_log has no entry ${through}: the chain has a gap, run crm audit verify`);
  await tx.query(
    `UPDATE audit_chain_anchor SET seq = $1::bigint, hash = decode($2, 'hex'), moved_at = $3::timestamptz`,
    [through, hash, stamp.at.toISOString()],
  );
  const deleted = await tx.query<{ n: number }>(
    'WITH d AS (DELETE FROM audit_log WHERE seq <= $1::bigint RETURNING 1) SELECT count(*)::int AS n FROM d',
    [through],
  );
  const entry = auditEntry(
    { id: stamp.entryId, at: stamp.at, actorId: stamp.actorId, deviceId: 'server', collection: 'audit' },
    [
      {
        id: stamp.entryId,
        kind: auditLogEntity.name,
        action: 'purge',
        changes: { anchorSeq: [old.seq, through], anchorHash: [old.hash, hash] },
      },
    ],
  );
  await insertRow(tx, auditLogEntity, { ...entry, source: 'server', reason: stamp.reason, _deleted: false });
  return deleted.rows[0]?.n ?? 0;
}

/**
 * Whether the anchor is vouched for: at seq 0 always; else the latest chained `purge` entry of the
 * audit log must name it (its `changes.anchorSeq[1]` and `anchorHash[1]`). For `verifyAuditChain`.
 */
export async function anchorProblem(db: Queryable, anchor: Anchor): Promise<string | undefined> {
  if (anchor.seq === '0') return undefined;
  const { rows } = await db.query<{ seq: string | null; hash: string | null }>(
    `SELECT changes->'anchorSeq'->>1 AS seq, changes->'anchorHash'->>1 AS hash FROM audit_log
     WHERE action = 'purge' AND entity_kind = 'auditLog' AND seq > $1::bigint ORDER BY seq DESC LIMIT 1`,
    [anchor.seq],
  );
  const vouch = rows[0];
  if (vouch?.seq === anchor.seq && vouch.hash === anchor.hash) return undefined;
  return vouch === undefined ? 'no purge entry' : `purge entry names ${vouch.seq} ${vouch.hash}`;
}
