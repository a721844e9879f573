import { parentRefOf } from '../../../src-shared/auth/parent-ref';
import type { Scope } from '../../../src-shared/auth/permissions';
import { getEntity } from '../../../src-shared/entities/registry';
import type { EntityDef } from '../../../src-shared/schema/define-entity';
import { toSnakeCase } from '../../../src-shared/schema/to-postgres';
import { quoted } from '../db/sync-schema';

/**
 * The SQL form of record-access.ts's scope rule, so that a pull filters BEFORE its LIMIT (a page
 * is never short because of rows the caller may not see, and no such row ever leaves the database).
 *
 * A record's effective owner is its `owner_id`, or for `parent`-owned entities the owner of the
 * record its parent reference points to. A child whose parent is not on the server (pushed before
 * its parent arrived) is scoped by its own `owner_id`, its creator: the push side uses the same
 * fallback, so whoever may push such a child may also pull it.
 *
 * Parameters: `$4` is the caller's user id ('own'), `$5` the caller and their team ('team'); `$7` and
 * `$6` the same for the scope a device had before its scope changed.
 */

export const OWN_PARAM = '$4::text';
export const TEAM_PARAM = '$5::text[]';
/** Whose records 'own' and 'team' cover: the caller's now, or those a device had before its scope changed (pull.ts). */
export interface ScopeParams {
  own: string;
  team: string;
}
export const CURRENT_SCOPE: ScopeParams = { own: OWN_PARAM, team: TEAM_PARAM };
export const FORMER_SCOPE: ScopeParams = { own: '$7::text', team: '$6::text[]' };

const col = (alias: string, field: string) => `${alias}.${quoted(toSnakeCase(field))}`;

function parentOwner(parent: EntityDef, alias: string, idField: string): string {
  return `(SELECT p.owner_id FROM ${quoted(parent.table)} AS p WHERE p.id = ${col(alias, idField)})`;
}

/** SQL for the effective owner of the row `alias` of `entity`. */
export function ownerSql(entity: EntityDef, alias: string): string {
  const ref = parentRefOf(entity);
  if (ref === undefined) return `${alias}.owner_id`;
  if (ref.typeField === undefined) {
    return `COALESCE(${parentOwner(getEntity(ref.kinds[0] ?? ''), alias, ref.field)}, ${alias}.owner_id)`;
  }
  const typeField = ref.typeField;
  const cases = ref.kinds.map((kind) => `WHEN '${kind}' THEN ${parentOwner(getEntity(kind), alias, ref.field)}`);
  return `COALESCE(CASE ${col(alias, typeField)} ${cases.join(' ')} END, ${alias}.owner_id)`;
}

/** A condition true for the rows of `entity` (as `alias`) within `scope`; 'all' gives undefined (no condition). */
export function scopeSql(
  entity: EntityDef,
  alias: string,
  scope: Scope,
  params: ScopeParams = CURRENT_SCOPE,
): string | undefined {
  switch (scope) {
    case 'all':
      return undefined;
    case 'none':
      return 'false';
    case 'own':
      return `${ownerSql(entity, alias)} = ${params.own}`;
    case 'team':
      return `${ownerSql(entity, alias)} = ANY(${params.team})`;
  }
}

/** The owners a 'own' or 'team' scope covers, as the eviction rows name them. */
export function formerOwnerSql(scope: 'own' | 'team', alias: string): string {
  return scope === 'own' ? `${alias}.former_owner_id = ${OWN_PARAM}` : `${alias}.former_owner_id = ANY(${TEAM_PARAM})`;
}
