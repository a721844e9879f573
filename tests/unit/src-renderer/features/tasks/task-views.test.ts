import { describe, expect, it } from 'vitest';
import {
  byRecord,
  dueBucket,
  myDay,
  overdue,
  type Task,
  tasksInGroups,
  upcoming,
} from '../../../../../src-renderer/features/tasks/task-views';

/** Local wall-clock times, so the expectations hold in any time zone the tests run in. */
const at = (day: number, hour = 12, minute = 0) => new Date(2026, 10, day, hour, minute).toISOString();
const NOW = new Date(2026, 10, 16, 10, 30); // Monday 16 Nov 2026, 10:30 local

let seq = 0;
function task(partial: Partial<Task>): Task {
  seq++;
  return {
    id: `t${seq}`,
    kind: 'task',
    title: `Task ${seq}`,
    type: 'todo',
    status: 'open',
    priority: 'normal',
    ownerId: 'me',
    createdAt: at(1),
    updatedAt: at(1),
    createdBy: 'me',
    updatedBy: 'me',
    isDeleted: false,
    newest: 0,
    ...partial,
  } as Task;
}

describe('dueBucket', () => {
  it('says overdue only once the due day has passed, in local time', () => {
    expect(dueBucket({ dueAt: at(15, 23, 59) }, NOW)).toBe('overdue');
    expect(dueBucket({ dueAt: at(16, 0, 0) }, NOW)).toBe('today');
    expect(dueBucket({ dueAt: at(16, 9, 0) }, NOW)).toBe('today'); // earlier today: late, not overdue
    expect(dueBucket({ dueAt: at(16, 23, 59) }, NOW)).toBe('today');
    expect(dueBucket({ dueAt: at(17, 0, 0) }, NOW)).toBe('upcoming');
    expect(dueBucket({}, NOW)).toBe('noDate');
  });
});

describe('my day', () => {
  const late = task({ title: 'Late', dueAt: at(12), priority: 'low' });
  const lateUrgent = task({ title: 'Late urgent', dueAt: at(12), priority: 'urgent' });
  const todayTask = task({ title: 'Today', dueAt: at(16, 17) });
  const tomorrow = task({ title: 'Tomorrow', dueAt: at(17) });
  const done = task({ title: 'Done', dueAt: at(16), status: 'completed', completedAt: at(16, 9) });
  const cancelled = task({ title: 'Cancelled', dueAt: at(10), status: 'cancelled' });
  const waiting = task({ title: 'Waiting', dueAt: at(14), status: 'waiting' });
  const theirs = task({ title: 'Theirs', dueAt: at(16), ownerId: 'someone' });
  const deleted = task({ title: 'Deleted', dueAt: at(16), isDeleted: true });
  const undated = task({ title: 'Undated' });
  const all = [todayTask, tomorrow, late, done, cancelled, waiting, theirs, deleted, undated, lateUrgent];

  it('puts my overdue open tasks first (oldest, then most urgent), then those due today', () => {
    const groups = myDay(all, NOW, 'me');
    expect(groups.map((g) => [g.key, g.tasks.map((t) => t.title)])).toEqual([
      ['overdue', ['Late urgent', 'Late', 'Waiting']],
      ['today', ['Today']],
    ]);
    expect(groups[0]?.tone).toBe('danger');
  });

  it('shows only a few of a long overdue backlog, the most urgent and most recent, and counts the rest', () => {
    const backlog = [1, 2, 3, 4, 5].map((day) => task({ title: `Late ${day}`, dueAt: at(day) }));
    const urgent = task({ title: 'Old but urgent', dueAt: at(1, 8), priority: 'urgent' });
    const [late, today] = myDay([...backlog, urgent, todayTask], NOW, 'me', 3);
    expect(late?.tasks.map((t) => t.title)).toEqual(['Old but urgent', 'Late 4', 'Late 5']);
    expect(late?.more).toBe(3);
    expect(today?.tasks.map((t) => t.title)).toEqual(['Today']);
  });

  it('counts the overdue tasks left out of My day in the total (7, not the 4 shown)', () => {
    const backlog = [1, 2, 3, 4, 5].map((day) => task({ title: `Late ${day}`, dueAt: at(day) }));
    const urgent = task({ title: 'Old but urgent', dueAt: at(1, 8), priority: 'urgent' });
    const groups = myDay([...backlog, urgent, todayTask], NOW, 'me', 3);
    expect(groups.reduce((n, g) => n + g.tasks.length, 0)).toBe(4);
    expect(tasksInGroups(groups)).toBe(7);
    expect(tasksInGroups([])).toBe(0);
  });

  it('covers every owner when none is given (the demo, or a manager)', () => {
    const today = myDay(all, NOW).find((g) => g.key === 'today');
    expect(today?.tasks.map((t) => t.title)).toEqual(['Theirs', 'Today']);
  });

  it('is empty when nothing is due', () => {
    expect(myDay([tomorrow, done, undated], NOW, 'me')).toEqual([]);
  });

  it('moves with the clock: tomorrow today is late the day after', () => {
    const dayAfter = new Date(2026, 10, 18, 8, 0);
    expect(overdue(all, dayAfter, 'me')[0]?.tasks.map((t) => t.title)).toEqual([
      'Late urgent',
      'Late',
      'Waiting',
      'Today',
      'Tomorrow',
    ]);
  });
});

describe('upcoming', () => {
  it('groups open tasks due after today by day, tomorrow first, undated last', () => {
    const groups = upcoming(
      [
        task({ title: 'Friday', dueAt: at(20) }),
        task({ title: 'Tomorrow late', dueAt: at(17, 18) }),
        task({ title: 'Tomorrow early', dueAt: at(17, 8) }),
        task({ title: 'No date' }),
        task({ title: 'Today', dueAt: at(16, 15) }),
      ],
      NOW,
      'me',
    );
    expect(groups.map((g) => g.label)).toEqual(['Tomorrow', expect.stringMatching(/20/), 'No due date']);
    expect(groups[0]?.tasks.map((t) => t.title)).toEqual(['Tomorrow early', 'Tomorrow late']);
  });
});

describe('by record', () => {
  it('groups open tasks by subjectType and subjectId, the most pressing record first', () => {
    const groups = byRecord([
      task({ title: 'Deal later', subjectType: 'deal', subjectId: 'd1', dueAt: at(20) }),
      task({ title: 'Contact soon', subjectType: 'contact', subjectId: 'c1', dueAt: at(14) }),
      task({ title: 'Deal soon', subjectType: 'deal', subjectId: 'd1', dueAt: at(15) }),
      task({ title: 'Loose', dueAt: at(1) }),
      task({ title: 'Deal done', subjectType: 'deal', subjectId: 'd1', status: 'completed', completedAt: at(2) }),
      task({ title: 'Same id other type', subjectType: 'lead', subjectId: 'd1', dueAt: at(21) }),
    ]);
    expect(groups.map((g) => [g.key, g.tasks.map((t) => t.title)])).toEqual([
      ['contact:c1', ['Contact soon']],
      ['deal:d1', ['Deal soon', 'Deal later']],
      ['lead:d1', ['Same id other type']],
      ['none', ['Loose']],
    ]);
    expect(groups[1]?.subject).toEqual({ type: 'deal', id: 'd1' });
  });

  it('keeps only one owner when asked', () => {
    const groups = byRecord(
      [
        task({ subjectType: 'deal', subjectId: 'd1', ownerId: 'other' }),
        task({ subjectType: 'deal', subjectId: 'd2' }),
      ],
      'me',
    );
    expect(groups.map((g) => g.key)).toEqual(['deal:d2']);
  });
});
