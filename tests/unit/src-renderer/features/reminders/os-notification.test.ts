import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DueReminder } from '../../../../../src-renderer/features/reminders/due-reminders';
import { askNotificationPermission, notifyOs } from '../../../../../src-renderer/features/reminders/os-notification';

/** A stand-in for the web Notification API (absent in Node): records what was shown and asked. */
function fakeNotificationApi(permission: NotificationPermission, answer: NotificationPermission = permission) {
  const shown: { title: string; options?: NotificationOptions; instance: { onclick: (() => void) | null } }[] = [];
  class FakeNotification {
    static permission = permission;
    static requestPermission = vi.fn(async () => {
      FakeNotification.permission = answer;
      return answer;
    });
    onclick: (() => void) | null = null;
    constructor(title: string, options?: NotificationOptions) {
      shown.push({ title, options, instance: this });
    }
  }
  vi.stubGlobal('Notification', FakeNotification);
  const focus = vi.fn();
  vi.stubGlobal('window', { focus });
  return { api: FakeNotification, shown, focus };
}

const due: DueReminder = { taskId: 't1', title: 'Call Ada', at: '2026-11-30T10:00:00.000Z', kind: 'due' };
const reminder: DueReminder = { ...due, at: '2026-11-30T09:55:00.000Z', kind: 'reminder' };

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('OS notifications for reminders', () => {
  it('shows a granted reminder with its title and the task as body; a click focuses the window and opens the task', () => {
    const { shown, focus } = fakeNotificationApi('granted');
    const open = vi.fn();
    expect(notifyOs(due, open)).toBe(true);
    expect(notifyOs(reminder, open)).toBe(true);
    expect(shown.map((n) => [n.title, n.options?.body])).toEqual([
      ['Task due', 'Call Ada'],
      ['Reminder', 'Call Ada'],
    ]);
    expect(shown[0]?.options?.tag).toBe('task-reminder:t1@2026-11-30T10:00:00.000Z');
    shown[0]?.instance.onclick?.();
    expect(focus).toHaveBeenCalledOnce();
    expect(open).toHaveBeenCalledOnce();
  });

  it('shows nothing without permission, or where there is no Notification API', () => {
    for (const permission of ['denied', 'default'] as const) {
      const { shown } = fakeNotificationApi(permission);
      expect(notifyOs(due, () => {})).toBe(false);
      expect(shown).toEqual([]);
    }
    vi.unstubAllGlobals();
    expect(typeof Notification).toBe('undefined');
    expect(notifyOs(due, () => {})).toBe(false);
  });

  it('asks for permission only while the user has not decided', async () => {
    const undecided = fakeNotificationApi('default', 'granted');
    await askNotificationPermission();
    expect(undecided.api.requestPermission).toHaveBeenCalledOnce();
    expect(undecided.api.permission).toBe('granted');

    for (const decided of ['granted', 'denied'] as const) {
      const { api } = fakeNotificationApi(decided);
      await askNotificationPermission();
      expect(api.requestPermission).not.toHaveBeenCalled();
    }
  });

  it('survives a permission prompt that fails', async () => {
    const { api } = fakeNotificationApi('default');
    api.requestPermission.mockRejectedValueOnce(new Error('prompt dismissed'));
    await expect(askNotificationPermission()).resolves.toBeUndefined();
    vi.unstubAllGlobals();
    await expect(askNotificationPermission()).resolves.toBeUndefined();
  });
});
