import type { CollectionName } from '../../src-shared/schema/define-entity';
import type { TestDb } from './local-db';

/**
 * Counts what one collection's storage answers each query with, from now on: a page's reads, and
 * their sizes. Several kinds share a collection (notes and communications are both 'activities').
 */
export function countReads(t: TestDb, collection: CollectionName): number[] {
  const storage = t.db.rx[collection].storageInstance;
  const query = storage.query.bind(storage);
  const reads: number[] = [];
  storage.query = async (prepared) => {
    const result = await query(prepared);
    reads.push(result.documents.length);
    return result;
  };
  return reads;
}

/** countReads of the contacts. */
export const countContactReads = (t: TestDb): number[] => countReads(t, 'contacts');

/** Waits (5 s at most) until `ok` holds; the timeout names `what`. */
export async function until(ok: () => boolean, what: () => string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Waits until `n` reads were counted. */
export const untilReads = (reads: readonly number[], n: number) =>
  until(
    () => reads.length >= n,
    () => `${n} reads; ${reads.length} so far`,
  );
