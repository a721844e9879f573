import fc from 'fast-check';
import { getChangedDocumentsSince, getChangedDocumentsSinceQuery, prepareQuery, type RxStorageInstance } from 'rxdb';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../support/local-db';

/**
 * The upstream's "documents written after a checkpoint" (changes-since-storage.ts) must answer
 * exactly what RxDB's own query answers: same documents, same order, same next checkpoint, for
 * any checkpoint and page size, with updates (a document moves to the end) and removals included.
 */

type Checkpoint = { id: string; lwt: number };
type Instance = RxStorageInstance<Record<string, unknown>, unknown, unknown, Checkpoint>;

let open: TestDb | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

async function byQuery(instance: Instance, limit: number, checkpoint: Checkpoint | undefined) {
  const query = prepareQuery(instance.schema, getChangedDocumentsSinceQuery(instance, limit, checkpoint));
  const { documents } = await instance.query(query);
  const last = documents.at(-1) as { id: string; _meta: { lwt: number } } | undefined;
  return { ids: documents.map((d) => d.id), checkpoint: last ? { id: last.id, lwt: last._meta.lwt } : checkpoint };
}

describe('changes since a checkpoint, served by one index read', () => {
  it('matches RxDB’s query on every page, for random page sizes, with edits and removals', async () => {
    open = await openTestDb({ collections: ['contacts', 'audit'] });
    const t = open;
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) {
      ids.push((await t.repos.contact.create({ firstName: `C${i}`, email: `c${i}@example.com` })).id);
      t.tick(i % 3 === 0 ? 0 : 7);
    }
    for (const id of ids.filter((_, i) => i % 7 === 0)) await t.repos.contact.update(id, { lastName: 'Edited' });
    for (const id of ids.filter((_, i) => i % 11 === 0)) await t.db.rx.collections.contacts.findOne(id).remove();
    const instance = t.db.rx.collections.contacts.storageInstance as unknown as Instance;
    expect(typeof instance.getChangedDocumentsSince).toBe('function');

    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 25 }), { minLength: 1, maxLength: 12 }), async (sizes) => {
        let checkpoint: Checkpoint | undefined;
        for (const size of sizes) {
          const expected = await byQuery(instance, size, checkpoint);
          const actual = await getChangedDocumentsSince(instance, size, checkpoint);
          expect(actual.documents.map((d) => d.id)).toEqual(expected.ids);
          if (expected.ids.length > 0) expect(actual.checkpoint).toEqual(expected.checkpoint);
          checkpoint = actual.checkpoint as Checkpoint;
        }
      }),
      { numRuns: 30 },
    );
    // Walking the whole collection page by page sees every document once, removals included.
    const seen: string[] = [];
    let checkpoint: Checkpoint | undefined;
    for (;;) {
      const page = await getChangedDocumentsSince(instance, 9, checkpoint);
      if (page.documents.length === 0) break;
      seen.push(...page.documents.map((d) => String(d.id)));
      checkpoint = page.checkpoint as Checkpoint;
    }
    expect([...seen].sort()).toEqual([...ids].sort());
  });
});
