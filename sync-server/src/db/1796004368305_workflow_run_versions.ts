import type { Migration } from './migrate';

/**
 * Which version of a workflow's definition a run used: the workflow's `updatedAt` when it ran (a
 * workflow is versioned by its edits; its audit trail holds each version's changes).
 */
export const workflowRunVersionsMigration: Migration = {
  id: '1796004368305_workflow_run_versions',
  statements: () => [`ALTER TABLE workflow_runs ADD COLUMN IF NOT EXISTS workflow_version text`],
};
