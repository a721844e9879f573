import { randomUUID } from 'node:crypto';
import { AUDIT_BATCH_SIZE, auditEntry, type RecordChange } from '../../../src-shared/audit/audit-changes';
import { auditLogEntity } from '../../../src-shared/entities/audit.entity';
import { type RetentionTarget, retentionPolicyEntity } from '../../../src-shared/entities/privacy.entity';
import type { EntityDef } from '../../../src-shared/schema/define-entity';
import { toSnakeCase } from '../../../src-shared/schema/to-postgres';
import { validateRecord } from '../../../src-shared/schema/validate';
import type { Database, Queryable } from '../db/database';
import { quoted } from '../db/sync-schema';
import { rowToWireDoc } from '../sync/row-codec';
import { insertRow, selectForUpdate, updateRow } from '../sync/row-writer';
import { holdsPersonalDataSql, personalFields, withoutPersonalData } from './anonymise';
import { planAuditPrune, pruneAudit } from './audit-prune';
import { AGE_FIELD, cutoffOf, targetEntity } from './retention-targets';

/**
 * A retention run: every enabled policy (retention_policies, synced records an administrator
 * edits) finds the records older than its cut-off and, unless it is a dry run, deletes or
 * anonymises them through the row writer, so devices receive the change at their next pull like
 * any other (a deletion is a removal tombstone with the personal values already gone, which
 * RxDB removes on the device). Audit entries are pruned from the chain's start (audit-prune.ts).
 *
 * Each chunk of records is one transaction, rechecked under lock (a lead touched since the scan is
 * no longer old), audited with a server entry listing the records and what was done, without
 * copying the personal values being removed into the trail. The run is logged in `retention_runs`
 * (dry runs too, for Settings → Retention) and audited: a run with what each policy matched and
 * changed, a dry run (reason "retention dry run …") with who asked, when, and per policy what it
 * would delete or anonymise. A dry run writes no record.
 */

export type RunTrigger = 'schedule' | 'command' | 'app';

export interface PolicyReport {
  policyId: string;
  name: string;
  target: string;
  action: string;
  cutoff: string;
  /** Records the policy matches now. */
  matched: number;
  /** Records it changed (0 in a dry run). */
  applied: number;
  /** Up to five matched ids, oldest-first order of their table's id. */
  sampleIds: string[];
  /** Why the policy did not run (a stored policy the registry refuses, a write refused). */
  error?: string;
}

export interface RunReport {
  id: string;
  dryRun: boolean;
  trigger: RunTrigger;
  actorId: string;
  startedAt: string;
  finishedAt: string;
  policies: PolicyReport[];
}

export interface RunOptions {
  dryRun: boolean;
  trigger: RunTrigger;
  /** Who asked (an administrator in the app); else each policy's last editor answers for it. */
  actorId?: string;
  now?: () => Date;
  newId?: () => string;
  /** Told after a chunk committed, with its collection and txid (the change feed). */
  onCommitted?(collection: string, txid: string): void;
}

const CHUNK = 200;
const SAMPLE = 5;

type Doc = Record<string, unknown>;

async function loadPolicies(db: Queryable): Promise<Doc[]> {
  const { rows } = await db.query<{ doc: Doc }>(
    `SELECT to_jsonb(t) AS doc FROM retention_policies t
     WHERE t.enabled AND NOT t.is_deleted AND NOT t.sync_removed ORDER BY t.id`,
  );
  return rows.map((r) => rowToWireDoc(retentionPolicyEntity, r.doc));
}

/** The WHERE clause of a policy's records, with `$1` the cut-off. */
function matchSql(entity: EntityDef, policy: Doc): { where: string; params: unknown[] } {
  const age = quoted(toSnakeCase(AGE_FIELD[policy.target as RetentionTarget]));
  const parts = [`NOT t.sync_removed`, `t.${age} < $1::timestamptz`];
  const params: unknown[] = [];
  if (typeof policy.status === 'string') {
    params.push(policy.status);
    parts.push(`t.status = $${params.length + 1}`);
  }
  if (policy.action === 'anonymise') parts.push(holdsPersonalDataSql(entity, 't'));
  return { where: parts.join(' AND '), params };
}

