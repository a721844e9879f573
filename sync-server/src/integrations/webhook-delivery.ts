import { auditLogEntity } from '../../../src-shared/entities/audit.entity';
import { externalIntegrationEntity } from '../../../src-shared/entities/extension.entity';
import type { Database, Queryable } from '../db/database';
import { insertRow, selectForUpdate, updateRow } from '../sync/row-writer';
import { serverAuditEntry } from '../sync/server-audit';
import { writeWebhookAlert } from './webhook-alert';
import { newWebhookSecret, SIGNATURE_HEADER, signWebhook } from './webhook-signature';

/**
 * Sends queued webhook deliveries (webhook-outbox.ts), one at a time, outside any transaction: a
 * short statement leases a due delivery of an active integration (pushes its `run_after` past the
 * timeout, so a crash mid-call lets it expire and be sent again: at least once, the receiver dedupes
 * on `x-fieldcrm-delivery`), the signed POST runs, a second transaction records the answer.
 *
 * A failed attempt is retried after `retryDelayMs · 2^(attempt-1)` until `maxAttempts`, then left
 * 'failed' (replayable). Every failed attempt extends the integration's run of consecutive failures;
 * at `disableAfter` the integration is set to status 'error' with the reason, through the row writer
 * with a server audit entry, so administrators see it in Settings → Integrations on every device and
 * in the audit trail; its deliveries wait (not leased) until someone enables it again. The same
 * transaction writes an alert task for the integration's owner (webhook-alert.ts), once per disable:
 * only the write that turns an 'active' integration to 'error' makes one.
 */

export interface WebhookDeliveryOptions {
  now: Date;
  timeoutMs?: number;
  maxAttempts?: number;
  retryDelayMs?: number;
  /** Consecutive failed attempts (over all its deliveries) that disable an integration. */
  disableAfter?: number;
  newId: () => string;
  fetch?: typeof fetch;
}

export interface IntegrationDelivery {
  id: string;
  integrationId: string;
  status: 'sent' | 'pending' | 'failed';
  responseStatus?: number;
  error?: string;
  /** The integration was disabled by this failure. */
  disabled?: boolean;
  /** The txid of the integration's update (and of its owner's alert task), for the change feed. */
  txid?: string;
}

const LEASE = `UPDATE integration_deliveries d SET attempts = d.attempts + 1, run_after = $2::timestamptz
WHERE d.id = (
  SELECT q.id FROM integration_deliveries q JOIN external_integrations i ON i.id = q.integration_id
  WHERE q.status = 'pending' AND q.run_after <= $1::timestamptz
    AND i.status = 'active' AND NOT i.is_deleted AND NOT i.sync_removed
  ORDER BY q.run_after, q.id LIMIT 1 FOR UPDATE OF q SKIP LOCKED)
RETURNING d.id::text AS id, d.integration_id, d.url, d.event, d.body, d.attempts`;

interface Leased {
  id: string;
  integration_id: string;
  url: string;
  event: string;
  body: Record<string, unknown>;
  attempts: number;
}

/** The integration's signing secret, made on first need; an enabled integration's failure run starts again. */
export async function webhookSecret(db: Queryable, integrationId: string, now: Date): Promise<string> {
  await db.query(
    `INSERT INTO integration_webhook_state (integration_id, secret, created_at) VALUES ($1, $2, $3::timestamptz)
     ON CONFLICT (integration_id) DO NOTHING`,
    [integrationId, newWebhookSecret(), now.toISOString()],
  );
  const { rows } = await db.query<{ secret: string }>(
    `UPDATE integration_webhook_state SET consecutive_failures = CASE WHEN disabled_at IS NULL THEN consecutive_failures ELSE 0 END,
       disabled_at = NULL
     WHERE integration_id = $1 RETURNING secret`,
    [integrationId],
  );
  return rows[0]?.secret ?? '';
}

async function post(leased: Leased, secret: string, options: WebhookDeliveryOptions, timeoutMs: number) {
  const body = JSON.stringify({ id: leased.id, ...leased.body });
  const started = performance.now();
  try {
    const response = await (options.fetch ?? fetch)(leased.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'FieldCRM-Webhooks/1',
        'x-fieldcrm-delivery': leased.id,
        'x-fieldcrm-event': leased.event,
        [SIGNATURE_HEADER]: signWebhook(secret, body, options.now),
      },
      body,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
    const text = (await response.text().catch(() => '')).slice(0, 500);
    return {
      status: response.status,
      excerpt: text,
      error: response.ok ? undefined : `the receiver answered ${response.status}`,
      durationMs: Math.round(performance.now() - started),
    };
  } catch (caught) {
    const error =
      caught instanceof Error
        ? caught.cause instanceof Error
          ? caught.cause.message
          : caught.message
        : String(caught);
    return { status: undefined, excerpt: undefined, error, durationMs: Math.round(performance.now() - started) };
  }
}

