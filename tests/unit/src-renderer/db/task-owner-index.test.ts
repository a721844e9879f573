import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allTasksOptions, allTasksReadAhead } from '../../../../src-renderer/features/tasks/TasksScreen';
import { firstPageQueries } from '../../../../src-renderer/ui/prefetch-pages';
import { FIRST_PAGE_SIZE, servedByIndex } from '../../../../src-renderer/ui/usePagedList';
import { taskEntity } from '../../../../src-shared/entities/work.entity';
import { openTestDb, type TestDb } from '../../../support/local-db';
import { createMixedTasks } from '../../../support/task-fixtures';

const STATUSES = taskEntity.fields.status.values;
const ME = 'user-rep-1';

/** The index RxDB reads, less what it adds to every index (`_deleted` first, the primary key last). */
function withoutId(index: string[]): string[] {
  return index.filter((f, i) => !(i === 0 && f === '_deleted') && !(i === index.length - 1 && f === 'id'));
}

let t: TestDb;
beforeEach(async () => {
  t = await openTestDb();
  expect(t.actor.userId).toBe(ME);
});
afterEach(async () => {
  await t.close();
});

describe("the All tasks view's default (my tasks, any status) is served by an index (tasks v2)", () => {
  it('a first page of my tasks is one read of the owner index, its range only my live tasks', () => {
    const queries = firstPageQueries(allTasksOptions({ ownerId: ME, status: '' }), FIRST_PAGE_SIZE);
    expect(queries).toHaveLength(1);
    for (const query of queries) {
      const plan = t.repos.task.plan(query);
      expect(plan).toMatchObject({ selectorSatisfiedByIndex: true, sortSatisfiedByIndex: true });
      expect(withoutId(plan.index)).toEqual(['ownerId', 'isDeleted', 'newest']);
    }
  });

  it('keeps the owner-and-status index for my tasks of one status', () => {
    for (const status of STATUSES) {
      const plan = t.repos.task.plan({ where: { ownerId: ME, status }, limit: FIRST_PAGE_SIZE });
      expect(plan).toMatchObject({ selectorSatisfiedByIndex: true, sortSatisfiedByIndex: true });
      expect(withoutId(plan.index)).toEqual(['ownerId', 'status', 'isDeleted', 'newest']);
    }
  });

  it("every choice of the All view is served, so everyone's reads ahead all of mine too", () => {
    const choices = [ME, undefined].flatMap((ownerId) =>
      (['', ...STATUSES] as const).map((status) => allTasksOptions({ ownerId, status })),
    );
    expect(servedByIndex(t.repos.task, choices)).toEqual(choices);
    expect(allTasksReadAhead(t.repos.task, { ownerId: undefined, status: '' }, ME)).toEqual([
      allTasksOptions({ ownerId: ME, status: '' }),
      ...STATUSES.map((status) => allTasksOptions({ ownerId: undefined, status })),
    ]);
  });

  it('lists the same rows from the owner index as a full scan would: other owners and deleted tasks left out', async () => {
    await createMixedTasks(t, 40);
    const all = await t.repos.task.list({ includeDeleted: true });
    const [gone] = all.filter((r) => r.ownerId === ME);
    if (!gone) throw new Error('no task of mine');
    await t.repos.task.softDelete(gone.id);
    const mine = all.filter((r) => r.ownerId === ME && r.id !== gone.id).map((r) => r.id);
    expect(mine).toHaveLength(25);

    expect((await t.repos.task.list({ where: { ownerId: ME } })).map((r) => r.id)).toEqual(mine);
    expect((await t.repos.task.list({ where: { ownerId: ME }, limit: 5, skip: 3 })).map((r) => r.id)).toEqual(
      mine.slice(3, 8),
    );
    expect(await t.repos.task.count({ where: { ownerId: ME } })).toBe(25);
    const withDeleted = await t.repos.task.list({ where: { ownerId: ME }, includeDeleted: true });
    expect(withDeleted.map((r) => r.id)).toEqual(all.filter((r) => r.ownerId === ME).map((r) => r.id));
    expect(await t.repos.task.list({ where: { ownerId: 'user-nobody' } })).toEqual([]);
  });
});