/** Whether the record still falls under the policy (rechecked under lock before writing). */
function stillMatches(policy: Doc, doc: Doc, cutoff: Date): boolean {
  const value = doc[AGE_FIELD[policy.target as RetentionTarget]];
  if (typeof value !== 'string' || Date.parse(value) >= cutoff.getTime() || doc._deleted === true) return false;
  return typeof policy.status !== 'string' || doc.status === policy.status;
}

function nextState(entity: EntityDef, policy: Doc, current: Doc, at: string, actorId: string): Doc {
  const stripped = withoutPersonalData(entity, current);
  const stamped = { ...stripped, updatedAt: at, updatedBy: actorId };
  if (policy.action === 'anonymise') return stamped;
  // Custom field values may be personal too: a deleted record keeps none.
  return {
    ...stamped,
    ...(entity.customizable ? { customFields: {} } : {}),
    isDeleted: true,
    deletedAt: at,
    _deleted: true,
  };
}

interface Stamp {
  runId: string;
  now: Date;
  actorId: string;
  newId(): string;
}

async function applyChunk(tx: Queryable, entity: EntityDef, policy: Doc, ids: string[], cutoff: Date, stamp: Stamp) {
  const at = stamp.now.toISOString();
  const changes: RecordChange[] = [];
  let txid = '0';
  for (const id of ids) {
    const current = await selectForUpdate(tx, entity, id);
    if (current === undefined || !stillMatches(policy, current, cutoff)) continue;
    const next = nextState(entity, policy, current, at, stamp.actorId);
    const { _deleted, ...record } = next;
    const problem = validateRecord(entity, record)[0];
    if (problem) throw new Error(`${entity.name} ${id}: ${problem.field} ${problem.problem}`);
    txid = await updateRow(tx, entity, next, { erasing: true });
    // Which fields were cleared, never their values: the trail must not keep what retention removes.
    const cleared = personalFields(entity).filter((f) => current[f] !== undefined && current[f] !== next[f]);
    changes.push({
      id,
      kind: entity.name,
      action: policy.action === 'delete' ? 'purge' : 'update',
      changes: Object.fromEntries(cleared.map((f) => [f, ['(personal data)', next[f] ?? null]])),
    });
  }
  for (let i = 0; i < changes.length; i += AUDIT_BATCH_SIZE) {
    const entry = auditEntry(
      {
        id: stamp.newId(),
        at: stamp.now,
        actorId: stamp.actorId,
        deviceId: 'server',
        collection: entity.collection ?? '',
      },
      changes.slice(i, i + AUDIT_BATCH_SIZE),
    );
    const reason = `retention policy "${String(policy.name)}" (${String(policy.id)}), run ${stamp.runId}`;
    await insertRow(tx, auditLogEntity, { ...entry, source: 'server', reason: reason.slice(0, 500), _deleted: false });
  }
  return { applied: changes.length, txid };
}

async function runRecordPolicy(
  db: Database,
  policy: Doc,
  report: PolicyReport,
  dryRun: boolean,
  stamp: Stamp,
  options: RunOptions,
) {
  const entity = targetEntity(policy.target as RetentionTarget);
  const cutoff = new Date(report.cutoff);
  const { where, params } = matchSql(entity, policy);
  const { rows } = await db.query<{ id: string }>(
    `SELECT t.id FROM ${quoted(entity.table)} AS t WHERE ${where} ORDER BY t.id`,
    [cutoff.toISOString(), ...params],
  );
  report.matched = rows.length;
  report.sampleIds = rows.slice(0, SAMPLE).map((r) => r.id);
  if (dryRun) return;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const ids = rows.slice(i, i + CHUNK).map((r) => r.id);
    const { applied, txid } = await db.transaction((tx) => applyChunk(tx, entity, policy, ids, cutoff, stamp));
    report.applied += applied;
    if (applied > 0) options.onCommitted?.(entity.collection ?? '', txid);
  }
}

