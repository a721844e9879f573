/**
 * Which of the user's open tasks need a reminder now: at their reminder time, or when they fall
 * due if they have none. Each reminder fires once per (task, moment): snoozing a task to a new time
 * reminds again; a reload does not.
 */

export interface ReminderTask {
  readonly id: string;
  readonly title: string;
  readonly status: string;
  readonly dueAt?: string;
  readonly reminderAt?: string;
  readonly isDeleted?: boolean;
}

export interface DueReminder {
  readonly taskId: string;
  readonly title: string;
  /** The moment it is for (the reminder or due time), part of its identity. */
  readonly at: string;
  readonly kind: 'reminder' | 'due';
}

/** Reminders older than this are not shown any more (a laptop opened after a week off). */
export const STALE_AFTER_MS = 24 * 3_600_000;

/** The statuses of a task still to do: each reminds. */
export const OPEN_TASK_STATUSES = ['open', 'inProgress', 'waiting'] as const;
const OPEN = new Set<string>(OPEN_TASK_STATUSES);

export const reminderKey = (r: Pick<DueReminder, 'taskId' | 'at'>) => `${r.taskId}@${r.at}`;

export function dueReminders(
  tasks: readonly ReminderTask[],
  now: Date,
  alreadyShown: ReadonlySet<string>,
): DueReminder[] {
  const nowMs = now.getTime();
  return tasks.flatMap((task): DueReminder[] => {
    if (task.isDeleted || !OPEN.has(task.status)) return [];
    const at = task.reminderAt ?? task.dueAt;
    if (!at) return [];
    const atMs = Date.parse(at);
    if (Number.isNaN(atMs) || atMs > nowMs || nowMs - atMs > STALE_AFTER_MS) return [];
    const reminder: DueReminder = {
      taskId: task.id,
      title: task.title,
      at,
      kind: task.reminderAt ? 'reminder' : 'due',
    };
    return alreadyShown.has(reminderKey(reminder)) ? [] : [reminder];
  });
}

/** The next moment a check is worth making (the earliest future reminder), capped to a minute. */
export function nextCheckIn(tasks: readonly ReminderTask[], now: Date, maxMs = 60_000): number {
  const nowMs = now.getTime();
  let next = nowMs + maxMs;
  for (const task of tasks) {
    if (task.isDeleted || !OPEN.has(task.status)) continue;
    const atMs = Date.parse(task.reminderAt ?? task.dueAt ?? '');
    if (atMs > nowMs && atMs < next) next = atMs;
  }
  return Math.max(1000, next - nowMs);
}
