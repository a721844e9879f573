import type { Migration } from './migrate';

/**
 * Server-side automation (sync-server/src/automation):
 * - `automation_jobs`: the outbox. A push writes a job per active workflow a written record may
 *   fire, in the transaction that writes the record, so a crash between the commit and the run never
 *   loses the run; the worker claims jobs with SKIP LOCKED (several server instances share them) and
 *   applies a job's actions in the transaction that marks it done. Unique per (workflow, record,
 *   event, period) for the events that must run once (a record's creation, a scheduled period);
 *   updates may queue several.
 * - `workflow_runs`: every run with its outcome (planned / skipped / failed), reason and the actions
 *   applied. Append-only by use; holds record ids, no record values.
 * - `automation_rotations`: round-robin state per group (the member assigned last), advanced in the
 *   transaction that assigns, under the row's lock, so concurrent runs take turns in order.
 * - `automation_schedule_periods`: the periods of scheduled workflows already expanded into jobs,
 *   so a tick (of any instance) scans a workflow's records once per period.
 */
export const automationMigration: Migration = {
  id: '1796003080160_automation',
  statements: () => [
    `CREATE TABLE IF NOT EXISTS automation_jobs (
  id bigserial PRIMARY KEY,
  workflow_id text NOT NULL,
  entity_kind text NOT NULL,
  record_id text NOT NULL,
  event text NOT NULL CHECK (event IN ('created', 'updated', 'scheduled')),
  period text NOT NULL DEFAULT '',
  before_doc jsonb,
  after_doc jsonb NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  run_after timestamptz NOT NULL DEFAULT now(),
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  done_at timestamptz
)`,
    `CREATE UNIQUE INDEX IF NOT EXISTS automation_jobs_once ON automation_jobs (workflow_id, record_id, event, period)
  WHERE event <> 'updated'`,
    `CREATE INDEX IF NOT EXISTS automation_jobs_due ON automation_jobs (run_after, id) WHERE status = 'pending'`,
    `CREATE TABLE IF NOT EXISTS workflow_runs (
  id bigserial PRIMARY KEY,
  job_id bigint NOT NULL,
  workflow_id text NOT NULL,
  entity_kind text NOT NULL,
  record_id text NOT NULL,
  event text NOT NULL,
  period text NOT NULL DEFAULT '',
  outcome text NOT NULL CHECK (outcome IN ('planned', 'skipped', 'failed')),
  reason text,
  actions jsonb NOT NULL DEFAULT '[]'::jsonb,
  attempt integer NOT NULL,
  ran_at timestamptz NOT NULL
)`,
    `CREATE INDEX IF NOT EXISTS workflow_runs_by_workflow ON workflow_runs (workflow_id, ran_at)`,
    `CREATE INDEX IF NOT EXISTS workflow_runs_by_record ON workflow_runs (record_id)`,
    `CREATE TABLE IF NOT EXISTS automation_rotations (
  group_id text PRIMARY KEY,
  last_user_id text,
  turns bigint NOT NULL DEFAULT 0
)`,
    `CREATE TABLE IF NOT EXISTS automation_schedule_periods (
  workflow_id text NOT NULL,
  period text NOT NULL,
  jobs integer NOT NULL,
  expanded_at timestamptz NOT NULL,
  PRIMARY KEY (workflow_id, period)
)`,
    `COMMENT ON TABLE workflow_runs IS 'Every server workflow run with its outcome; record ids only, no record values.'`,
  ],
};
