import { create } from 'zustand';
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
 * dialog is closed with Escape or × before it is added (one Escape too many lost what was typed),
 * until it is added or cancelled. In memory only, as the database keeps records encrypted at rest.
 */
interface TaskDraftsState {
  drafts: Readonly<Record<string, TaskDraftForm>>;
  keep: (place: string, draft: TaskDraftForm) => void;
  drop: (place: string) => void;
}

export const useTaskDrafts = create<TaskDraftsState>()((set) => ({
  drafts: {},
  keep: (place, draft) => set((state) => ({ drafts: { ...state.drafts, [place]: draft } })),
  drop: (place) =>
    set((state) => {
      if (!(place in state.drafts)) return state;
      const { [place]: _added, ...rest } = state.drafts;
      return { drafts: rest };
    }),
}));
