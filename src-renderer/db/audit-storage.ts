import type { BulkWriteRow, RxStorage, RxStorageInstance, RxStorageInstanceCreationParams } from 'rxdb';
import { createRevision, now as rxNow } from 'rxdb';
import { AUDIT_BATCH_SIZE, auditEntry, diffRecord, type RecordChange } from '../../src-shared/audit/audit-changes';
import type { Actor, Clock, IdGenerator } from './write-context';

export interface AuditStorageOptions {
  storage: RxStorage<unknown, unknown>;
  /** Collections whose writes are audited. */
  audited: ReadonlySet<string>;
  auditCollection: string;
  actor: () => Actor;
  clock: Clock;
  newId: IdGenerator;
  /** Called when an audit write fails after its records were written. */
  onAuditFailure?: (error: unknown) => void;
}

type Doc = Record<string, unknown>;
type Instance = RxStorageInstance<Doc, unknown, unknown>;

/**
 * Writes pulled from the server are audited by the server; schema and storage migrations move
 * records without changing them. Everything else (every insert, update and removal, by any API
 * of RxDB) is audited here, below RxDB, so no write path can skip it.
 */
function isAudited(context: string): boolean {
  return !context.startsWith('replication-downstream') && !context.startsWith('migrat');
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/**
 * An RxStorage wrapper that appends audit entries for every successful write. One entry per
 * record for single writes; a bulk write gets one entry per AUDIT_BATCH_SIZE records, which keeps
 * a 100k import's audit to a few hundred documents, and its inserts list the records without
 * copying their values (see DiffOptions.omitInsertValues).
 *
 * The audit entry commits in its own IndexedDB transaction after the records' (RxDB's Dexie
 * storage keeps each collection in its own database), so a crash between the two can lose the
 * entry of a write that did land; the write itself is never lost or rolled back for it.
 */
export function wrappedAuditStorage(options: AuditStorageOptions): RxStorage<unknown, unknown> {
  const auditInstances = new Map<string, ReturnType<typeof deferred<Instance>>>();
  const auditInstanceOf = (token: string) => {
    let d = auditInstances.get(token);
    if (!d) {
      d = deferred<Instance>();
      auditInstances.set(token, d);
    }
    return d;
  };

  return Object.assign({}, options.storage, {
    name: `audited-${options.storage.name}`,
    async createStorageInstance(params: RxStorageInstanceCreationParams<Doc, unknown>) {
      const instance = (await options.storage.createStorageInstance(params)) as Instance;
      if (params.collectionName === options.auditCollection) {
        auditInstanceOf(params.databaseInstanceToken).resolve(instance);
        return instance;
      }
      if (!options.audited.has(params.collectionName)) return instance;

      const token = params.databaseInstanceToken;
      const original = instance.bulkWrite.bind(instance);
      instance.bulkWrite = async (rows: BulkWriteRow<Doc>[], context: string) => {
        const result = await original(rows, context);
        if (!isAudited(context)) return result;
        const failed = new Set(result.error.map((e) => e.documentId));
        const changes: RecordChange[] = [];
        const diffOptions = { context, omitInsertValues: rows.length > 1 };
        for (const row of rows) {
          const doc = row.document;
          if (failed.has(String(doc.id))) continue;
          const change = diffRecord(row.previous, doc, doc._deleted === true, diffOptions);
          if (change) changes.push(change);
        }
        if (changes.length > 0) {
          try {
            await writeAudit(await auditInstanceOf(token).promise, token, params.collectionName, changes);
          } catch (error) {
            options.onAuditFailure?.(error);
          }
        }
        return result;
      };
      return instance;
    },
  });

  async function writeAudit(audit: Instance, token: string, collection: string, changes: RecordChange[]) {
    const { userId, deviceId } = options.actor();
    const at = options.clock.now();
    const rows: BulkWriteRow<Doc>[] = [];
    for (let i = 0; i < changes.length; i += AUDIT_BATCH_SIZE) {
      const entry = auditEntry(
        { id: options.newId(), at, actorId: userId, deviceId, collection },
        changes.slice(i, i + AUDIT_BATCH_SIZE),
      );
      rows.push({
        document: { ...entry, _deleted: false, _attachments: {}, _rev: createRevision(token), _meta: { lwt: rxNow() } },
      });
    }
    const result = await audit.bulkWrite(rows, 'audit-append');
    if (result.error.length > 0) throw new Error(`audit write failed: ${JSON.stringify(result.error[0])}`);
  }
}
