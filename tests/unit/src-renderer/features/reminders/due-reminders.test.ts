import { describe, expect, it } from 'vitest';
import { dueReminders, nextCheckIn, reminderKey } from '../../../../../src-renderer/features/reminders/due-reminders';

const NOW = new Date('2026-11-30T10:00:00.000Z');
const task = (patch: Record<string, unknown>) => ({ id: 't1', title: 'Call Ada', status: 'open', ...patch });

describe('due reminders', () => {
  it('fires at the reminder time, or at the due time without one', () => {
    expect(
      dueReminders(
        [task({ reminderAt: '2026-11-30T09:55:00.000Z', dueAt: '2026-11-30T12:00:00.000Z' })],
        NOW,
        new Set(),
      ),
    ).toEqual([{ taskId: 't1', title: 'Call Ada', at: '2026-11-30T09:55:00.000Z', kind: 'reminder' }]);
    expect(dueReminders([task({ dueAt: '2026-11-30T10:00:00.000Z' })], NOW, new Set())).toEqual([
      { taskId: 't1', title: 'Call Ada', at: '2026-11-30T10:00:00.000Z', kind: 'due' },
    ]);
  });

  it('stays quiet for future, done, deleted, undated and long-past tasks', () => {
    const quiet = [
      task({ id: 'future', dueAt: '2026-11-30T10:01:00.000Z' }),
      task({ id: 'done', status: 'completed', dueAt: '2026-11-30T09:00:00.000Z' }),
      task({ id: 'gone', isDeleted: true, dueAt: '2026-11-30T09:00:00.000Z' }),
      task({ id: 'undated' }),
      task({ id: 'stale', dueAt: '2026-11-20T09:00:00.000Z' }),
      task({ id: 'garbage', dueAt: 'not a date' }),
    ];
    expect(dueReminders(quiet, NOW, new Set())).toEqual([]);
  });

  it('fires once per moment: again after a snooze, not after a reload', () => {
    const first = task({ dueAt: '2026-11-30T09:30:00.000Z' });
    const [reminder] = dueReminders([first], NOW, new Set());
    const shown = new Set([reminderKey(reminder as never)]);
    expect(dueReminders([first], NOW, shown)).toEqual([]);
    const snoozed = task({ dueAt: '2026-11-30T09:59:00.000Z' });
    expect(dueReminders([snoozed], NOW, shown)).toHaveLength(1);
  });

  it('checks again at the next reminder, at most a minute away, at least a second', () => {
    expect(nextCheckIn([task({ dueAt: '2026-11-30T10:00:20.000Z' })], NOW)).toBe(20_000);
    expect(nextCheckIn([task({ dueAt: '2026-11-30T11:00:00.000Z' })], NOW)).toBe(60_000);
    expect(nextCheckIn([task({ dueAt: '2026-11-30T10:00:00.200Z' })], NOW)).toBe(1000);
  });
});
