import { describe, expect, it } from 'vitest';
import { COLLECTION_ENTITIES } from '../../src-shared/entities/registry';
import { COLLECTIONS } from '../../src-shared/schema/define-entity';
import { sameDoc } from '../../sync-server/src/sync/row-codec';
import { selectForUpdate, selectManyForUpdate } from '../../sync-server/src/sync/row-writer';
import { BACKENDS, fullDoc, pushRows, sampleDoc, startServer } from './sync-server-fixtures';

/**
 * The push decides replays and conflicts on the rows as the row writer reads them back (row-writer.ts
 * `select`, `selectMany`): each must read a written document of every entity as the very document
 * sent, or a replayed batch would be written again (or answered with a conflict).
 */
describe.each(BACKENDS)('push reads back what it wrote, on $name', (backend) => {
  it('reads every entity as sent, and a replayed batch with the sent state assumed writes nothing', async () => {
    const db = await backend.open();
    const app = await startServer(db);
    for (const collection of COLLECTIONS.filter((c) => c !== 'audit')) {
      const docs = COLLECTION_ENTITIES[collection].flatMap((e, i) => [
        { entity: e, doc: fullDoc(e, `${e.name}_full_${i}`) },
        { entity: e, doc: sampleDoc(e, `${e.name}_min_${i}`) },
      ]);
      const first = await pushRows(
        app,
        collection,
        docs.map(({ doc }) => ({ newDocumentState: doc })),
      );
      expect(first.body, collection).toEqual({ conflicts: [], rejected: [] });
      await db.transaction(async (tx) => {
        for (const { entity, doc } of docs) {
          const one = await selectForUpdate(tx, entity, doc.id);
          const many = (await selectManyForUpdate(tx, entity, [doc.id])).get(doc.id);
          expect(one !== undefined && sameDoc(one, doc), `${doc.id} (select)`).toBe(true);
          expect(many !== undefined && sameDoc(many, doc), `${doc.id} (selectMany)`).toBe(true);
          expect(many).toEqual(one);
        }
      });
      const audits = async () =>
        (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log')).rows[0]?.n ?? 0;
      const before = await audits();
      const replay = await pushRows(
        app,
        collection,
        docs.map(({ doc }) => ({ newDocumentState: doc, assumedMasterState: doc })),
      );
      expect(replay.body, collection).toEqual({ conflicts: [], rejected: [] });
      expect(await audits(), `${collection}: a replay writes no audit entry`).toBe(before);
    }
  });
});
