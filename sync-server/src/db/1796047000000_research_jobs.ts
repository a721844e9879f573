import type { Migration } from './migrate';

/**
 * `research_jobs`: company research a device asked the server to run (a CompanyResearch draft
 * queued for the admin's language model: sync-server/src/integrations/research-outbox.ts), one row
 * per research record, queued in the transaction that writes the draft and run after it commits
 * under a lease, retried with a doubling delay, like `email_sends`. So a request survives a server
 * restart, and is run once however many instances look at it.
 */
export const researchJobsMigration: Migration = {
  id: '1796047000000_research_jobs',
  statements: () => [
    `CREATE TABLE IF NOT EXISTS research_jobs (
  research_id text PRIMARY KEY,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  run_after timestamptz NOT NULL,
  last_error text,
  model text,
  created_at timestamptz NOT NULL,
  done_at timestamptz
)`,
    `CREATE INDEX IF NOT EXISTS research_jobs_due ON research_jobs (run_after) WHERE status = 'pending'`,
  ],
};
