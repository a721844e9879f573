import { taskEntity } from '../../../src-shared/entities/work.entity';
import type { EntityInputOf, EntityPatchOf } from '../../../src-shared/schema/define-entity';
import { ValidationError } from '../../../src-shared/schema/validation-error';
import type { EntityRepository } from '../../db/entity-repository';
import { registryProblems } from '../../ui/form-values';
import { addDays, startOfDay, type Task, type TaskPriority, type TaskStatus } from './task-views';

export type TaskRepository = EntityRepository<typeof taskEntity>;
type TaskPatch = EntityPatchOf<typeof taskEntity>;
export type SubjectType = NonNullable<Task['subjectType']>;

/** What the quick add and the Add task dialog collect, as the user typed it. */
export interface TaskDraft {
  title: string;
  /** `YYYY-MM-DD` from a date input; empty for no due date. */
  dueDate?: string;
  /** `HH:MM`; empty means the end of the working day. */
  dueTime?: string;
  priority?: TaskPriority;
  type?: Task['type'];
  description?: string;
  subjectType?: SubjectType;
  subjectId?: string;
  ownerId?: string;
}

/** A date without a time is due at the end of the working day, so "due today" is not late at 9 am. */
export const DEFAULT_DUE_TIME = '17:00';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * The due instant of a date and time typed by the user, in their local time; undefined for no date.
 * Throws a ValidationError naming `dueAt` for text that is not a real calendar date (2026-02-30).
 */
export function parseDue(dateText: string | undefined, timeText: string | undefined): string | undefined {
  const date = (dateText ?? '').trim();
  const time = (timeText ?? '').trim() || DEFAULT_DUE_TIME;
  if (date === '') {
    if ((timeText ?? '').trim() !== '') throw dueProblem('needs a date when a time is given');
    return undefined;
  }
  const d = DATE.exec(date);
  if (!d) throw dueProblem('must be a date like 2026-12-01');
  const t = TIME.exec(time);
  if (!t) throw dueProblem('must have a time like 09:30');
  const [year, month, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
  if (year < 1970 || year > 2200) throw dueProblem('must be a year between 1970 and 2200');
  const due = new Date(year, month - 1, day, Number(t[1]), Number(t[2]));
  if (due.getFullYear() !== year || due.getMonth() !== month - 1 || due.getDate() !== day) {
    throw dueProblem(`is not a day of the calendar (${date})`);
  }
  return due.toISOString();
}

function dueProblem(problem: string): ValidationError {
  return new ValidationError('task', [{ field: 'dueAt', problem }]);
}

/** "Call Ada" is a call, "Email the deck" an email: a better default than "to-do" for a one-line add. */
export function inferTaskType(title: string): Task['type'] {
  const first = title.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  if (['call', 'phone', 'ring'].includes(first)) return 'call';
  if (['email', 'e-mail', 'mail', 'send'].includes(first)) return 'email';
  if (['meet', 'meeting'].includes(first)) return 'meeting';
  if (first === 'demo') return 'demo';
  if (['follow', 'follow-up', 'followup', 'chase'].includes(first)) return 'followUp';
  return 'todo';
}

/** Creates a task from a draft; every problem (title, due date, record) is named by its field. */
export async function createTask(repo: TaskRepository, draft: TaskDraft): Promise<Task> {
  const title = draft.title.trim();
  let dueAt: string | undefined;
  try {
    dueAt = parseDue(draft.dueDate, draft.dueTime);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    // With the registry's problems with the rest, in one round: an empty title was named only
    // once the due date was fixed.
    const others = registryProblems(taskEntity, {}, taskInput(draft, title, undefined), []);
    throw new ValidationError('task', [...error.problems, ...others.filter((p) => p.field !== 'dueAt')]);
  }
  return repo.create(taskInput(draft, title, dueAt));
}

function taskInput(draft: TaskDraft, title: string, dueAt: string | undefined): EntityInputOf<typeof taskEntity> {
  return {
    title,
    type: draft.type ?? inferTaskType(title),
    status: 'open',
    priority: draft.priority ?? 'normal',
    ...(dueAt ? { dueAt } : {}),
    ...(draft.description?.trim() ? { description: draft.description.trim() } : {}),
    ...(draft.subjectType ? { subjectType: draft.subjectType } : {}),
    ...(draft.subjectId ? { subjectId: draft.subjectId } : {}),
    ...(draft.ownerId ? { ownerId: draft.ownerId } : {}),
  };
}

/**
 * The status rules of the registry applied to an edit: a task that becomes completed gets its
 * completion time, one that leaves completed loses it (so reports never count a reopened task).
 */
export function withStatusRules(before: Pick<Task, 'status' | 'completedAt'>, patch: TaskPatch, now: Date): TaskPatch {
  const next = { ...patch };
  const status = (patch.status ?? before.status) as TaskStatus;
  if (status === 'completed' && before.status !== 'completed' && !patch.completedAt) {
    next.completedAt = now.toISOString();
  }
  if (status !== 'completed' && (before.completedAt !== undefined || patch.completedAt)) next.completedAt = null;
  return next;
}

export async function completeTask(repo: TaskRepository, id: string, now: Date): Promise<Task> {
  const task = await repo.require(id);
  if (task.status === 'completed') return task;
  return repo.update(id, withStatusRules(task, { status: 'completed' }, now));
}

export async function reopenTask(repo: TaskRepository, id: string, now: Date): Promise<Task> {
  const task = await repo.require(id);
  if (task.status !== 'completed' && task.status !== 'cancelled') return task;
  return repo.update(id, withStatusRules(task, { status: 'open' }, now));
}

/** Complete an open task, reopen a closed one: the checkbox and the Space key. */
export async function toggleTask(repo: TaskRepository, task: Task, now: Date): Promise<Task> {
  return task.status === 'completed' || task.status === 'cancelled'
    ? reopenTask(repo, task.id, now)
    : completeTask(repo, task.id, now);
}

/** Moves the due date (and a reminder by as much); throws naming `dueAt` for an invalid instant. */
export async function rescheduleTask(repo: TaskRepository, id: string, dueAt: Date): Promise<Task> {
  if (Number.isNaN(dueAt.getTime())) throw dueProblem('must be a valid date');
  const task = await repo.require(id);
  const patch: TaskPatch = { dueAt: dueAt.toISOString() };
  if (task.reminderAt && task.dueAt) {
    const shift = dueAt.getTime() - Date.parse(task.dueAt);
    patch.reminderAt = new Date(Date.parse(task.reminderAt) + shift).toISOString();
  }
  return repo.update(id, patch);
}

export const SNOOZE_CHOICES = [
  { key: 'tomorrow', label: 'Tomorrow', days: 1 },
  { key: 'in2', label: 'In 2 days', days: 2 },
  { key: 'nextWeek', label: 'Next week', days: 7 },
] as const;

/** The new due instant of a snooze: `days` after today, at the task's own time of day (or 17:00). */
export function snoozedDue(task: Pick<Task, 'dueAt'>, days: number, now: Date): Date {
  const day = addDays(startOfDay(now), days);
  const from = task.dueAt ? new Date(task.dueAt) : undefined;
  const [h, m] = from && !Number.isNaN(from.getTime()) ? [from.getHours(), from.getMinutes()] : [17, 0];
  day.setHours(h, m, 0, 0);
  return day;
}

export function snoozeTask(repo: TaskRepository, task: Task, days: number, now: Date): Promise<Task> {
  return rescheduleTask(repo, task.id, snoozedDue(task, days, now));
}

/** `YYYY-MM-DD` of a local day, for a date input's value. */
export function dateInputValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function timeInputValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