async function runPolicy(db: Database, policy: Doc, dryRun: boolean, stamp: Stamp, options: RunOptions) {
  const report: PolicyReport = {
    policyId: String(policy.id),
    name: String(policy.name),
    target: String(policy.target),
    action: String(policy.action),
    cutoff: '',
    matched: 0,
    applied: 0,
    sampleIds: [],
  };
  const { _deleted, ...record } = policy;
  const problem = validateRecord(retentionPolicyEntity, record)[0];
  if (problem) return { ...report, error: `${problem.field} ${problem.problem}` };
  const cutoff = cutoffOf(stamp.now, Number(policy.age), String(policy.ageUnit));
  report.cutoff = cutoff.toISOString();
  const actorId = options.actorId ?? String(policy.updatedBy);
  try {
    if (policy.target === 'auditLog') {
      const plan = await planAuditPrune(db, cutoff);
      report.matched = plan.matched;
      report.sampleIds = plan.sampleIds;
      if (!dryRun && plan.matched > 0) {
        const reason = `retention policy "${String(policy.name)}" (${String(policy.id)}), run ${stamp.runId}`;
        report.applied = await db.transaction((tx) =>
          pruneAudit(tx, cutoff, { entryId: stamp.newId(), at: stamp.now, actorId, reason: reason.slice(0, 500) }),
        );
      }
    } else {
      await runRecordPolicy(db, policy, report, dryRun, { ...stamp, actorId }, options);
    }
  } catch (error) {
    report.error = error instanceof Error ? error.message : String(error);
  }
  return report;
}

/** What the run's audit entry says of one policy: matched and changed, or for a dry run what it would change. */
function policyChanges(p: PolicyReport, dryRun: boolean): Record<string, [null, unknown]> {
  const error: Record<string, [null, unknown]> = p.error ? { error: [null, p.error] } : {};
  if (!dryRun) return { matched: [null, p.matched], applied: [null, p.applied], ...error };
  return {
    dryRun: [null, true],
    policy: [null, p.name],
    target: [null, p.target],
    action: [null, p.action],
    cutoff: [null, p.cutoff],
    wouldChange: [null, p.matched],
    ...error,
  };
}

function runReason(run: RunReport): string {
  const total = (n: (p: PolicyReport) => number) => run.policies.reduce((sum, p) => sum + n(p), 0);
  if (!run.dryRun) return `retention run ${run.id} (${run.trigger}): ${total((p) => p.applied)} records changed`;
  return `retention dry run ${run.id} (${run.trigger}): ${total((p) => p.matched)} records would be deleted or anonymised; nothing was changed`;
}

/** The run's own audit entry (a dry run's too): one record per policy, what it matched and changed or would change. */
async function auditRun(db: Database, run: RunReport, newId: () => string, now: Date) {
  const records: RecordChange[] = run.policies.map((p) => ({
    id: p.policyId,
    kind: retentionPolicyEntity.name,
    // The registry has no dry-run action: the policy's purge, with `dryRun` and the reason saying nothing changed.
    action: 'purge',
    changes: policyChanges(p, run.dryRun),
  }));
  if (records.length === 0) return;
  for (let i = 0; i < records.length; i += AUDIT_BATCH_SIZE) {
    const entry = auditEntry(
      { id: newId(), at: now, actorId: run.actorId, deviceId: 'server', collection: 'settings' },
      records.slice(i, i + AUDIT_BATCH_SIZE),
    );
    const reason = runReason(run).slice(0, 500);
    await insertRow(db, auditLogEntity, { ...entry, source: 'server', reason, _deleted: false });
  }
}

export async function runRetention(db: Database, options: RunOptions): Promise<RunReport> {
  const clock = options.now ?? (() => new Date());
  const newId = options.newId ?? (() => `srv_${randomUUID().replaceAll('-', '')}`);
  const started = clock();
  const runId = `ret_${randomUUID().replaceAll('-', '').slice(0, 32)}`;
  const policies = await loadPolicies(db);
  const stamp: Stamp = { runId, now: started, actorId: options.actorId ?? 'server', newId };
  const reports: PolicyReport[] = [];
  for (const policy of policies) reports.push(await runPolicy(db, policy, options.dryRun, stamp, options));
  const run: RunReport = {
    id: runId,
    dryRun: options.dryRun,
    trigger: options.trigger,
    actorId: options.actorId ?? (policies.length === 1 ? String(policies[0]?.updatedBy) : 'server'),
    startedAt: started.toISOString(),
    finishedAt: clock().toISOString(),
    policies: reports,
  };
  await auditRun(db, run, newId, started);
  await db.query(
    `INSERT INTO retention_runs (id, started_at, finished_at, dry_run, trigger, actor_id, report)
     VALUES ($1, $2, $3, $4, $5, $6, $7::text::jsonb)`,
    [run.id, run.startedAt, run.finishedAt, run.dryRun, run.trigger, run.actorId, JSON.stringify(run.policies)],
  );
  return run;
}
