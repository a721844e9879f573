import { parentOf } from '../../../src-shared/auth/parent-ref';
import { type Decision, mayRead, mayWrite, type RecordState } from '../../../src-shared/auth/record-access';
import { getEntity } from '../../../src-shared/entities/registry';
import type { EntityDef } from '../../../src-shared/schema/define-entity';
import type { Access } from '../auth/access';
import { withConsentCheck } from '../consent/consent-gate';
import type { Queryable } from '../db/database';
import { quoted } from '../db/sync-schema';
import { withRemovalGuard } from '../retention/removal-guard';
import { selectForUpdate } from './row-writer';

/**
 * The push side of record scope (DESIGN.md §6): whether the caller may write a document over the
 * server's current state, decided per document with record-access.ts's rules, so a batch is
 * accepted but for the documents refused, each with a reason.
 *
 * A `parent`-owned record is scoped by its parent's owner, looked up here in one query per parent
 * table per batch. A child whose parent is not on the server is scoped by its own `ownerId` (its
 * creator), as pulls do (scope-sql.ts): children pushed before their parent are not refused for it.
 */

export interface WriteGate {
  /** Looks up the owners of the parents the documents point to; call before deciding on them. */
  load(tx: Queryable, docs: readonly { entity: EntityDef; doc: Readonly<Record<string, unknown>> }[]): Promise<void>;
  /** Whether the caller may write `after` over `before` (undefined: no row, a create). */
  mayWrite(
    entity: EntityDef,
    before: Readonly<Record<string, unknown>> | undefined,
    after: Readonly<Record<string, unknown>>,
  ): Decision;
  /** Whether the caller may see `doc` (a conflict answer carries it). */
  mayRead(entity: EntityDef, doc: Readonly<Record<string, unknown>>): boolean;
}

const ALLOWED: Decision = Object.freeze({ allowed: true });

const UNRESTRICTED: WriteGate = {
  load: async () => {},
  mayWrite: () => ALLOWED,
  mayRead: () => true,
};

const keyOf = (kind: string, id: string) => `${kind}\u0000${id}`;

/**
 * The gate of one request's caller: its scope, and for signed-in users (administrators too) the
 * consent rule for communications and no personal data written into a removed record. The
 * unrestricted seam (tests, seeding; never a token) has none of them.
 */
export function writeGate(access: Access): WriteGate {
  if (access.kind === 'unrestricted') return UNRESTRICTED;
  return withRemovalGuard(withConsentCheck(scopeGate(access)));
}

function scopeGate(access: Exclude<Access, { kind: 'unrestricted' }>): WriteGate {
  const parentOwners = new Map<string, string>();

  function stateOf(entity: EntityDef, doc: Readonly<Record<string, unknown>>): RecordState {
    const ownerId = typeof doc.ownerId === 'string' ? doc.ownerId : undefined;
    const parent = parentOf(entity, doc);
    const parentOwnerId =
      entity.owner !== 'parent' ? undefined : ((parent && parentOwners.get(keyOf(parent.kind, parent.id))) ?? ownerId);
    return { ownerId, parentOwnerId, isDeleted: doc.isDeleted === true, removed: doc._deleted === true };
  }

  return {
    async load(tx, docs) {
      const wanted = new Map<string, Set<string>>();
      for (const { entity, doc } of docs) {
        const parent = parentOf(entity, doc);
        if (parent === undefined || parentOwners.has(keyOf(parent.kind, parent.id))) continue;
        const ids = wanted.get(parent.kind) ?? new Set<string>();
        ids.add(parent.id);
        wanted.set(parent.kind, ids);
      }
      for (const [kind, ids] of wanted) {
        const { rows } = await tx.query<{ id: string; owner_id: string }>(
          `SELECT id, owner_id FROM ${quoted(getEntity(kind).table)} WHERE id = ANY($1::text[])`,
          [[...ids]],
        );
        for (const row of rows) parentOwners.set(keyOf(kind, row.id), row.owner_id);
      }
    },
    mayWrite(entity, before, after) {
      const scope = mayWrite(
        access.permissions,
        entity,
        access.actor,
        before === undefined ? undefined : stateOf(entity, before),
        stateOf(entity, after),
      );
      return scope.allowed ? (authorshipProblem(before, after) ?? scope) : scope;
    },
    mayRead(entity, doc) {
      return mayRead(access.permissions, entity, access.actor, stateOf(entity, doc)).allowed;
    },
  };
}

/**
 * A new record's author is the caller, whatever the device sent (issue 7): for a signed-in user
 * (administrators too) a create's `createdBy` is set to them. Overridden rather than refused: an
 * honest device sends the caller anyway, and one that does not (records made offline before the
 * first sign-in, or under an account since switched) would otherwise have every such record set
 * aside for a field its user cannot edit; the value was never trusted, so nothing is lost, and the
 * device takes the server's row at its next pull. The unrestricted seam (tests, seeding, never a
 * token) keeps what it sends, so fixtures can write records authored by others.
 */
export function authoredByCaller<T extends { doc: Record<string, unknown> }>(
  access: Access,
  item: T,
  exists: boolean,
): T {
  if (access.kind === 'unrestricted' || exists || item.doc.createdBy === access.userId) return item;
  return { ...item, doc: { ...item.doc, createdBy: access.userId } };
}

/** Who created a record is the server's to keep, not the device's to rewrite: an update keeps the author the record has. */
function authorshipProblem(
  before: Readonly<Record<string, unknown>> | undefined,
  after: Readonly<Record<string, unknown>>,
): Decision | undefined {
  if (before === undefined || after.createdBy === before.createdBy) return undefined;
  return {
    allowed: false,
    field: 'createdBy',
    reason: `must stay ${String(before.createdBy)}: a record's author never changes`,
  };
}

/**
 * Why an id another kind holds is refused: naming that kind only to a caller who may see the record,
 * so that an id of another team's record says no more than that it is taken.
 */
export async function heldByReason(tx: Queryable, gate: WriteGate, kind: string, id: string): Promise<string> {
  const entity = getEntity(kind);
  const held = await selectForUpdate(tx, entity, id);
  if (held === undefined) return `id ${id} is taken`;
  await gate.load(tx, [{ entity, doc: held }]);
  return gate.mayRead(entity, held) ? `record ${id} is a ${kind}; a record's kind never changes` : `id ${id} is taken`;
}
