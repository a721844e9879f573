import { useEffect, useRef } from 'react';
import { combineLatest } from 'rxjs';
import { useCrm } from '../../app/crm-context';
import { useNavigation } from '../../app/navigation';
import { toast } from '../../ui/toasts';
import { dueReminders, nextCheckIn, OPEN_TASK_STATUSES, type ReminderTask, reminderKey } from './due-reminders';
import { askNotificationPermission, notifyOs } from './os-notification';

const SHOWN_KEY = 'fieldcrm.remindersShown';
const KEEP = 500;

function loadShown(): Set<string> {
  try {
    const list = JSON.parse(localStorage.getItem(SHOWN_KEY) ?? '[]') as unknown;
    return new Set(Array.isArray(list) ? list.filter((k): k is string => typeof k === 'string') : []);
  } catch {
    return new Set();
  }
}

function saveShown(shown: Set<string>): void {
  localStorage.setItem(SHOWN_KEY, JSON.stringify([...shown].slice(-KEEP)));
}

/**
 * Reminds the user of their own open tasks as they come due, in the app (a toast with Open) and in
 * the OS, on whichever screen they are; offline too, since the tasks are local.
 */
export function useReminders(): void {
  const { repos, user } = useCrm();
  const tasks = useRef<readonly ReminderTask[]>([]);
  useEffect(() => {
    void askNotificationPermission();
    const shown = loadShown();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const check = () => {
      const now = new Date();
      const due = dueReminders(tasks.current, now, shown);
      for (const reminder of due) {
        shown.add(reminderKey(reminder));
        const open = () => useNavigation.getState().open('tasks', reminder.taskId);
        toast(
          {
            tone: 'info',
            message: `${reminder.kind === 'reminder' ? 'Reminder' : 'Due now'}: ${reminder.title}`,
            action: { label: 'Open', run: open },
          },
          15_000,
        );
        notifyOs(reminder, open);
      }
      if (due.length > 0) saveShown(shown);
      clearTimeout(timer);
      timer = setTimeout(check, nextCheckIn(tasks.current, now));
    };
    // Every status a task is still to do in (due-reminders.ts), each from its own index.
    const subscription = combineLatest(
      OPEN_TASK_STATUSES.map((status) => repos.task.observe({ where: { ownerId: user.id, status } })),
    ).subscribe((lists) => {
      tasks.current = lists.flat() as unknown as ReminderTask[];
      check();
    });
    return () => {
      subscription.unsubscribe();
      clearTimeout(timer);
    };
  }, [repos, user.id]);
}
