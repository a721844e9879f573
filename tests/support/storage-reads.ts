import type { TestDb } from './local-db';

/** Counts what the contacts' storage answers each query with, from now on: a page's reads, and their sizes. */
export function countContactReads(t: TestDb): number[] {
  const storage = t.db.rx.contacts.storageInstance;
  const query = storage.query.bind(storage);
  const reads: number[] = [];
  storage.query = async (prepared) => {
    const result = await query(prepared);
    reads.push(result.documents.length);
    return result;
  };
  return reads;
}

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
