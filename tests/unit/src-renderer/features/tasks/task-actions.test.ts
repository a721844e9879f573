import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formProblems } from '../../../../../src-renderer/features/tasks/form-problems';
import {
  completeTask,
  createTask,
  inferTaskType,
  parseDue,
  reopenTask,
  rescheduleTask,
  snoozedDue,
  snoozeTask,
  toggleTask,
  withStatusRules,
} from '../../../../../src-renderer/features/tasks/task-actions';
import { ValidationError } from '../../../../../src-shared/schema/validation-error';
import { openTestDb, type TestDb } from '../../../../support/local-db';

let t: TestDb;
beforeEach(async () => {
  t = await openTestDb();
});
afterEach(async () => {
  await t.close();
});

const NOW = new Date(2026, 10, 16, 10, 30);

async function problemsOf(promise: Promise<unknown>): Promise<{ field: string; problem: string }[]> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return [...(error as ValidationError).problems];
}

describe('parseDue', () => {
  it('reads a local date and time; a date alone is due at 17:00', () => {
    expect(parseDue('2026-12-01', '09:15')).toBe(new Date(2026, 11, 1, 9, 15).toISOString());
    expect(parseDue('2026-12-01', '')).toBe(new Date(2026, 11, 1, 17, 0).toISOString());
    expect(parseDue('', '')).toBeUndefined();
  });

  it('names dueAt for text that is not a date', () => {
    for (const [date, time] of [
      ['2026-02-30', ''],
      ['next tuesday', ''],
      ['2026-12-01', '25:00'],
      ['', '10:00'],
      ['0999-01-01', ''],
    ] as const) {
      expect(() => parseDue(date, time)).toThrow(ValidationError);
      try {
        parseDue(date, time);
      } catch (error) {
        expect((error as ValidationError).problems[0]?.field).toBe('dueAt');
      }
    }
  });
});

describe('createTask', () => {
  it('creates an open task owned by the current user, typed from its title', async () => {
    const task = await createTask(t.repos.task, {
      title: '  Call Ada about the renewal ',
      dueDate: '2026-11-16',
      priority: 'high',
      subjectType: 'contact',
      subjectId: 'contact-1',
    });
    expect(task).toMatchObject({
      title: 'Call Ada about the renewal',
      type: 'call',
      status: 'open',
      priority: 'high',
      ownerId: 'user-rep-1',
      dueAt: new Date(2026, 10, 16, 17).toISOString(),
      subjectType: 'contact',
      subjectId: 'contact-1',
    });
    expect(await t.repos.task.count()).toBe(1);
  });

  it('names a bad due date with the other problems, in one round', async () => {
    // An empty title was named only on the try after the due date was fixed.
    expect(
      await problemsOf(createTask(t.repos.task, { title: ' ', dueDate: '2026-02-31', description: 'd'.repeat(5001) })),
    ).toEqual([
      { field: 'dueAt', problem: 'is not a day of the calendar (2026-02-31)' },
      { field: 'title', problem: 'must not be empty' },
      { field: 'description', problem: 'must be at most 5000 characters' },
    ]);
    expect(await t.repos.task.count()).toBe(0);
  });

  it('refuses bad input, naming the field, and writes nothing', async () => {
    expect(await problemsOf(createTask(t.repos.task, { title: 'Renewal', dueDate: '2026-13-01' }))).toEqual([
      { field: 'dueAt', problem: 'is not a day of the calendar (2026-13-01)' },
    ]);
    expect((await problemsOf(createTask(t.repos.task, { title: '   ' })))[0]?.field).toBe('title');
    expect(
      (await problemsOf(createTask(t.repos.task, { title: 'About nothing', subjectType: 'deal' })))[0]?.field,
    ).toBe('subjectId');
    expect((await problemsOf(createTask(t.repos.task, { title: 'x'.repeat(201) })))[0]?.field).toBe('title');
    expect(await t.repos.task.count()).toBe(0);
  });
});

