import { randomUUID } from 'node:crypto';
import { getEntity, isEntityName } from '../../src-shared/entities/registry';
import { type EntityDef, withDerived } from '../../src-shared/schema/define-entity';
import { displayName } from '../../src-shared/schema/display-name';
import type { WireDoc } from '../../src-shared/sync/protocol';
import { loadAccess } from '../../sync-server/src/auth/access';
import type { Database, Queryable } from '../../sync-server/src/db/database';
import { quoted } from '../../sync-server/src/db/sync-schema';
import { push } from '../../sync-server/src/sync/push';
import { rowToWireDoc } from '../../sync-server/src/sync/row-codec';
import { resolveActor, type ServerActor } from './server-actor';
import { batchTagOf, findImport, recordUndo } from './server-import-journal';

/**
 * `npm run crm -- import undo <batchId>`: the CLI's undo of a whole import, with the app's
 * semantics (src-renderer/features/import/run-import.ts undoImport): the records carrying the
 * batch's tag that it created are soft-deleted, and the fields it changed on records that already
 * existed are put back. Every write goes through the server's push as the `--as` user, so it is
 * permission-checked and audited, and devices pull it. Unlike the app, which undoes at once on the
 * device that imported, a server import may have been worked on since: a record changed after the
 * import is reported and left as it is, unless `force`.
 */

export interface ImportUndoOptions {
  readonly batchId: string;
  readonly asEmail?: string;
  /** Also remove or put back records edited since the import. */
  readonly force: boolean;
  readonly now?: () => Date;
}

export interface LeftRecord {
  readonly id: string;
  readonly name: string;
  readonly reason: string;
}

export interface ImportUndoResult {
  readonly actor: ServerActor;
  readonly entity: string;
  readonly deleted: number;
  readonly restored: number;
  /** Records not touched: edited since the import (without force), refused or changed while undoing. */
  readonly left: LeftRecord[];
}

/** The batch id names no import on this server, or one already undone. */
export class ImportUndoError extends Error {
  override readonly name = 'ImportUndoError';
}

type Plain = Record<string, unknown>;

async function liveTagged(db: Queryable, entity: EntityDef, tag: string): Promise<Plain[]> {
  const { rows } = await db.query<{ doc: Plain }>(
    `SELECT to_jsonb(t) AS doc FROM ${quoted(entity.table)} AS t
      WHERE NOT t.sync_removed AND NOT t.is_deleted AND $1 = ANY(t.tags)`,
    [tag],
  );
  return rows.map((r) => rowToWireDoc(entity, r.doc) as Plain);
}

async function liveByIds(db: Queryable, entity: EntityDef, ids: readonly string[]): Promise<Map<string, Plain>> {
  if (ids.length === 0) return new Map();
  const { rows } = await db.query<{ doc: Plain }>(
    `SELECT to_jsonb(t) AS doc FROM ${quoted(entity.table)} AS t
      WHERE t.id = ANY($1::text[]) AND NOT t.sync_removed AND NOT t.is_deleted`,
    [[...ids]],
  );
  return new Map(rows.map((r) => [String(r.doc.id), rowToWireDoc(entity, r.doc) as Plain]));
}

/** A field's value against a journal's `before` (null there: the field was empty). */
function same(value: unknown, before: unknown): boolean {
  if (before === null || before === undefined) return value === null || value === undefined;
  return JSON.stringify(value) === JSON.stringify(before);
}

interface Planned {
  readonly current: Plain;
  readonly next: Plain;
  readonly kind: 'delete' | 'restore';
}

