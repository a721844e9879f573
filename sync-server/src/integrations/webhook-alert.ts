import { taskEntity } from '../../../src-shared/entities/work.entity';
import type { Queryable } from '../db/database';
import { createdFields, writeAudited } from './server-write';

/**
 * The alert of a webhook integration the server disabled (webhook-delivery.ts): a task for the
 * integration's owner with its reminder due now, the way a workflow's "notify" action tells someone
 * (automation/apply-actions.ts), so it syncs to the owner's devices and the reminders hook shows it as
 * a toast and an OS notification — the 'error' status alone is seen only by whoever opens the
 * integration in Settings. Written in the disabling transaction, once per disable: the caller writes
 * it only when the integration goes from 'active' to 'error'.
 */

export interface DisabledWebhook {
  integration: Readonly<Record<string, unknown>>;
  failures: number;
  error: string;
  now: Date;
  newId(): string;
}

export function webhookAlertMessage(name: string, failures: number, error: string): string {
  return `Webhook ${name} disabled after ${failures} failed deliveries: ${error}. Fix the endpoint and re-enable it.`;
}

/** Writes the owner's alert task (audited, pulled like any task); the txid of the write. */
export async function writeWebhookAlert(tx: Queryable, alert: DisabledWebhook): Promise<string> {
  const ownerId = String(alert.integration.ownerId);
  const name = typeof alert.integration.name === 'string' ? alert.integration.name : String(alert.integration.id);
  const message = webhookAlertMessage(name, alert.failures, alert.error);
  const task = {
    ...createdFields(alert.newId(), 'task', ownerId, ownerId, alert.now),
    // A title holds 200 characters; a longer message goes whole into the description.
    title: message.length > 200 ? `${message.slice(0, 199)}…` : message,
    ...(message.length > 200 ? { description: message.slice(0, 5000) } : {}),
    type: 'todo',
    status: 'open',
    priority: 'high',
    reminderAt: alert.now.toISOString(),
    // No subject: a task's subject is a contact, company, lead or deal, not an integration.
  };
  return writeAudited(tx, taskEntity, undefined, task, {
    actorId: ownerId,
    deviceId: 'webhooks',
    reason: `alert: webhook integration ${String(alert.integration.id)} disabled after ${alert.failures} consecutive failed deliveries`,
    now: alert.now,
    newId: () => alert.newId(),
  });
}
