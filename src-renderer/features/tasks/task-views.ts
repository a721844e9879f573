import type { taskEntity } from '../../../src-shared/entities/work.entity';
import type { EntityRecord } from '../../../src-shared/schema/define-entity';

export type Task = EntityRecord<typeof taskEntity>;
export type TaskStatus = Task['status'];
export type TaskPriority = Task['priority'];

/** The tabs of the Tasks screen (the route's `tab`). */
export const TASK_VIEWS = ['myDay', 'overdue', 'upcoming', 'byRecord', 'all'] as const;
export type TaskView = (typeof TASK_VIEWS)[number];

export const TASK_VIEW_LABELS: Record<TaskView, string> = {
  myDay: 'My day',
  overdue: 'Overdue',
  upcoming: 'Upcoming',
  byRecord: 'By record',
  all: 'All',
};

export function isTaskView(value: string | undefined): value is TaskView {
  return (TASK_VIEWS as readonly string[]).includes(value ?? '');
}

/** Statuses of a task that still needs doing; completed and cancelled ones are closed. */
export const OPEN_STATUSES = ['open', 'inProgress', 'waiting'] as const satisfies readonly TaskStatus[];

export function isOpen(task: Pick<Task, 'status'>): boolean {
  return (OPEN_STATUSES as readonly string[]).includes(task.status);
}

const PRIORITY_RANK: Record<TaskPriority, number> = { urgent: 0, high: 1, normal: 2, low: 3 };

/** Midnight that starts `now`'s day in local time: days are the user's days, not UTC's. */
export function startOfDay(now: Date): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate());
}

/** The same wall-clock time `days` later (DST-safe: calendar arithmetic, not 24 h steps). */
export function addDays(date: Date, days: number): Date {
  const next = new Date(date);
  next.setDate(next.getDate() + days);
  return next;
}

/**
 * Where an open task falls on the user's calendar: due on a day before today (overdue), today,
 * after today, or without a due date. A task due earlier today is "today" (with its time shown
 * late), as in most task lists: overdue means the day has passed.
 */
export type DueBucket = 'overdue' | 'today' | 'upcoming' | 'noDate';

export function dueBucket(task: Pick<Task, 'dueAt'>, now: Date): DueBucket {
  if (!task.dueAt) return 'noDate';
  const due = Date.parse(task.dueAt);
  if (Number.isNaN(due)) return 'noDate';
  const today = startOfDay(now).getTime();
  if (due < today) return 'overdue';
  if (due < addDays(startOfDay(now), 1).getTime()) return 'today';
  return 'upcoming';
}

/** Earliest due first (no due date last), then the more urgent, then the title. */
export function compareTasks(a: Task, b: Task): number {
  const da = a.dueAt ? Date.parse(a.dueAt) : Number.POSITIVE_INFINITY;
  const db = b.dueAt ? Date.parse(b.dueAt) : Number.POSITIVE_INFINITY;
  if (da !== db) return da - db;
  const pa = PRIORITY_RANK[a.priority] ?? 9;
  const pb = PRIORITY_RANK[b.priority] ?? 9;
  if (pa !== pb) return pa - pb;
  return a.title.localeCompare(b.title);
}

export interface TaskGroup {
  key: string;
  label: string;
  tone?: 'danger' | 'accent';
  /** The record the group is about (By record). */
  subject?: { type: NonNullable<Task['subjectType']>; id: string };
  tasks: Task[];
  /** Tasks of the group left out of this view (My day shows a few of a long overdue backlog). */
  more?: number;
  /** How many the group holds when only a page of it is loaded (All). */
  count?: number;
}

function openOf(tasks: readonly Task[], ownerId: string | undefined): Task[] {
  return tasks.filter((t) => isOpen(t) && !t.isDeleted && (ownerId === undefined || t.ownerId === ownerId));
}

/**
 * How many tasks the groups hold, the ones left out of the view (`more`) included: My day's count
 * line said "8 tasks" above an Overdue group of 115 that showed 8 of them.
 */
export function tasksInGroups(groups: readonly TaskGroup[]): number {
  return groups.reduce((n, g) => n + (g.count ?? g.tasks.length + (g.more ?? 0)), 0);
}

