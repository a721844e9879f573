import { afterEach, describe, expect, it } from 'vitest';
import type { ResolvedConflict } from '../../../../src-renderer/db/conflict-handler';
import { type Doc, mergeThreeWay } from '../../../../src-shared/sync/merge';
import { openTestDb, type TestDb } from '../../../support/local-db';

const open: TestDb[] = [];
afterEach(async () => {
  for (const t of open.splice(0)) await t.close();
});

async function db(): Promise<TestDb> {
  const t = await openTestDb({ collections: ['contacts', 'audit'] });
  open.push(t);
  return t;
}

function conflict(base: Doc, mine: Doc, theirs: Doc): ResolvedConflict {
  return { base, mine, theirs, result: mergeThreeWay(base, mine, theirs) };
}

async function conflictEntries(t: TestDb) {
  return t.db.rx.audit.find({ selector: { action: 'conflict' } }).exec();
}

describe('sync review store', () => {
  it('records the same collision once however often RxDB resolves it', async () => {
    const t = await db();
    const record = (await t.repos.contact.create({ firstName: 'Ada', city: 'Oslo' })) as unknown as Doc;
    const mine = { ...record, city: 'Rome', updatedAt: '2026-11-01T10:00:00.000Z', updatedBy: 'u1' };
    const theirs = { ...record, city: 'Paris', updatedAt: '2026-11-01T11:00:00.000Z', updatedBy: 'u2' };
    const first = await t.db.review.recordCollisions('contacts', conflict(record, mine, theirs));
    const again = await t.db.review.recordCollisions('contacts', conflict(record, mine, theirs));
    expect(first).toHaveLength(1);
    expect(again).toEqual([]);
    expect((await t.db.review.list()).collisions).toHaveLength(1);
    expect(await conflictEntries(t)).toHaveLength(1);

    // A newer edit colliding on the same field replaces the item rather than adding one.
    const mine2 = { ...mine, city: 'Milan' };
    await t.db.review.recordCollisions('contacts', conflict(record, mine2, theirs));
    const { collisions } = await t.db.review.list();
    expect(collisions.map((c) => c.mine)).toEqual(['Milan']);
    expect(await conflictEntries(t)).toHaveLength(2);
  });

  it('keeps an absent value as null and refuses to clear a required field, naming it', async () => {
    const t = await db();
    const record = (await t.repos.contact.create({ firstName: 'Ada' })) as unknown as Doc;
    const mine: Doc = { ...record, updatedAt: '2026-11-01T10:00:00.000Z' };
    delete mine.firstName;
    const theirs = { ...record, firstName: 'Ada K.', updatedAt: '2026-11-01T11:00:00.000Z' };
    const [item] = await t.db.review.recordCollisions('contacts', conflict(record, mine, theirs));
    expect(item).toMatchObject({ field: 'firstName', base: 'Ada', mine: null, theirs: 'Ada K.', kept: 'theirs' });
    const before = await t.repos.contact.get(String(record.id));
    await expect(t.db.review.resolveCollision(item?.id ?? '', { keep: 'mine' })).rejects.toThrow(/firstName/);
    expect(await t.repos.contact.get(String(record.id))).toEqual(before);
    expect((await t.db.review.list()).collisions).toHaveLength(1);
    expect(await conflictEntries(t)).toHaveLength(1);
  });

  it('discards a record the server never accepted, and ignores the refusal of its removal', async () => {
    const t = await db();
    const record = (await t.repos.contact.create({ firstName: 'Ada' })) as unknown as Doc;
    const state = { ...record, _deleted: false };
    await t.db.review.recordRejections('contacts', [
      { rejection: { id: String(record.id), reason: 'not allowed' }, newDocumentState: state },
    ]);
    const [item] = (await t.db.review.list()).rejections;
    expect(item).toMatchObject({ recordId: record.id, field: null, reason: 'not allowed', serverState: null });

    await t.db.review.discardRejected(item?.id ?? '');
    expect(await t.repos.contact.get(String(record.id))).toBeUndefined();
    // The removal's push is refused like the record was: noise, not a new item.
    await t.db.review.recordRejections('contacts', [
      {
        rejection: { id: String(record.id), reason: 'not allowed' },
        newDocumentState: { ...state, _deleted: true },
        assumedMasterState: state,
      },
    ]);
    expect((await t.db.review.list()).rejections).toEqual([]);
    const [entry] = await conflictEntries(t);
    expect(String(entry?.reason)).toContain('record removed');
  });

  it('closes a rejection once a later push of the record is accepted', async () => {
    const t = await db();
    const record = (await t.repos.contact.create({ firstName: 'Ada' })) as unknown as Doc;
    await t.db.review.recordRejections('contacts', [
      { rejection: { id: String(record.id), field: 'email', reason: 'no' }, newDocumentState: { ...record } },
    ]);
    await t.db.review.clearAccepted('contacts', ['someone-else']);
    expect((await t.db.review.list()).rejections).toHaveLength(1);
    await t.db.review.clearAccepted('contacts', [String(record.id)]);
    expect((await t.db.review.list()).rejections).toEqual([]);
  });
});
