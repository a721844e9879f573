/**
 * The one conflict resolver (DESIGN.md §5): a three-way merge per field, with the state the
 * device's change was based on as the base. A field only one side changed takes that side; a field
 * both changed goes to the later write by (updatedAt, updatedBy), so every replica that merges the
 * same two states reaches the same result whatever order it sees them in.
 */

export type Doc = Record<string, unknown>;

export interface MergeResult {
  merged: Doc;
  /** Fields both sides changed to different values: kept for the user to review. */
  collisions: Collision[];
}

/** A field both sides changed to different values; `undefined` stands for an absent field. */
export interface Collision {
  field: string;
  /** The value both started from (undefined when the field was absent or there was no base). */
  base: unknown;
  mine: unknown;
  theirs: unknown;
  kept: 'mine' | 'theirs';
}

/** Bookkeeping fields the merge sets itself rather than merging. */
const STAMPS = new Set(['updatedAt', 'updatedBy']);

export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => sameValue((a as Doc)[k], (b as Doc)[k]));
}

/** Whether `mine` is the later write: later updatedAt, then the greater user id. */
function mineIsLater(mine: Doc, theirs: Doc): boolean {
  const a = String(mine.updatedAt ?? '');
  const b = String(theirs.updatedAt ?? '');
  if (a !== b) return a > b;
  return String(mine.updatedBy ?? '') > String(theirs.updatedBy ?? '');
}

/**
 * Merges the device's state (`mine`) with the server's (`theirs`), both derived from `base`
 * (undefined when both created the same id independently: then every differing field collides).
 */
export function mergeThreeWay(base: Doc | undefined, mine: Doc, theirs: Doc): MergeResult {
  const later = mineIsLater(mine, theirs);
  const merged: Doc = {};
  const collisions: Collision[] = [];
  const fields = new Set([...Object.keys(mine), ...Object.keys(theirs), ...Object.keys(base ?? {})]);
  for (const field of fields) {
    if (STAMPS.has(field)) continue;
    const m = mine[field];
    const t = theirs[field];
    let value: unknown;
    if (sameValue(m, t)) value = m;
    else if (base && sameValue(m, base[field])) value = t;
    else if (base && sameValue(t, base[field])) value = m;
    else {
      value = later ? m : t;
      collisions.push({ field, base: base?.[field], mine: m, theirs: t, kept: later ? 'mine' : 'theirs' });
    }
    if (value !== undefined) merged[field] = value;
  }
  const stampsFrom = later ? mine : theirs;
  for (const field of STAMPS) if (stampsFrom[field] !== undefined) merged[field] = stampsFrom[field];
  return { merged, collisions };
}
