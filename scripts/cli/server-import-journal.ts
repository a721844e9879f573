import { randomUUID } from 'node:crypto';
import { diffRecord, type RecordChange } from '../../src-shared/audit/audit-changes';
import { auditLogEntity } from '../../src-shared/entities/audit.entity';
import { type EntityDef, NEWEST_MAX } from '../../src-shared/schema/define-entity';
import { validateRecord } from '../../src-shared/schema/validate';
import type { Database, Queryable } from '../../sync-server/src/db/database';
import { rowToWireDoc } from '../../sync-server/src/sync/row-codec';
import { insertRow } from '../../sync-server/src/sync/row-writer';

/**
 * What `import undo` needs to know about a CLI import, kept where the records are: one audit entry
 * per import (`action: 'batch'`, the reason naming the batch), as the app keeps its journal on the
 * device (src-renderer/features/import/import-journal.ts). The records it created carry the batch
 * tag `import:<batchId>` and are found again by it; the records it updated are listed in the
 * entry's `records` with their field-level changes `[before, after]`, so undo can put them back.
 * An undo is audited the same way, which also tells a second undo of the batch that it was done.
 */

const IMPORT_PREFIX = 'Import batch';
const UNDO_PREFIX = 'Import undo';

export interface ImportJournal {
  readonly batchId: string;
  readonly entityKind: string;
  /** The import's time: the createdAt/updatedAt of every record it wrote. */
  readonly at: string;
  readonly actorId: string;
  /** The records it updated, with the fields it changed as `[before, after]`. */
  readonly updates: readonly RecordChange[];
}

export const batchTagOf = (batchId: string) => `import:${batchId}`;

function reasonOf(prefix: string, batchId: string, detail: string): string {
  const reason = `${prefix} ${batchId}: ${detail}`;
  return reason.length > 500 ? `${reason.slice(0, 499)}…` : reason;
}

async function writeEntry(
  db: Database,
  input: {
    entity: EntityDef;
    actorId: string;
    at: Date;
    firstId: string;
    count: number;
    records: readonly RecordChange[];
    reason: string;
  },
): Promise<void> {
  const at = input.at.toISOString();
  const entry = {
    id: `srv_${randomUUID().replaceAll('-', '')}`,
    kind: 'auditLog',
    ownerId: input.actorId,
    createdAt: at,
    updatedAt: at,
    createdBy: input.actorId,
    updatedBy: input.actorId,
    isDeleted: false,
    newest: NEWEST_MAX - input.at.getTime(),
    at,
    actorId: input.actorId,
    deviceId: 'server',
    source: 'server',
    action: 'batch',
    collectionName: input.entity.collection ?? input.entity.name,
    entityKind: input.entity.name,
    entityId: input.firstId,
    recordCount: Math.max(1, input.count),
    records: input.records,
    reason: input.reason,
  };
  const problems = validateRecord(auditLogEntity, entry);
  if (problems.length > 0)
    throw new Error(`import audit entry is invalid: ${problems.map((p) => `${p.field} ${p.problem}`).join('; ')}`);
  await db.transaction((tx) => insertRow(tx, auditLogEntity, { ...entry, _deleted: false }));
}

/** Records the import's batch: the ids it created (by count; they carry the tag) and the updates' before values. */
export async function recordImport(
  db: Database,
  input: {
    entity: EntityDef;
    batchId: string;
    fileName: string;
    actorId: string;
    at: Date;
    created: readonly string[];
    updated: readonly { previous: Record<string, unknown>; next: Record<string, unknown> }[];
  },
): Promise<void> {
  const updates = input.updated
    .map((u) => diffRecord(u.previous, u.next, false))
    .filter((c): c is RecordChange => c !== undefined && Object.keys(c.changes).length > 0);
  await writeEntry(db, {
    entity: input.entity,
    actorId: input.actorId,
    at: input.at,
    firstId: input.created[0] ?? updates[0]?.id ?? 'none',
    count: input.created.length + updates.length,
    records: updates,
    reason: reasonOf(
      IMPORT_PREFIX,
      input.batchId,
      `${input.fileName}, ${input.created.length} created, ${updates.length} updated (undo: npm run crm -- import undo ${input.batchId})`,
    ),
  });
}

export async function recordUndo(
  db: Database,
  input: {
    entity: EntityDef;
    batchId: string;
    actorId: string;
    at: Date;
    deleted: number;
    restored: number;
    left: number;
  },
): Promise<void> {
  await writeEntry(db, {
    entity: input.entity,
    actorId: input.actorId,
    at: input.at,
    firstId: 'none',
    count: input.deleted + input.restored,
    records: [],
    reason: reasonOf(
      UNDO_PREFIX,
      input.batchId,
      `${input.deleted} deleted, ${input.restored} restored, ${input.left} edited since and left as they are`,
    ),
  });
}

type Plain = Record<string, unknown>;

async function entryOf(db: Queryable, prefix: string, batchId: string): Promise<Plain | undefined> {
  const { rows } = await db.query<{ doc: Plain }>(
    `SELECT to_jsonb(t) AS doc FROM audit_log t
      WHERE t.action = 'batch' AND t.reason LIKE $1 AND NOT t.sync_removed ORDER BY t.at DESC LIMIT 1`,
    [`${prefix} ${batchId.replace(/[\\%_]/g, (c) => `\\${c}`)}: %`],
  );
  const row = rows[0];
  return row ? (rowToWireDoc(auditLogEntity, row.doc) as Plain) : undefined;
}

/** The import's journal, and when it was undone (undefined while it has not been). */
export async function findImport(
  db: Queryable,
  batchId: string,
): Promise<{ journal: ImportJournal; undoneAt?: string } | undefined> {
  const entry = await entryOf(db, IMPORT_PREFIX, batchId);
  if (!entry) return undefined;
  const undo = await entryOf(db, UNDO_PREFIX, batchId);
  const records = Array.isArray(entry.records) ? (entry.records as RecordChange[]) : [];
  return {
    journal: {
      batchId,
      entityKind: String(entry.entityKind),
      at: String(entry.at),
      actorId: String(entry.actorId),
      updates: records.filter((r) => r.action === 'update'),
    },
    ...(undo ? { undoneAt: String(undo.at) } : {}),
  };
}
