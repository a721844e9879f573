import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type AllTasksFilters,
  allTasksOptions,
  allTasksReadAhead,
} from '../../../../../src-renderer/features/tasks/TasksScreen';
import { FIRST_PAGE_SIZE } from '../../../../../src-renderer/ui/usePagedList';
import { taskEntity } from '../../../../../src-shared/entities/work.entity';
import { openTestDb, type TestDb } from '../../../../support/local-db';
import { readAhead, showList } from '../../../../support/read-ahead';
import { countReads } from '../../../../support/storage-reads';
import { createMixedTasks } from '../../../../support/task-fixtures';

const STATUSES = taskEntity.fields.status.values;
const MINE: AllTasksFilters = { ownerId: 'user-rep-1', status: '' };

describe('the All tasks view reads ahead its other statuses and the other scope', () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await openTestDb();
    expect(t.actor.userId).toBe(MINE.ownerId);
    // Every status, the actor's and another rep's, more than a first page in all.
    await createMixedTasks(t, 100);
    // Everyone's differs from mine.
    expect(await t.repos.task.count({ where: { ownerId: 'user-rep-2' } })).toBe(34);
  });
  afterEach(async () => {
    await t.close();
  });

  it("reads ahead everyone's tasks and each other status (and all), the other select as chosen", () => {
    expect(allTasksReadAhead(t.repos.task, MINE, 'user-rep-1')).toEqual([
      allTasksOptions({ ownerId: undefined, status: '' }),
      ...STATUSES.map((status) => allTasksOptions({ ownerId: 'user-rep-1', status })),
    ]);
    expect(allTasksReadAhead(t.repos.task, { ownerId: undefined, status: 'waiting' }, 'user-rep-1')).toEqual([
      { where: { ownerId: 'user-rep-1', status: 'waiting' } },
      { where: {} },
      ...STATUSES.filter((s) => s !== 'waiting').map((status) => ({ where: { status } })),
    ]);
  });

  it("reads ahead all of mine from everyone's: the owner index (tasks v2) serves its first page", () => {
    expect(allTasksReadAhead(t.repos.task, { ownerId: undefined, status: '' }, 'user-rep-1')).toEqual([
      { where: { ownerId: 'user-rep-1' } },
      ...STATUSES.map((status) => ({ where: { status } })),
    ]);
  });

  it("once read ahead from everyone's, a switch to all of mine shows its first page without a storage read", async () => {
    const everyone: AllTasksFilters = { ownerId: undefined, status: '' };
    const list = await showList(t.repos.task, allTasksOptions(everyone));
    await readAhead(t.repos.task, allTasksReadAhead(t.repos.task, everyone, 'user-rep-1'));
    const reads = countReads(t, 'tasks');
    list.close();
    const mine = await showList(t.repos.task, allTasksOptions(MINE));
    expect(reads).toEqual([]);
    const expected = await t.repos.task.list({ where: { ownerId: 'user-rep-1' }, limit: FIRST_PAGE_SIZE });
    expect(mine.rows.map((r) => r.id)).toEqual(expected.map((r) => r.id));
    expect(mine.rows.every((r) => r.ownerId === 'user-rep-1')).toBe(true);
    mine.close();
  });

  it('once read ahead, a switch of status or of whose tasks shows its first page without a storage read', async () => {
    const list = await showList(t.repos.task, allTasksOptions(MINE));
    await readAhead(t.repos.task, allTasksReadAhead(t.repos.task, MINE, 'user-rep-1'));
    const reads = countReads(t, 'tasks');
    list.close();
    // Everyone's, and each status of mine: what choosing them asks (not the read-ahead's own list).
    const switches = [{ ...MINE, ownerId: undefined }, ...STATUSES.map((status) => ({ ...MINE, status }))];
    for (const filters of switches) {
      const choice = allTasksOptions(filters);
      const switched = await showList(t.repos.task, choice);
      expect(reads, JSON.stringify(choice)).toEqual([]);
      const expected = await t.repos.task.list({ where: choice.where, limit: FIRST_PAGE_SIZE });
      expect(switched.rows.map((r) => r.id)).toEqual(expected.map((r) => r.id));
      reads.length = 0;
      switched.close();
    }
  });

  it('the control: without the read-ahead, a switch to another status reads storage', async () => {
    const list = await showList(t.repos.task, allTasksOptions(MINE));
    const reads = countReads(t, 'tasks');
    list.close();
    const switched = await showList(t.repos.task, allTasksOptions({ ...MINE, status: 'open' }));
    expect(reads).toHaveLength(1);
    switched.close();
  });
});