/**
 * My day: the open tasks overdue (at the top, highlighted) and due today, of one owner or of all.
 * A long backlog would bury today's tasks, so at most `overdueLimit` overdue ones are shown: the
 * most urgent, then the most recently due; the rest are counted in `more` (the Overdue view has all).
 */
export function myDay(tasks: readonly Task[], now: Date, ownerId?: string, overdueLimit = Infinity): TaskGroup[] {
  const open = openOf(tasks, ownerId).sort(compareTasks);
  const late = open.filter((t) => dueBucket(t, now) === 'overdue');
  const today = open.filter((t) => dueBucket(t, now) === 'today');
  const groups: TaskGroup[] = [];
  if (late.length > 0) {
    const kept = new Set(
      [...late]
        .sort((a, b) => PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] || compareTasks(b, a))
        .slice(0, overdueLimit),
    );
    const shown = late.filter((t) => kept.has(t));
    groups.push({
      key: 'overdue',
      label: 'Overdue',
      tone: 'danger',
      tasks: shown,
      ...(shown.length < late.length ? { more: late.length - shown.length } : {}),
    });
  }
  if (today.length > 0) groups.push({ key: 'today', label: 'Today', tone: 'accent', tasks: today });
  return groups;
}

export function overdue(tasks: readonly Task[], now: Date, ownerId?: string): TaskGroup[] {
  const late = openOf(tasks, ownerId)
    .filter((t) => dueBucket(t, now) === 'overdue')
    .sort(compareTasks);
  return late.length > 0 ? [{ key: 'overdue', label: 'Overdue', tone: 'danger', tasks: late }] : [];
}

const dayLabel = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'short' });

/** Upcoming: open tasks due after today, one group per day; those without a date at the end. */
export function upcoming(tasks: readonly Task[], now: Date, ownerId?: string): TaskGroup[] {
  const open = openOf(tasks, ownerId).sort(compareTasks);
  const tomorrow = addDays(startOfDay(now), 1).getTime();
  const groups = new Map<string, TaskGroup>();
  const noDate: Task[] = [];
  for (const task of open) {
    const bucket = dueBucket(task, now);
    if (bucket === 'noDate') noDate.push(task);
    if (bucket !== 'upcoming' || !task.dueAt) continue;
    const day = startOfDay(new Date(task.dueAt));
    const key = `day-${day.getTime()}`;
    const label = day.getTime() === tomorrow ? 'Tomorrow' : dayLabel.format(day);
    let group = groups.get(key);
    if (!group) {
      group = { key, label, tasks: [] };
      groups.set(key, group);
    }
    group.tasks.push(task);
  }
  const result = [...groups.values()];
  if (noDate.length > 0) result.push({ key: 'noDate', label: 'No due date', tasks: noDate });
  return result;
}

/**
 * By record: open tasks grouped by the record they are about (subjectType + subjectId), the group
 * with the most pressing task first; tasks about no record come last.
 */
export function byRecord(tasks: readonly Task[], ownerId?: string): TaskGroup[] {
  const open = openOf(tasks, ownerId).sort(compareTasks);
  const groups = new Map<string, TaskGroup>();
  const loose: Task[] = [];
  for (const task of open) {
    if (!task.subjectType || !task.subjectId) {
      loose.push(task);
      continue;
    }
    const key = `${task.subjectType}:${task.subjectId}`;
    let group = groups.get(key);
    if (!group) {
      group = { key, label: task.subjectId, subject: { type: task.subjectType, id: task.subjectId }, tasks: [] };
      groups.set(key, group);
    }
    group.tasks.push(task);
  }
  // Tasks are sorted, so each group's first task is its most pressing; Map keeps that order.
  const result = [...groups.values()];
  if (loose.length > 0) result.push({ key: 'none', label: 'Not about a record', tasks: loose });
  return result;
}

/** The groups of a calendar view over the open tasks (the All view pages from the index instead). */
export function groupsFor(
  view: Exclude<TaskView, 'all'>,
  tasks: readonly Task[],
  now: Date,
  ownerId?: string,
  overdueLimit = Infinity,
): TaskGroup[] {
  switch (view) {
    case 'myDay':
      return myDay(tasks, now, ownerId, overdueLimit);
    case 'overdue':
      return overdue(tasks, now, ownerId);
    case 'upcoming':
      return upcoming(tasks, now, ownerId);
    case 'byRecord':
      return byRecord(tasks, ownerId);
  }
}
