import { parentRefOf } from '../../../src-shared/auth/parent-ref';
import { ENTITIES } from '../../../src-shared/entities/registry';
import type { EntityDef } from '../../../src-shared/schema/define-entity';
import { indexNameOf, toSnakeCase } from '../../../src-shared/schema/to-postgres';
import type { Migration } from './migrate';
import { quoted } from './sync-schema';

/**
 * Record scope on the server (DESIGN.md §6), generated from the registry:
 * - an index `(owner_id, sync_txid, id)` on every table scoped by its own owner, so a rep's pull is
 *   one index range however large the table;
 * - `sync_evictions`: when a record is reassigned, what its former owner's devices must drop. A
 *   trigger on each `assigned` table writes, in the reassigning transaction (so stamped with its
 *   txid), the record as it was and its current children (records scoped by it: a deal's products
 *   and stage history, a lead's activities...) under the former owner; a pull in the former
 *   owner's scope serves them as removals. The trigger also restamps the children so that the new
 *   owner's devices, already past their stamps, pull them now.
 * A trigger rather than code in the push path: every writer (push, admin SQL, future API, retention)
 * reassigns through the same table. Eviction rows hold personal data: erasure and retention must
 * reach them too (the trust issue).
 */

const ownScoped = (e: EntityDef) => e.storage === 'document' && e.owner !== 'parent' && e.owner !== 'admin';

function childrenOf(parent: EntityDef): { child: EntityDef; where: string }[] {
  const found: { child: EntityDef; where: string }[] = [];
  for (const child of ENTITIES) {
    const ref = parentRefOf(child);
    if (ref === undefined || !ref.kinds.includes(parent.name)) continue;
    const id = `c.${quoted(toSnakeCase(ref.field))} = NEW.id`;
    const where =
      ref.typeField === undefined ? id : `${id} AND c.${quoted(toSnakeCase(ref.typeField))} = '${parent.name}'`;
    found.push({ child, where });
  }
  return found;
}

function evictionTrigger(entity: EntityDef): string[] {
  const table = quoted(entity.table);
  const fn = `sync_evict_${entity.table}`;
  const children = childrenOf(entity).flatMap(({ child, where }) => [
    `  INSERT INTO sync_evictions (kind, record_id, former_owner_id, doc)
    SELECT '${child.name}', c.id, OLD.owner_id, to_jsonb(c) FROM ${quoted(child.table)} AS c
     WHERE ${where} AND NOT c.sync_removed;`,
    `  UPDATE ${quoted(child.table)} AS c SET sync_txid = pg_current_xact_id() WHERE ${where};`,
  ]);
  return [
    `CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO sync_evictions (kind, record_id, former_owner_id, doc)
    VALUES ('${entity.name}', OLD.id, OLD.owner_id, to_jsonb(OLD));
${children.join('\n')}
  RETURN NULL;
END
$$`,
    `CREATE OR REPLACE TRIGGER ${fn} AFTER UPDATE OF owner_id ON ${table}
   FOR EACH ROW WHEN (OLD.owner_id IS DISTINCT FROM NEW.owner_id) EXECUTE FUNCTION ${fn}()`,
  ];
}

export const recordScopeMigration: Migration = {
  id: '1795990754587_record_scope',
  statements: () => [
    ...ENTITIES.filter(ownScoped).map(
      (e) =>
        `CREATE INDEX IF NOT EXISTS ${quoted(indexNameOf(e.table, ['owner_id', 'sync_txid', 'id']))} ON ${quoted(e.table)} (owner_id, sync_txid, id)`,
    ),
    `CREATE TABLE IF NOT EXISTS sync_evictions (
  eid bigserial PRIMARY KEY,
  kind text NOT NULL,
  record_id text NOT NULL,
  former_owner_id text NOT NULL,
  doc jsonb NOT NULL,
  sync_txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  created_at timestamptz NOT NULL DEFAULT now()
)`,
    'CREATE INDEX IF NOT EXISTS sync_evictions_cursor ON sync_evictions (kind, former_owner_id, sync_txid, record_id)',
    `COMMENT ON TABLE sync_evictions IS 'Records that left an owner''s scope by reassignment, served to that owner''s devices as removals.'`,
    ...ENTITIES.filter((e) => e.storage === 'document' && e.owner === 'assigned').flatMap(evictionTrigger),
  ],
};
