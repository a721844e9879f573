import { createHash } from 'node:crypto';
import type { RxJsonSchema } from 'rxdb';
import { describe, expect, it } from 'vitest';
import { createRepositories } from '../../../../src-renderer/db/repositories';
import { COLLECTION_VERSIONS } from '../../../../src-shared/entities/collections';
import { type StoredDoc, toRxSchema } from '../../../../src-shared/schema/to-rx-schema';
import { oldStoredDocs, openAfterOldVersion } from '../../../support/old-stored-doc';

/** The stored index tasks v2 added: the owner alone (the All view's default). */
const ADDED = ['ownerId', 'isDeleted', 'newest'].join('+');

/** The version 1 schema: today's less v2's index (its fields were required already). */
function schemaV1(): RxJsonSchema<StoredDoc> {
  const { version: _, ...now } = toRxSchema('tasks');
  const indexes = (now.indexes ?? []).filter((i) => (Array.isArray(i) ? i : [i]).join('+') !== ADDED);
  return { ...now, indexes, version: 1 } as RxJsonSchema<StoredDoc>;
}

const AT = '2026-10-01T08:00:00.000Z';
const doc = oldStoredDocs(AT);
const about = { subjectType: 'contact', subjectId: 'contact-1' };

const open = doc('task', { ...about, title: 'Call back', type: 'call', status: 'open', priority: 'high', dueAt: AT });
const completed = doc('task', {
  title: 'Send the quote',
  description: 'With the discount agreed on the call',
  type: 'email',
  status: 'completed',
  priority: 'normal',
  completedAt: AT,
  subjectType: 'deal',
  subjectId: 'deal-1',
  workflowId: 'workflow-1',
});
const deleted = doc('task', {
  ...about,
  title: 'Gone',
  type: 'todo',
  status: 'open',
  priority: 'low',
  isDeleted: true,
  deletedAt: AT,
});
const others = doc('task', {
  ...about,
  title: "Another rep's",
  type: 'meeting',
  status: 'waiting',
  priority: 'urgent',
  ownerId: 'user-rep-2',
  reminderAt: AT,
});
// About no record: absent from the subjectId indexes (an optional field), present in the owner's.
const unattached = doc('task', { title: 'Plan the week', type: 'todo', status: 'inProgress', priority: 'normal' });
const OLD: StoredDoc[] = [open, completed, deleted, others, unattached];

describe('tasks from version 1 to 2 (the owner index)', () => {
  it('rebuilds the schema v1 had', () => {
    const { version: _, ...v1 } = schemaV1();
    // The tasks hash of tests/contract/schema-versions.snap.json at version 1.
    expect(createHash('sha256').update(JSON.stringify(v1)).digest('hex').slice(0, 16)).toBe('fd33a75a841f3074');
  });

  it('keeps every task as it was, and serves my tasks of any status from the new index', async () => {
    const { db, progress } = await openAfterOldVersion('tasks', schemaV1(), OLD);
    try {
      expect(progress.at(-1)).toMatchObject({ collections: ['tasks'], handled: OLD.length, total: OLD.length });
      expect(db.rx.tasks.schema.version).toBe(COLLECTION_VERSIONS.tasks.version);
      expect(COLLECTION_VERSIONS.tasks.version).toBe(2);
      const now = await db.rx.tasks.find().exec();
      // The same documents, field for field: RxDB's own `_meta`, `_rev` etc. are not in toJSON.
      expect(now.map((d) => d.toJSON()).sort((a, b) => (a.id < b.id ? -1 : 1))).toEqual(OLD);

      const repos = createRepositories(db);
      const ids = async (rows: Promise<{ id: string }[]>) => (await rows).map((r) => r.id);
      expect(repos.task.plan({ where: { ownerId: 'user-rep-1' } })).toMatchObject({
        index: expect.arrayContaining(['ownerId', 'isDeleted', 'newest']),
        selectorSatisfiedByIndex: true,
        sortSatisfiedByIndex: true,
      });
      expect(await ids(repos.task.list({ where: { ownerId: 'user-rep-1' } }))).toEqual([
        unattached.id,
        completed.id,
        open.id,
      ]);
      expect(await ids(repos.task.list({ where: { ownerId: 'user-rep-1' }, includeDeleted: true }))).toEqual([
        unattached.id,
        deleted.id,
        completed.id,
        open.id,
      ]);
      expect(await ids(repos.task.list({ where: { ownerId: 'user-rep-2' } }))).toEqual([others.id]);
      // New writes land in the new index too.
      const added = await repos.task.create({ title: 'New after the upgrade' } as never);
      expect(await ids(repos.task.list({ where: { ownerId: 'user-rep-1' }, limit: 1 }))).toEqual([added.id]);
    } finally {
      await db.rx.remove();
    }
  });
});
