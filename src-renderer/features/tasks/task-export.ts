import type { ExportFilter } from '../../../src-shared/export/export-meta';
import { TASK_VIEW_LABELS, type TaskGroup, type TaskView } from './task-views';

/** The columns a task export writes (the list's, as fields). */
export const TASK_EXPORT_COLUMNS = [
  'title',
  'type',
  'status',
  'priority',
  'dueAt',
  'subjectType',
  'subjectId',
  'subjectId.id',
  'ownerId',
  'completedAt',
] as const;

export interface TaskViewExport {
  /** The file's title: the view's name. */
  readonly title: string;
  /** The tasks on screen, group by group in screen order. */
  readonly ids: readonly string[];
  readonly extraFilters: readonly ExportFilter[];
}

/**
 * What a dated view (My day, Overdue, Upcoming, By record) exports: exactly the tasks it shows, in
 * its order, titled by the view. My day shows only the most pressing overdue tasks of a long
 * backlog; the ones it leaves out (`more`) are not on screen, so they are not exported either, and
 * the file says so. The All view is one index query and exports through its filters instead.
 */
export function taskViewExport(view: Exclude<TaskView, 'all'>, groups: readonly TaskGroup[]): TaskViewExport {
  const ids = groups.flatMap((g) => g.tasks.map((t) => t.id));
  const hidden = groups.reduce((n, g) => n + (g.more ?? 0), 0);
  return {
    title: TASK_VIEW_LABELS[view],
    ids,
    extraFilters: [
      { label: 'View', value: TASK_VIEW_LABELS[view] },
      ...(hidden > 0 ? [{ label: 'Not shown', value: `${hidden} more overdue (see Overdue)` }] : []),
    ],
  };
}