/** Sends one due delivery; undefined when none is due. */
export async function deliverIntegrationWebhook(
  db: Database,
  options: WebhookDeliveryOptions,
): Promise<IntegrationDelivery | undefined> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const leaseUntil = new Date(options.now.getTime() + 2 * timeoutMs).toISOString();
  const leased = (await db.query<Leased>(LEASE, [options.now.toISOString(), leaseUntil])).rows[0];
  if (leased === undefined) return undefined;
  const secret = await webhookSecret(db, leased.integration_id, options.now);
  const answer = await post(leased, secret, options, timeoutMs);
  const base = {
    id: leased.id,
    integrationId: leased.integration_id,
    ...(answer.status === undefined ? {} : { responseStatus: answer.status }),
  };
  const record = [leased.id, answer.status ?? null, answer.excerpt ?? null, answer.durationMs];
  if (answer.error === undefined) {
    await db.transaction(async (tx) => {
      await tx.query(
        `UPDATE integration_deliveries SET status = 'sent', sent_at = $5::timestamptz, last_error = NULL,
           response_status = $2, response_excerpt = $3, duration_ms = $4 WHERE id = $1::bigint`,
        [...record, options.now.toISOString()],
      );
      await tx.query('UPDATE integration_webhook_state SET consecutive_failures = 0 WHERE integration_id = $1', [
        leased.integration_id,
      ]);
    });
    return { ...base, status: 'sent' };
  }
  const error = answer.error.slice(0, 1000);
  const final = leased.attempts >= (options.maxAttempts ?? 6);
  const retryAt = new Date(options.now.getTime() + (options.retryDelayMs ?? 30_000) * 2 ** (leased.attempts - 1));
  return db.transaction(async (tx) => {
    await tx.query(
      `UPDATE integration_deliveries SET status = $5, run_after = $6::timestamptz, last_error = $7,
         response_status = $2, response_excerpt = $3, duration_ms = $4 WHERE id = $1::bigint`,
      [...record, final ? 'failed' : 'pending', retryAt.toISOString(), error],
    );
    const { rows } = await tx.query<{ consecutive_failures: number }>(
      `UPDATE integration_webhook_state SET consecutive_failures = consecutive_failures + 1
       WHERE integration_id = $1 RETURNING consecutive_failures`,
      [leased.integration_id],
    );
    const failures = rows[0]?.consecutive_failures ?? 0;
    const result: IntegrationDelivery = { ...base, status: final ? 'failed' : 'pending', error };
    if (failures < (options.disableAfter ?? 10)) return result;
    const txid = await disable(tx, leased.integration_id, failures, error, options);
    return txid === undefined ? result : { ...result, disabled: true, txid };
  });
}

/** Sets the integration to 'error' with the reason, audited as the server, and alerts its owner; the txid of the writes. */
async function disable(
  tx: Queryable,
  integrationId: string,
  failures: number,
  error: string,
  options: WebhookDeliveryOptions,
): Promise<string | undefined> {
  await tx.query('UPDATE integration_webhook_state SET disabled_at = $2::timestamptz WHERE integration_id = $1', [
    integrationId,
    options.now.toISOString(),
  ]);
  const current = await selectForUpdate(tx, externalIntegrationEntity, integrationId);
  if (current === undefined || current.status !== 'active') return undefined;
  const at = options.now.toISOString();
  const next = {
    ...current,
    status: 'error',
    errorMessage: `Disabled after ${failures} failed deliveries in a row; the last: ${error}`.slice(0, 1000),
    updatedAt: at,
    updatedBy: String(current.ownerId),
  };
  const txid = await updateRow(tx, externalIntegrationEntity, next);
  const entry = serverAuditEntry(
    { id: options.newId(), at: options.now, actorId: String(current.ownerId), collection: 'settings' },
    current,
    next,
  );
  await insertRow(tx, auditLogEntity, {
    ...entry,
    deviceId: 'webhooks',
    reason: `webhook integration disabled after ${failures} consecutive failed deliveries`,
    _deleted: false,
  });
  await writeWebhookAlert(tx, { integration: current, failures, error, now: options.now, newId: options.newId });
  return txid;
}
