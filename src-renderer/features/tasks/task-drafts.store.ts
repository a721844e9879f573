import { createDraftStore } from '../../ui/form-drafts.store';
import type { Subject } from './subject';
import type { Task } from './task-views';

/** What the Add task form holds before the task is added. */
export interface TaskDraftForm {
  title: string;
  dueDate: string;
  dueTime: string;
  priority: Task['priority'];
  type: Task['type'] | '';
  description: string;
  subject: { type: Subject | ''; id: string };
}

/**
 * The task being added, by where Add task was opened (a record, or anywhere else), kept when the
 * dialog is closed with Escape or × before it is added, until it is added or cancelled.
 */
export const useTaskDrafts = createDraftStore<TaskDraftForm>();
