import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../src-shared/schema/validation-error';
import { openTestDb, type TestDb } from '../../../support/local-db';

let t: TestDb;
beforeEach(async () => {
  t = await openTestDb();
});
afterEach(async () => {
  await t.close();
});

describe('EntityRepository create with the time a record was last written', () => {
  it('keeps an updatedAt given with createdAt (the demo, an import of history); stamps now without one', async () => {
    const old = await t.repos.note.create({
      subjectType: 'contact',
      subjectId: 'c-1',
      body: 'Met at the fair',
      createdAt: '2026-03-02T10:00:00.000Z',
      updatedAt: '2026-03-02T10:00:00.000Z',
    });
    expect(old).toMatchObject({ createdAt: '2026-03-02T10:00:00.000Z', updatedAt: '2026-03-02T10:00:00.000Z' });
    const bulk = await t.repos.contact.bulkCreate([
      { id: 'c-2', firstName: 'Ada', createdAt: '2026-03-02T10:00:00.000Z', updatedAt: '2026-04-01T08:00:00.000Z' },
    ]);
    expect(bulk.written).toBe(1);
    expect((await t.repos.contact.require('c-2')).updatedAt).toBe('2026-04-01T08:00:00.000Z');
    const fresh = await t.repos.contact.create({ firstName: 'Now', createdAt: '2026-03-02T10:00:00.000Z' });
    expect(fresh.updatedAt).toBe('2026-11-01T09:00:00.000Z');
  });

  it('refuses an updatedAt before createdAt, after now, or not a time, naming the field, and stores nothing', async () => {
    const refusal = async (updatedAt: string) =>
      (await t.repos.contact
        .create({ firstName: 'Ada', createdAt: '2026-03-02T10:00:00.000Z', updatedAt })
        .catch((e: unknown) => e)) as ValidationError;
    const before = await refusal('2026-03-01T10:00:00.000Z');
    expect(before).toBeInstanceOf(ValidationError);
    expect(before.message).toContain('updatedAt must not be before createdAt');
    // A later time than the clock's would win every merge of the record (the later write wins).
    expect((await refusal('2026-11-02T00:00:00.000Z')).message).toContain('updatedAt must not be in the future');
    expect((await refusal('yesterday')).problems.map((p) => p.field)).toContain('updatedAt');
    await expect(
      t.repos.contact.bulkCreate([
        { firstName: 'Ok' },
        { firstName: 'Bad', createdAt: '2026-03-02T10:00:00.000Z', updatedAt: '2026-03-01T00:00:00.000Z' },
      ]),
    ).rejects.toThrow('contact #2: updatedAt must not be before createdAt');
    expect(await t.db.rx.contacts.count().exec()).toBe(0);
  });
});
