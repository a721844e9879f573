import type { DueReminder } from './due-reminders';

/**
 * Reminders in the OS: the web Notification API, which Electron shows as the system's own
 * notification (Windows toast, macOS Notification Center, libnotify). The main process grants the
 * `notifications` permission to the app's pages only (src-main/security/permissions.ts), so no IPC
 * is needed. Read from the global at call time: absent in some browsers and in Node.
 */

/** Asks once, while the user has not decided; a refusal or a dismissed prompt is respected. */
export async function askNotificationPermission(): Promise<void> {
  if (typeof Notification === 'undefined' || Notification.permission !== 'default') return;
  try {
    await Notification.requestPermission();
  } catch {
    // Older engines take a callback and return nothing; a failed prompt only costs the OS copy.
  }
}

/** The notification's title and body for a reminder. */
export function notificationOf(reminder: Pick<DueReminder, 'kind' | 'title'>): { title: string; body: string } {
  return { title: reminder.kind === 'reminder' ? 'Reminder' : 'Task due', body: reminder.title };
}

/**
 * Shows the reminder as an OS notification when allowed; a click brings the window forward and
 * opens the task. Returns whether one was shown (the in-app toast is shown either way).
 */
export function notifyOs(reminder: DueReminder, open: () => void): boolean {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return false;
  const { title, body } = notificationOf(reminder);
  // The tag makes a repeat of the same reminder (a second window) replace rather than stack.
  const notification = new Notification(title, { body, tag: `task-reminder:${reminder.taskId}@${reminder.at}` });
  notification.onclick = () => {
    window.focus();
    open();
  };
  return true;
}
