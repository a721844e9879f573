import type { ScopeDefinition } from '../auth/access';
import type { Queryable } from '../db/database';

/**
 * Scope definitions by fingerprint (`sync_scopes`, migration 1795996000000_scope_history): a pull
 * whose checkpoint names an older fingerprint looks up what that device could see, to serve as
 * removals what it may no longer see. Written once per definition; the in-process set spares the
 * insert on every pull.
 */

/** Fingerprints stored, per database handle (tests and tools open several). */
const knownBy = new WeakMap<Queryable, Set<string>>();
const KNOWN_MAX = 10_000;

export async function rememberScope(db: Queryable, fingerprint: string, definition: ScopeDefinition): Promise<void> {
  let known = knownBy.get(db);
  if (known === undefined) {
    known = new Set();
    knownBy.set(db, known);
  }
  if (known.has(fingerprint)) return;
  await db.query(
    `INSERT INTO sync_scopes (fingerprint, definition) VALUES ($1, $2::text::jsonb) ON CONFLICT (fingerprint) DO NOTHING`,
    [fingerprint, JSON.stringify(definition)],
  );
  if (known.size >= KNOWN_MAX) known.clear();
  known.add(fingerprint);
}

/** The definition a fingerprint was made from; undefined when it was never remembered (e.g. another database). */
export async function recallScope(db: Queryable, fingerprint: string): Promise<ScopeDefinition | undefined> {
  const { rows } = await db.query<{ definition: ScopeDefinition }>(
    'SELECT definition FROM sync_scopes WHERE fingerprint = $1',
    [fingerprint],
  );
  return rows[0]?.definition;
}
