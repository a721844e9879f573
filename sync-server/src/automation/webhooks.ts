import type { PlannedAction } from '../../../src-shared/automation/workflow-engine';
import type { Database, Queryable } from '../db/database';
import { workflowWebhookSecret } from '../integrations/server-keys';
import { SIGNATURE_HEADER, signWebhook } from '../integrations/webhook-signature';

/**
 * The `webhook` action: a POST of `{ deliveryId, workflowId, workflowName, event, period, record:
 * { id, kind }, firedAt }` (record ids only: the receiver reads what it needs through the API).
 * Queued in the run's transaction (`queueWebhooks`), so the call exists if and only if the run
 * committed; sent by `deliverWebhook` after, outside any transaction (a slow receiver holds no lock
 * and no pull horizon): a short transaction leases the call (pushes its `run_after` past the
 * timeout), the POST runs, a second records the answer. A crash mid-call leaves the lease to
 * expire and the call is sent again: at least once, `x-fieldcrm-delivery` to dedupe on.
 *
 * Signed like an integration's webhook (integrations/webhook-signature.ts: `x-fieldcrm-signature`),
 * under the server's one workflow-webhook secret (`GET /integrations/workflow-webhook-secret`).
 */

type WebhookAction = Extract<PlannedAction, { type: 'webhook' }>;

export interface WebhookRun {
  runKey: string;
  workflow: { id: string; name: string };
  recordKind: string;
  period: string;
  now: Date;
}

const QUEUE = `INSERT INTO automation_webhooks (run_key, action_index, workflow_id, record_id, url, body, run_after, created_at)
SELECT $1, j.action_index, $2, j.record_id, j.url, j.body, $3::timestamptz, $3::timestamptz
FROM jsonb_to_recordset($4::text::jsonb) AS j(action_index integer, record_id text, url text, body jsonb)
ON CONFLICT (run_key, action_index) DO NOTHING`;

/** Queues the run's webhook calls (`index`: the action's place in the plan); how many. */
export async function queueWebhooks(
  tx: Queryable,
  run: WebhookRun,
  calls: readonly { index: number; action: WebhookAction }[],
): Promise<number> {
  if (calls.length === 0) return 0;
  const rows = calls.map(({ index, action }) => ({
    action_index: index,
    record_id: action.recordId,
    url: action.url,
    body: {
      workflowId: run.workflow.id,
      workflowName: run.workflow.name,
      event: action.event,
      period: run.period === '' ? null : run.period,
      record: { id: action.recordId, kind: run.recordKind },
      firedAt: run.now.toISOString(),
    },
  }));
  await tx.query(QUEUE, [run.runKey, run.workflow.id, run.now.toISOString(), JSON.stringify(rows)]);
  return rows.length;
}

export interface DeliveryOptions {
  now: Date;
  timeoutMs?: number;
  maxAttempts?: number;
  retryDelayMs?: number;
  fetch?: typeof fetch;
}

export interface Delivery {
  id: string;
  status: 'sent' | 'pending' | 'failed';
  responseStatus?: number;
  error?: string;
}

const LEASE = `UPDATE automation_webhooks SET attempts = attempts + 1, run_after = $2::timestamptz
WHERE id = (SELECT id FROM automation_webhooks WHERE status = 'pending' AND run_after <= $1::timestamptz
            ORDER BY run_after, id LIMIT 1 FOR UPDATE SKIP LOCKED)
RETURNING id::text AS id, url, body, attempts`;

/** Sends one due call; undefined when none is due. */
export async function deliverWebhook(db: Database, options: DeliveryOptions): Promise<Delivery | undefined> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const leaseUntil = new Date(options.now.getTime() + 2 * timeoutMs).toISOString();
  const leased = (
    await db.query<{ id: string; url: string; body: Record<string, unknown>; attempts: number }>(LEASE, [
      options.now.toISOString(),
      leaseUntil,
    ])
  ).rows[0];
  if (leased === undefined) return undefined;
  const body = JSON.stringify({ deliveryId: leased.id, ...leased.body });
  const signature = signWebhook(await workflowWebhookSecret(db, options.now), body, options.now);
  let responseStatus: number | undefined;
  let error: string | undefined;
  try {
    const response = await (options.fetch ?? fetch)(leased.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-fieldcrm-delivery': leased.id, [SIGNATURE_HEADER]: signature },
      body,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
    responseStatus = response.status;
    await response.body?.cancel();
    if (!response.ok) error = `the receiver answered ${response.status}`;
  } catch (caught) {
    error = caught instanceof Error ? caught.message : String(caught);
  }
  if (error === undefined) {
    await db.query(
      `UPDATE automation_webhooks SET status = 'sent', sent_at = $2::timestamptz, response_status = $3, last_error = NULL
       WHERE id = $1::bigint`,
      [leased.id, options.now.toISOString(), responseStatus],
    );
    return { id: leased.id, status: 'sent', ...(responseStatus === undefined ? {} : { responseStatus }) };
  }
  const final = leased.attempts >= (options.maxAttempts ?? 5);
  const retryAt = new Date(options.now.getTime() + (options.retryDelayMs ?? 30_000) * 2 ** (leased.attempts - 1));
  await db.query(
    `UPDATE automation_webhooks SET status = $2, run_after = $3::timestamptz, last_error = $4, response_status = $5
     WHERE id = $1::bigint`,
    [leased.id, final ? 'failed' : 'pending', retryAt.toISOString(), error.slice(0, 1000), responseStatus ?? null],
  );
  return {
    id: leased.id,
    status: final ? 'failed' : 'pending',
    error,
    ...(responseStatus === undefined ? {} : { responseStatus }),
  };
}
