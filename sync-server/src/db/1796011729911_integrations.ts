import type { Migration } from './migrate';

/**
 * Integrations (sync-server/src/integrations, issue 8), server-only state devices never pull:
 * - `integration_webhook_state`: per webhook integration its signing secret (generated here, shown
 *   to an administrator on request, never synced: the ExternalIntegration entity keeps no secret),
 *   its run of consecutive failed attempts and when it was disabled for them.
 * - `integration_deliveries`: the outgoing webhook calls, queued in the transaction that writes the
 *   record (one per integration and server-side change: `change_key`), sent after it commits under
 *   a lease, retried with a doubling delay; the delivery log (status, response code and an excerpt
 *   of its body, attempts, duration) read by Settings → Integrations.
 * - `integration_keys`: server keys by name (the tracking links' HMAC key), made once on first use
 *   so every instance on this Postgres signs and checks with the same key.
 * - `email_sends`: one row per outbound email communication the server sends (primary key: the
 *   communication), so an email is sent once however many instances or retries look at it.
 */
export const integrationsMigration: Migration = {
  id: '1796011729911_integrations',
  statements: () => [
    `CREATE TABLE IF NOT EXISTS integration_webhook_state (
  integration_id text PRIMARY KEY,
  secret text NOT NULL,
  consecutive_failures integer NOT NULL DEFAULT 0,
  disabled_at timestamptz,
  created_at timestamptz NOT NULL
)`,
    `CREATE TABLE IF NOT EXISTS integration_deliveries (
  id bigserial PRIMARY KEY,
  integration_id text NOT NULL,
  change_key text NOT NULL,
  event text NOT NULL,
  record_kind text NOT NULL,
  record_id text NOT NULL,
  url text NOT NULL,
  body jsonb NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  run_after timestamptz NOT NULL,
  last_error text,
  response_status integer,
  response_excerpt text,
  duration_ms integer,
  replay_of bigint,
  created_at timestamptz NOT NULL,
  sent_at timestamptz,
  UNIQUE (integration_id, change_key)
)`,
    `CREATE INDEX IF NOT EXISTS integration_deliveries_due ON integration_deliveries (run_after, id) WHERE status = 'pending'`,
    `CREATE INDEX IF NOT EXISTS integration_deliveries_log ON integration_deliveries (integration_id, id)`,
    `CREATE TABLE IF NOT EXISTS integration_keys (
  name text PRIMARY KEY,
  secret text NOT NULL,
  created_at timestamptz NOT NULL
)`,
    `CREATE TABLE IF NOT EXISTS email_sends (
  communication_id text PRIMARY KEY,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  run_after timestamptz NOT NULL,
  last_error text,
  message_id text,
  created_at timestamptz NOT NULL,
  sent_at timestamptz
)`,
    `CREATE INDEX IF NOT EXISTS email_sends_due ON email_sends (run_after) WHERE status = 'pending'`,
  ],
};
