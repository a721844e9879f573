import { auditLogEntity } from '../../../src-shared/entities/audit.entity';
import { workflowEntity } from '../../../src-shared/entities/work.entity';
import type { Queryable } from '../db/database';
import { insertRow, updateRow } from '../sync/row-writer';
import { serverAuditEntry } from '../sync/server-audit';

/**
 * A run that fired stamps its workflow: `lastRunAt` and `runCount`, written through the push's row
 * writer (so devices receive them at their next pull of the settings collection) with a server
 * audit entry, in the run's transaction (a run rolled back counts nothing). Skipped runs are not
 * counted: the log has them, and the workflow row would change on every record that did not match.
 *
 * `updatedAt` is left as it is: it is the version of the definition a run records
 * (`workflow_runs.workflow_version`), and a counter is not a new version. The three-way merge works
 * per field, so an administrator's edit made meanwhile on a device keeps both.
 */
export async function countRun(
  tx: Queryable,
  workflow: Readonly<Record<string, unknown>>,
  now: Date,
  newId: () => string,
): Promise<{ collection: string; txid: string }> {
  const runs = typeof workflow.runCount === 'number' ? workflow.runCount : 0;
  const next = { ...workflow, lastRunAt: now.toISOString(), runCount: runs + 1 };
  const collection = workflowEntity.collection ?? workflowEntity.name;
  const txid = await updateRow(tx, workflowEntity, next);
  const entry = serverAuditEntry(
    { id: newId(), at: now, actorId: String(workflow.ownerId), collection },
    workflow,
    next,
  );
  await insertRow(tx, auditLogEntity, {
    ...entry,
    deviceId: `workflow:${String(workflow.id)}`,
    reason: `workflow "${String(workflow.name)}" (${String(workflow.id)}) ran`.slice(0, 500),
    _deleted: false,
  });
  return { collection, txid };
}