export async function undoImportOnServer(db: Database, options: ImportUndoOptions): Promise<ImportUndoResult> {
  const found = await findImport(db, options.batchId);
  if (!found) throw new ImportUndoError(`batchId: no import batch "${options.batchId}" on this server`);
  // Again with --force: finishes what an undo left (records edited since), skipping what it did.
  if (found.undoneAt && !options.force) {
    throw new ImportUndoError(
      `batchId: import batch "${options.batchId}" was undone at ${found.undoneAt} (--force removes what that undo left)`,
    );
  }
  const { journal } = found;
  if (!isEntityName(journal.entityKind)) throw new ImportUndoError(`batchId: unknown entity "${journal.entityKind}"`);
  const entity = getEntity(journal.entityKind);
  const actor = await resolveActor(db, options.asEmail);
  const now = options.now ?? (() => new Date());
  const at = now().toISOString();
  const stamp = (doc: Plain): Plain => withDerived(entity, { ...doc, updatedAt: at, updatedBy: actor.id });
  // The import stamped every record it wrote with its own time; a later time means someone edited it since.
  const editedSince = (doc: Plain) => doc.updatedAt !== journal.at;
  const left: LeftRecord[] = [];
  const leave = (doc: Plain, reason: string) =>
    left.push({ id: String(doc.id), name: displayName(entity, doc), reason });

  const updatedIds = new Set(journal.updates.map((u) => u.id));
  const planned: Planned[] = [];
  for (const doc of await liveTagged(db, entity, batchTagOf(journal.batchId))) {
    if (updatedIds.has(String(doc.id))) continue;
    if (editedSince(doc) && !options.force) leave(doc, `edited since the import (${doc.updatedAt})`);
    else planned.push({ current: doc, kind: 'delete', next: stamp({ ...doc, isDeleted: true, deletedAt: at }) });
  }
  const current = await liveByIds(db, entity, [...updatedIds]);
  for (const update of journal.updates) {
    const doc = current.get(update.id);
    if (!doc) continue; // deleted since: nothing to put back
    const changed = Object.entries(update.changes);
    if (changed.every(([field, [before]]) => same(doc[field], before))) continue; // put back already
    if (editedSince(doc) && !options.force) {
      leave(doc, `edited since the import (${doc.updatedAt}); its imported values stay`);
      continue;
    }
    const next: Plain = { ...doc };
    for (const [field, [before]] of changed) {
      if (before === null || before === undefined) delete next[field];
      else next[field] = before;
    }
    planned.push({ current: doc, kind: 'restore', next: stamp(next) });
  }

  const written = await write(db, entity, actor, now, planned, left);
  const deleted = written.filter((p) => p.kind === 'delete').length;
  const restored = written.length - deleted;
  await recordUndo(db, {
    entity,
    batchId: journal.batchId,
    actorId: actor.id,
    at: now(),
    deleted,
    restored,
    left: left.length,
  });
  return { actor, entity: entity.name, deleted, restored, left };
}

/** Pushes the planned writes as the actor; a refused or conflicting one is reported in `left`. */
async function write(
  db: Database,
  entity: EntityDef,
  actor: ServerActor,
  now: () => Date,
  planned: readonly Planned[],
  left: LeftRecord[],
): Promise<Planned[]> {
  const collection = entity.collection;
  if (!collection) throw new Error(`${entity.name} is not stored as documents`);
  const access = await loadAccess(db, { userId: actor.id });
  const written: Planned[] = [];
  for (let start = 0; start < planned.length; start += 500) {
    const batch = planned.slice(start, start + 500);
    const result = await push(
      db,
      collection,
      {
        rows: batch.map((p) => ({
          newDocumentState: p.next as WireDoc,
          assumedMasterState: p.current as WireDoc,
        })),
      },
      { userId: actor.id, access, now, newId: () => `srv_${randomUUID().replaceAll('-', '')}`, warn: () => {} },
    );
    const refused = new Map<string, string>([
      ...result.rejected.map((r) => [r.id, `refused: ${r.reason}`] as const),
      ...result.conflicts.map((c) => [c.id, 'changed on the server while undoing; run undo again'] as const),
    ]);
    for (const p of batch) {
      const reason = refused.get(String(p.current.id));
      if (reason === undefined) written.push(p);
      else left.push({ id: String(p.current.id), name: displayName(entity, p.current), reason });
    }
  }
  return written;
}
