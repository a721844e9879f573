import type { Migration } from './migrate';

/**
 * The webhook calls of workflow runs (sync-server/src/automation/webhooks.ts): queued in the run's
 * transaction (one per run and action, so a run never queues a call twice), sent after it commits,
 * outside any transaction, under a lease; retried with a doubling delay. At least once: a receiver
 * dedupes by the delivery id it is sent.
 */
export const automationWebhooksMigration: Migration = {
  id: '1796004787395_automation_webhooks',
  statements: () => [
    `CREATE TABLE IF NOT EXISTS automation_webhooks (
  id bigserial PRIMARY KEY,
  run_key text NOT NULL,
  action_index integer NOT NULL,
  workflow_id text NOT NULL,
  record_id text NOT NULL,
  url text NOT NULL,
  body jsonb NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  run_after timestamptz NOT NULL,
  last_error text,
  response_status integer,
  created_at timestamptz NOT NULL,
  sent_at timestamptz,
  UNIQUE (run_key, action_index)
)`,
    `CREATE INDEX IF NOT EXISTS automation_webhooks_due ON automation_webhooks (run_after, id) WHERE status = 'pending'`,
  ],
};
