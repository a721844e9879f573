import type { RecordWrite } from '../automation/outbox';
import type { Queryable } from '../db/database';

/**
 * Outbound email the app asks the server to send. The Communication entity has no 'queued' or
 * 'failed' status (adding them is a registry change for every device), so a queued email is an
 * email communication, outbound, status 'scheduled', outcome `QUEUED_OUTCOME` (both set by the
 * app's "Send email" action); once sent it becomes status 'sent', outcome 'Sent'; once given up,
 * status 'cancelled', outcome 'Not sent: <reason>'. A communication merely logged as scheduled
 * (without that outcome) is never sent.
 *
 * Queued in the transaction that writes it (the push path, through `enqueueIntegrationEvents`):
 * one `email_sends` row per communication, so it is sent once, whoever pushes it again.
 */

export const QUEUED_OUTCOME = 'Queued for sending';

export function isQueuedEmail(doc: Readonly<Record<string, unknown>>): boolean {
  return (
    doc.kind === 'communication' &&
    doc.type === 'email' &&
    doc.direction === 'outbound' &&
    doc.status === 'scheduled' &&
    doc.outcome === QUEUED_OUTCOME &&
    doc._deleted !== true &&
    doc.isDeleted !== true
  );
}

export async function enqueueEmailSends(tx: Queryable, writes: readonly RecordWrite[], now: Date): Promise<number> {
  const ids = writes.filter((w) => isQueuedEmail(w.after)).map((w) => String(w.after.id));
  if (ids.length === 0) return 0;
  await tx.query(
    `INSERT INTO email_sends (communication_id, run_after, created_at)
     SELECT id, $2::timestamptz, $2::timestamptz FROM unnest($1::text[]) AS id
     ON CONFLICT (communication_id) DO NOTHING`,
    [ids, now.toISOString()],
  );
  return ids.length;
}
