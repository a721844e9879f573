import type { Migration } from './migrate';

/**
 * Manual runs (`POST /automation/workflows/:id/run`, "Run now on…" in Settings → Workflows): a job
 * of event 'manual', each with a period of its own (the request's), so the once-only index never
 * merges two requests.
 */
export const automationManualRunsMigration: Migration = {
  id: '1796012485965_automation_manual_runs',
  statements: () => [
    `ALTER TABLE automation_jobs DROP CONSTRAINT IF EXISTS automation_jobs_event_check`,
    `ALTER TABLE automation_jobs ADD CONSTRAINT automation_jobs_event_check
  CHECK (event IN ('created', 'updated', 'scheduled', 'manual'))`,
  ],
};
