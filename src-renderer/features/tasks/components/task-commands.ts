import { errorMessage, toast } from '../../../ui/toasts';
import { SNOOZE_CHOICES, snoozeTask, type TaskRepository, toggleTask } from '../task-actions';
import { isOpen, type Task } from '../task-views';

/** Completes or reopens with a toast; completing offers Undo (the task may just have left the list). */
export async function runTaskToggle(repo: TaskRepository, task: Task, now: Date): Promise<void> {
  const wasOpen = isOpen(task);
  try {
    const next = await toggleTask(repo, task, now);
    toast({
      tone: 'success',
      message: wasOpen ? `Completed “${next.title}”.` : `Reopened “${next.title}”.`,
      ...(wasOpen
        ? {
            action: {
              label: 'Undo',
              run: async () => {
                await repo.update(task.id, { status: task.status, completedAt: null });
              },
            },
          }
        : {}),
    });
  } catch (error) {
    toast({ tone: 'error', message: `Could not update the task: ${errorMessage(error)}` });
  }
}

export async function runSnooze(repo: TaskRepository, task: Task, now: Date): Promise<void> {
  const choice = SNOOZE_CHOICES[0];
  try {
    await snoozeTask(repo, task, choice.days, now);
    toast({
      tone: 'info',
      message: `“${task.title}” snoozed to tomorrow.`,
      action: {
        label: 'Undo',
        run: async () => {
          await repo.update(task.id, { dueAt: task.dueAt ?? null, reminderAt: task.reminderAt ?? null });
        },
      },
    });
  } catch (error) {
    toast({ tone: 'error', message: `Could not snooze: ${errorMessage(error)}` });
  }
}
