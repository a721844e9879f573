import { getEntity, isEntityName } from '../../../src-shared/entities/registry';
import type { EntityDef } from '../../../src-shared/schema/define-entity';
import type { Access } from '../auth/access';
import type { Queryable } from '../db/database';
import { quoted } from '../db/sync-schema';
import { rowToWireDoc } from './row-codec';
import type { WriteGate } from './write-access';

/**
 * What an audit entry pushed by a signed-in user may say. A device adds entries about its own
 * writes (built-in-roles.ts), so the entry must name its pusher as actor, owner and author, come
 * from a device (`source: 'local'`; the server's entries are its own), and describe only records the
 * pusher may see now, or wrote or owned before (the server's own trail says so): a record reassigned
 * away while the rep's edits of it, or their entries, were on the way is theirs to describe. A record
 * not on the server yet is not refused for it: a device's records and their entries replicate in
 * separate collections.
 *
 * Administrators too: an entry in another's name is forgery whoever writes it. The unrestricted
 * seam (tests, seeding; never a token) is not checked.
 */

export interface Problem {
  field: string;
  reason: string;
}

export interface AuditAuthorship {
  /** Looks up the records the entries name; call before `problemOf`. */
  load(tx: Queryable, entries: readonly Readonly<Record<string, unknown>>[]): Promise<void>;
  problemOf(entry: Readonly<Record<string, unknown>>): Problem | undefined;
}

const UNCHECKED: AuditAuthorship = { load: async () => {}, problemOf: () => undefined };

interface Named {
  kind: string;
  id: string;
}

/** The records an entry describes, and the field that names them. */
function namedBy(entry: Readonly<Record<string, unknown>>): { field: string; records: Named[] } {
  if (entry.action === 'batch' && Array.isArray(entry.records)) {
    const records = (entry.records as unknown[]).map((r) => {
      const record = (typeof r === 'object' && r !== null ? r : {}) as Record<string, unknown>;
      return { kind: String(record.kind), id: String(record.id) };
    });
    return { field: 'records', records };
  }
  return { field: 'entityId', records: [{ kind: String(entry.entityKind), id: String(entry.entityId) }] };
}

/** A kind an entry can name: one stored in a table of its own. */
function entityNamed(kind: string): EntityDef | undefined {
  if (!isEntityName(kind)) return undefined;
  const entity = getEntity(kind);
  return entity.storage === 'document' ? entity : undefined;
}

const keyOf = (kind: string, id: string) => `${kind}\u0000${id}`;

export function auditAuthorship(access: Access, gate: WriteGate): AuditAuthorship {
  if (access.kind === 'unrestricted') return UNCHECKED;
  const caller = access.userId;
  /** Records the entries name that exist, that the caller may not see and never wrote or owned. */
  const hidden = new Set<string>();

  return {
    async load(tx, entries) {
      const wanted = new Map<EntityDef, Set<string>>();
      for (const entry of entries) {
        for (const { kind, id } of namedBy(entry).records) {
          const entity = entityNamed(kind);
          if (entity === undefined) continue;
          const ids = wanted.get(entity) ?? new Set<string>();
          ids.add(id);
          wanted.set(entity, ids);
        }
      }
      const found: { entity: EntityDef; doc: Record<string, unknown> }[] = [];
      for (const [entity, ids] of wanted) {
        // Not locked: an entry describes a past write, and locking another collection's rows from
        // the audit push would make the two pushes wait for each other.
        const { rows } = await tx.query<{ doc: Record<string, unknown> }>(
          `SELECT row_to_json(t) AS doc FROM ${quoted(entity.table)} AS t WHERE t.id = ANY($1::text[])`,
          [[...ids]],
        );
        for (const row of rows) found.push({ entity, doc: rowToWireDoc(entity, row.doc) });
      }
      await gate.load(tx, found);
      const unseen = found.filter(({ entity, doc }) => !gate.mayRead(entity, doc));
      if (unseen.length === 0) return;
      // The server's own entries: one per write it made, its changes with the record's owner before and after.
      const { rows } = await tx.query<{ entity_id: string; entity_kind: string }>(
        `SELECT DISTINCT entity_id, entity_kind FROM audit_log
          WHERE source = 'server' AND entity_id = ANY($2::text[])
            AND (actor_id = $1 OR changes -> 'ownerId' @> jsonb_build_array($1::text))`,
        [caller, unseen.map(({ doc }) => String(doc.id))],
      );
      const written = new Set(rows.map((r) => keyOf(r.entity_kind, r.entity_id)));
      for (const { entity, doc } of unseen) {
        const key = keyOf(entity.name, String(doc.id));
        if (!written.has(key)) hidden.add(key);
      }
    },

    problemOf(entry) {
      for (const field of ['actorId', 'ownerId', 'createdBy'] as const) {
        if (entry[field] !== caller) {
          return { field, reason: `must be ${caller}, who sends it: a device adds entries about its own writes only` };
        }
      }
      if (entry.source !== 'local') {
        return { field: 'source', reason: "must be 'local': only the server writes its own entries" };
      }
      const { field, records } = namedBy(entry);
      for (const { kind, id } of records) {
        if (entityNamed(kind) === undefined) {
          return {
            field: field === 'records' ? field : 'entityKind',
            reason: `names ${kind}, which is no kind of record`,
          };
        }
        if (hidden.has(keyOf(kind, id))) {
          return { field, reason: `names ${kind} ${id}, which you may not see and never wrote or owned` };
        }
      }
      return undefined;
    },
  };
}
