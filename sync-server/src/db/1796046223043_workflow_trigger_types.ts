import type { EntityDef } from '../../../src-shared/schema/define-entity';
import type { FieldSpec } from '../../../src-shared/schema/field';
import type { Migration } from './migrate';

/**
 * The scoreCrossed and dateReached triggers (src-shared/automation/workflow-triggers.ts):
 * - `workflows.trigger` accepts them (its CHECK, written out here so the statements never change
 *   once applied; `workflowTriggersBefore` gives the first migration the list it was applied with);
 * - `automation_jobs.event` accepts 'dateReached': the scheduler queues one job per (workflow,
 *   record, 'dateReached', workflow version), and the once-only index (event <> 'updated') makes a
 *   second queueing, by any instance, nothing.
 */

const TRIGGERS_BEFORE = ['recordCreated', 'recordUpdated', 'fieldChanged', 'stageChanged', 'scheduled', 'manual'];
const TRIGGERS = [...TRIGGERS_BEFORE, 'scoreCrossed', 'dateReached'];
const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

export const workflowTriggerTypesMigration: Migration = {
  id: '1796046223043_workflow_trigger_types',
  statements: () => [
    `ALTER TABLE "workflows" DROP CONSTRAINT IF EXISTS "workflows_trigger_check"`,
    `ALTER TABLE "workflows" ADD CONSTRAINT "workflows_trigger_check" CHECK ("trigger" IN (${list(TRIGGERS)}))`,
    `ALTER TABLE automation_jobs DROP CONSTRAINT IF EXISTS automation_jobs_event_check`,
    `ALTER TABLE automation_jobs ADD CONSTRAINT automation_jobs_event_check
  CHECK (event IN ('created', 'updated', 'scheduled', 'manual', 'dateReached'))`,
  ],
};

/** The registry as the first migration saw it: the workflow's trigger without the types added here. */
export function workflowTriggersBefore(registry: readonly EntityDef[]): EntityDef[] {
  return registry.map((entity) => {
    if (entity.name !== 'workflow') return entity;
    const trigger = { ...(entity.allFields.trigger as FieldSpec), values: TRIGGERS_BEFORE };
    return {
      ...entity,
      fields: { ...entity.fields, trigger },
      allFields: { ...entity.allFields, trigger },
    };
  });
}
