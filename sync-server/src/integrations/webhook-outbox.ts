import type { Conditions } from '../../../src-shared/automation/workflow-definition';
import { conditionsHold, type RecordEvent } from '../../../src-shared/automation/workflow-engine';
import { ACTIVE_WORKFLOWS, type ActiveWorkflow, automatableKinds, type RecordWrite } from '../automation/outbox';
import type { Queryable } from '../db/database';
import { enqueueEmailSends } from './email-outbox';
import { enqueueResearchJobs } from './research-outbox';

/**
 * The outgoing webhooks' writing side, called in the transaction that writes records (the push
 * path, lead capture): one delivery per active webhook integration whose events and filter match a
 * written record, committed with the write or not at all. So a change is delivered once per
 * server-side write, never per device: devices that pull the change write nothing, and a device
 * that pushes the same state again is answered from the row (no write, no delivery); the
 * (integration, change_key) key turns a second enqueue of one write into nothing.
 *
 * An integration listens when provider = 'webhook', status = 'active', and its `events` name the
 * event: `lead.created`, `deal.updated`, `contact.deleted`, `lead.*` or `*`. Its `config.filter`
 * is a workflow condition set (`{ all: [{ field, op, value }] }`), checked on the record as written.
 */

type Doc = Readonly<Record<string, unknown>>;
export type WebhookEvent = 'created' | 'updated' | 'deleted';

/** Kinds never delivered: the audit trail and the people and access settings. */
const NEVER = new Set(['auditLog', 'user', 'userRole', 'userGroup', 'userGroupMember', 'externalIntegration']);

const LISTENING = `SELECT id, endpoint_url, events, config FROM external_integrations
WHERE provider = 'webhook' AND status = 'active' AND NOT is_deleted AND NOT sync_removed AND endpoint_url IS NOT NULL`;

/**
 * The active workflows (automation/outbox.ts) and webhooks in ONE statement: a push batch asks for
 * both after every write, and on a server with neither the two empty answers were two of its round
 * trips. Read in the writing transaction, as each read alone is, so a workflow or webhook committed
 * before it is seen by this write whichever server instance saved it.
 */
const LISTENERS = `SELECT
  (SELECT coalesce(json_agg(w), '[]'::json) FROM (${ACTIVE_WORKFLOWS}) AS w) AS workflows,
  (SELECT coalesce(json_agg(l), '[]'::json) FROM (${LISTENING}) AS l) AS webhooks`;

const INSERT = `INSERT INTO integration_deliveries
  (integration_id, change_key, event, record_kind, record_id, url, body, run_after, created_at)
SELECT d.integration_id, d.change_key, d.event, d.record_kind, d.record_id, d.url, d.body, $2::timestamptz, $2::timestamptz
FROM jsonb_to_recordset($1::text::jsonb)
  AS d(integration_id text, change_key text, event text, record_kind text, record_id text, url text, body jsonb)
ON CONFLICT (integration_id, change_key) DO NOTHING`;

export interface Listener {
  id: string;
  endpoint_url: string;
  events: string[] | null;
  config: { filter?: Conditions } | null;
}

const removed = (doc: Doc | undefined) => doc !== undefined && (doc._deleted === true || doc.isDeleted === true);

export function eventOf(write: RecordWrite): WebhookEvent | undefined {
  if (removed(write.after)) return removed(write.before) ? undefined : 'deleted';
  return write.before === undefined || removed(write.before) ? 'created' : 'updated';
}

export function listensTo(events: readonly string[] | null, kind: string, event: WebhookEvent): boolean {
  return (events ?? []).some((e) => e === '*' || e === `${kind}.*` || e === `${kind}.${event}`);
}

function filterHolds(filter: Conditions | undefined, write: RecordWrite, event: WebhookEvent, now: Date): boolean {
  const recordEvent: RecordEvent = {
    kind: event === 'created' ? 'created' : 'updated',
    after: write.after,
    ...(write.before ? { before: write.before } : {}),
  };
  try {
    return conditionsHold(filter, recordEvent, now);
  } catch {
    // A filter this server cannot read matches nothing rather than failing the device's push.
    return false;
  }
}

/** Fields whose value differs, for the receiver (bookkeeping fields left out). */
function changedFields(before: Doc | undefined, after: Doc): string[] {
  if (before === undefined) return [];
  const skip = new Set(['updatedAt', 'updatedBy', 'newest', '_deleted']);
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => !skip.has(k) && JSON.stringify(before[k]) !== JSON.stringify(after[k])).sort();
}

export interface Listeners {
  workflows: ActiveWorkflow[];
  webhooks: Listener[];
}

/** What the writes may call: the workflows for their kinds and the webhooks, read in one statement. */
export async function readListeners(tx: Queryable, writes: readonly RecordWrite[]): Promise<Listeners> {
  const { rows } = await tx.query<Listeners>(LISTENERS, [automatableKinds(writes)]);
  return { workflows: rows[0]?.workflows ?? [], webhooks: rows[0]?.webhooks ?? [] };
}

/**
 * Queues the deliveries the writes call for (and the email and research they queue: email-outbox.ts,
 * research-outbox.ts); how many deliveries. `webhooks`: what `readListeners` read in this transaction.
 */
export async function enqueueIntegrationEvents(
  tx: Queryable,
  writes: readonly RecordWrite[],
  now: Date,
  webhooks?: readonly Listener[],
): Promise<number> {
  await enqueueEmailSends(tx, writes, now);
  await enqueueResearchJobs(tx, writes, now);
  const candidates = writes.filter((w) => !NEVER.has(String(w.after.kind)));
  if (candidates.length === 0) return 0;
  const listeners = webhooks ?? (await tx.query<Listener>(LISTENING)).rows;
  if (listeners.length === 0) return 0;
  const deliveries: Record<string, unknown>[] = [];
  for (const write of candidates) {
    const event = eventOf(write);
    if (event === undefined) continue;
    const kind = String(write.after.kind);
    const { _deleted, ...data } = write.after;
    for (const listener of listeners) {
      if (!listensTo(listener.events, kind, event)) continue;
      if (!filterHolds(listener.config?.filter, write, event, now)) continue;
      deliveries.push({
        integration_id: listener.id,
        change_key: `${kind}:${String(write.after.id)}:${event}:${String(write.after.updatedAt ?? now.toISOString())}`,
        event: `${kind}.${event}`,
        record_kind: kind,
        record_id: String(write.after.id),
        url: listener.endpoint_url,
        body: {
          event: `${kind}.${event}`,
          occurredAt: now.toISOString(),
          integrationId: listener.id,
          record: { id: String(write.after.id), kind },
          changedFields: changedFields(write.before, write.after),
          data,
        },
      });
    }
  }
  if (deliveries.length === 0) return 0;
  await tx.query(INSERT, [JSON.stringify(deliveries), now.toISOString()]);
  return deliveries.length;
}
