/**
 * A run of the server's run log as its API answers it (`GET /automation/runs`, the answer of
 * `POST /automation/workflows/:id/run`): written by sync-server/src/automation, shown by the
 * Settings screen's run log.
 */

/** An action of the run as logged: what was written, or why nothing was (a webhook: 'queued'). */
export interface WorkflowRunAction {
  type: string;
  result: string;
  recordId?: string;
  detail?: string;
}

export interface WorkflowRun {
  id: string;
  workflowId: string;
  entityKind: string;
  recordId: string;
  event: string;
  period: string;
  outcome: 'planned' | 'skipped' | 'failed';
  reason: string | null;
  actions: WorkflowRunAction[];
  attempt: number;
  ranAt: string;
  /** The workflow's `updatedAt` when it ran; null when the run failed before reading it. */
  workflowVersion: string | null;
}