describe('complete and reopen', () => {
  it('completing writes status and completedAt; reopening clears completedAt', async () => {
    const task = await createTask(t.repos.task, { title: 'Send the deck', dueDate: '2026-11-15' });
    const done = await completeTask(t.repos.task, task.id, NOW);
    expect(done).toMatchObject({ status: 'completed', completedAt: NOW.toISOString() });
    const again = await reopenTask(t.repos.task, task.id, NOW);
    expect(again.status).toBe('open');
    expect(again.completedAt).toBeUndefined();
    expect((await t.repos.task.require(task.id)).completedAt).toBeUndefined();
  });

  it('toggles either way and leaves a completed task as it was when completed again', async () => {
    const task = await createTask(t.repos.task, { title: 'Toggle me' });
    const done = await toggleTask(t.repos.task, task, NOW);
    expect(done.status).toBe('completed');
    const later = new Date(NOW.getTime() + 3_600_000);
    expect((await completeTask(t.repos.task, task.id, later)).completedAt).toBe(NOW.toISOString());
    expect((await toggleTask(t.repos.task, done, later)).status).toBe('open');
  });

  it('reopens a cancelled task', async () => {
    const task = await t.repos.task.create({ title: 'Cancelled', status: 'cancelled' });
    expect((await reopenTask(t.repos.task, task.id, NOW)).status).toBe('open');
  });

  it('refuses to complete a task that does not exist', async () => {
    await expect(completeTask(t.repos.task, 'missing', NOW)).rejects.toThrow('does not exist');
  });

  it('the registry refuses a completed task without completedAt: edits go through withStatusRules', async () => {
    const task = await createTask(t.repos.task, { title: 'Edited' });
    expect((await problemsOf(t.repos.task.update(task.id, { status: 'completed' })))[0]?.field).toBe('completedAt');
    const patch = withStatusRules(task, { status: 'completed' }, NOW);
    expect(patch).toEqual({ status: 'completed', completedAt: NOW.toISOString() });
    const done = await t.repos.task.update(task.id, patch);
    expect(withStatusRules(done, { status: 'waiting' }, NOW)).toEqual({ status: 'waiting', completedAt: null });
    expect(withStatusRules(done, { title: 'x' }, NOW)).toEqual({ title: 'x' });
  });
});

describe('snooze and reschedule', () => {
  it('snoozes from today, keeping the time of day, and moves the reminder along', async () => {
    const due = new Date(2026, 10, 12, 9, 45);
    const task = await t.repos.task.create({
      title: 'Late',
      dueAt: due.toISOString(),
      reminderAt: new Date(due.getTime() - 3_600_000).toISOString(),
    });
    expect(snoozedDue(task, 1, NOW)).toEqual(new Date(2026, 10, 17, 9, 45));
    expect(snoozedDue({}, 7, NOW)).toEqual(new Date(2026, 10, 23, 17, 0));
    const snoozed = await snoozeTask(t.repos.task, task, 1, NOW);
    expect(snoozed.dueAt).toBe(new Date(2026, 10, 17, 9, 45).toISOString());
    expect(snoozed.reminderAt).toBe(new Date(2026, 10, 17, 8, 45).toISOString());
  });

  it('refuses an invalid date, naming dueAt, and leaves the task unchanged', async () => {
    const task = await createTask(t.repos.task, { title: 'Keep', dueDate: '2026-11-20' });
    expect(await problemsOf(rescheduleTask(t.repos.task, task.id, new Date('nope')))).toEqual([
      { field: 'dueAt', problem: 'must be a valid date' },
    ]);
    expect((await t.repos.task.require(task.id)).dueAt).toBe(task.dueAt);
  });
});

describe('formProblems', () => {
  it('puts each problem at its field, subjectType with the record picker, the rest in one message', () => {
    const error = new ValidationError('task', [
      { field: 'dueAt', problem: 'must be a date like 2026-12-01' },
      { field: 'subjectType', problem: 'is required' },
      { field: 'workflowId', problem: 'is unknown' },
    ]);
    expect(formProblems(error, ['dueAt', 'subjectId'], { dueAt: 'Due', subjectType: 'Kind of record' })).toEqual({
      byField: { dueAt: 'Due must be a date like 2026-12-01', subjectId: 'Kind of record is required' },
      other: 'workflowId is unknown',
    });
    expect(formProblems(new Error('disk full'), ['dueAt'], {})).toEqual({ byField: {}, other: 'disk full' });
  });
});

describe('inferTaskType', () => {
  it('reads the first word', () => {
    expect(inferTaskType('Email the pricing')).toBe('email');
    expect(inferTaskType('Follow up with Bo')).toBe('followUp');
    expect(inferTaskType('Prepare QBR')).toBe('todo');
  });
});
