import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { can } from '../../../src-shared/auth/permissions';
import { DELIVERY_STATUSES, type WebhookDelivery } from '../../../src-shared/integrations/webhook-delivery';
import { loadAccess } from '../auth/access';
import type { Authenticate } from '../auth/authenticate';
import type { Database } from '../db/database';
import { HttpError } from '../http/errors';
import { parseBody } from '../sync/routes';
import { workflowWebhookSecret } from './server-keys';
import { webhookSecret } from './webhook-delivery';
import { newWebhookSecret } from './webhook-signature';

/**
 * Settings → Integrations, server-only data for administrators (those who may change integrations
 * organisation-wide): an integration's delivery log (`GET /integrations/:id/deliveries`), one more
 * send of a delivery (`POST /integrations/deliveries/:id/replay`: a new delivery with the same body,
 * due at once, the original left as it was), and its signing secret (`GET …/webhook-secret`,
 * made on first request; `POST …/webhook-secret/rotate` replaces it), and the secret workflows'
 * webhook actions are signed with (`GET /integrations/workflow-webhook-secret`).
 */

const logQuery = z.strictObject({
  status: z.enum(DELIVERY_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

const ISO = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const LOG = `SELECT id::text AS "id", event, record_kind AS "recordKind", record_id AS "recordId", status, attempts,
  response_status AS "responseStatus", response_excerpt AS "responseExcerpt", last_error AS "lastError",
  duration_ms AS "durationMs", replay_of::text AS "replayOf", ${ISO('created_at')} AS "createdAt",
  ${ISO('sent_at')} AS "sentAt", CASE WHEN status = 'pending' THEN ${ISO('run_after')} END AS "nextAttemptAt"
FROM integration_deliveries WHERE integration_id = $1 AND ($2::text IS NULL OR status = $2)
ORDER BY id DESC LIMIT $3`;

const REPLAY = `INSERT INTO integration_deliveries
  (integration_id, change_key, event, record_kind, record_id, url, body, run_after, created_at, replay_of)
SELECT d.integration_id, 'replay:' || d.id || ':' || $2, d.event, d.record_kind, d.record_id,
  COALESCE(i.endpoint_url, d.url), d.body, $2::timestamptz, $2::timestamptz, d.id
FROM integration_deliveries d LEFT JOIN external_integrations i ON i.id = d.integration_id
WHERE d.id = $1::bigint
ON CONFLICT (integration_id, change_key) DO NOTHING
RETURNING id::text AS id`;

const idParam = (request: FastifyRequest, pattern: RegExp, what: string): string => {
  const id = String((request.params as { id?: unknown }).id ?? '');
  if (!pattern.test(id)) throw new HttpError(400, `must be ${what}`, 'id');
  return id;
};

export function webhookRoutes(
  app: FastifyInstance,
  options: { db: Database; authenticate: Authenticate; now: () => Date },
): void {
  const { db, authenticate, now } = options;
  const administrator = async (request: FastifyRequest) => {
    const access = await loadAccess(db, await authenticate(request));
    if (access.kind !== 'unrestricted' && can(access.permissions, 'externalIntegration', 'update') !== 'all') {
      throw new HttpError(403, 'only those who may change integrations see their deliveries and secrets');
    }
  };
  const integrationId = (request: FastifyRequest) => idParam(request, /^[A-Za-z0-9_-]{1,40}$/, 'an integration id');
  const exists = async (id: string) => {
    const { rows } = await db.query(
      `SELECT 1 FROM external_integrations WHERE id = $1 AND provider = 'webhook' AND NOT is_deleted AND NOT sync_removed`,
      [id],
    );
    if (rows.length === 0) throw new HttpError(404, `no webhook integration ${id}`, 'id');
  };

  app.get('/integrations/:id/deliveries', async (request) => {
    await administrator(request);
    const id = integrationId(request);
    const query = parseBody(logQuery, request.query);
    const { rows } = await db.query<WebhookDelivery>(LOG, [id, query.status ?? null, query.limit]);
    return { deliveries: rows };
  });

  app.post('/integrations/deliveries/:id/replay', async (request) => {
    await administrator(request);
    const id = idParam(request, /^\d{1,18}$/, 'a delivery id');
    const { rows } = await db.query<{ id: string }>(REPLAY, [id, now().toISOString()]);
    const replay = rows[0];
    if (replay === undefined) throw new HttpError(404, `no delivery ${id}`, 'id');
    return { id: replay.id, replayOf: id, status: 'pending' };
  });

  /** The secret of workflows' webhook actions (automation/webhooks.ts): one per server. */
  app.get('/integrations/workflow-webhook-secret', async (request) => {
    await administrator(request);
    return { secret: await workflowWebhookSecret(db, now()) };
  });

  app.get('/integrations/:id/webhook-secret', async (request) => {
    await administrator(request);
    const id = integrationId(request);
    await exists(id);
    const { rows } = await db.query<{ secret: string }>(
      'SELECT secret FROM integration_webhook_state WHERE integration_id = $1',
      [id],
    );
    return { secret: rows[0]?.secret ?? (await webhookSecret(db, id, now())) };
  });

  app.post('/integrations/:id/webhook-secret/rotate', async (request) => {
    await administrator(request);
    const id = integrationId(request);
    await exists(id);
    const secret = newWebhookSecret();
    await db.query(
      `INSERT INTO integration_webhook_state (integration_id, secret, created_at) VALUES ($1, $2, $3::timestamptz)
       ON CONFLICT (integration_id) DO UPDATE SET secret = EXCLUDED.secret`,
      [id, secret, now().toISOString()],
    );
    return { secret };
  });
}
