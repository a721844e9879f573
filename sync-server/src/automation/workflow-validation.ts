import { workflowProblems } from '../../../src-shared/automation/workflow-definition';
import type { FieldProblem } from '../../../src-shared/schema/define-entity';
import { cronProblem } from './schedule';

/**
 * What the server checks of a workflow it is asked to store, beyond the registry's field rules:
 * its conditions and actions against the registry (workflowProblems, each problem named by its
 * path, e.g. `actions[0].groupId`) and its cron schedule. A removed workflow is not checked, so a
 * bad one stored before these checks can still be deleted.
 */
export function workflowWriteProblems(doc: Readonly<Record<string, unknown>>): FieldProblem[] {
  if (doc._deleted === true || doc.isDeleted === true) return [];
  const problems = workflowProblems({
    entityKind: String(doc.entityKind),
    trigger: String(doc.trigger),
    conditions: doc.conditions ?? undefined,
    actions: doc.actions,
  });
  if (typeof doc.schedule === 'string') {
    const problem = cronProblem(doc.schedule);
    if (problem) problems.push({ field: 'schedule', problem });
  }
  return problems;
}
