import type { Queryable } from '../../sync-server/src/db/database';

/** Deterministic pseudo-random numbers (mulberry32), so a run can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Waits until pulls can see every transaction committed so far. Tests run in parallel on one
 * Postgres cluster, and a pull serves rows only below the oldest transaction running anywhere on
 * it, so another test's open transaction can hold back rows this test has committed.
 */
export async function caughtUp(db: Queryable, timeoutMs = 30_000): Promise<void> {
  const { rows } = await db.query<{ mark: string }>('SELECT pg_current_xact_id()::text AS mark');
  const mark = BigInt(rows[0]?.mark ?? '0');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = await db.query<{ xmin: string }>('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin');
    if (BigInt(now.rows[0]?.xmin ?? '0') > mark) return;
    if (Date.now() > deadline) throw new Error(`the transaction horizon stayed below ${mark} for ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
