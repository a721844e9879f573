import type { EntityDef } from '../../../src-shared/schema/define-entity';
import { indexNameOf, toSnakeCase } from '../../../src-shared/schema/to-postgres';
import type { Migration } from './migrate';
import { quoted } from './sync-schema';

/**
 * What this migration adds to the registry's tables, by entity: the indexes the list and 360 views
 * look records up by (issue 4: people at a company, a company's deals and subsidiaries, a record's
 * tasks, list filters, the lead inbox by score), and the leads' derived `scoreRank` column.
 * Written out here rather than read from the registry, so the statements never change once applied
 * (HOUSE-STYLE: append-only); `registryBefore` takes them out of the registry for the first migration.
 */
export const LIST_INDEXES_ADDED: RegistryAddition = {
  indexes: {
    contact: [
      ['companyId', 'isDeleted', 'newest'],
      ['lifecycleStage', 'isDeleted', 'newest'],
    ],
    deal: [
      ['companyId', 'isDeleted', 'newest'],
      ['contactId', 'isDeleted', 'newest'],
    ],
    company: [
      ['parentCompanyId', 'isDeleted', 'newest'],
      ['type', 'isDeleted', 'newest'],
    ],
    task: [
      ['subjectId', 'isDeleted', 'newest'],
      ['subjectId', 'status', 'isDeleted', 'newest'],
    ],
    lead: [
      ['status', 'isDeleted', 'scoreRank', 'newest'],
      ['isDeleted', 'scoreRank', 'newest'],
    ],
  },
  derived: { lead: ['scoreRank'] },
};

const TABLES: Record<string, string> = {
  contact: 'contacts',
  deal: 'deals',
  company: 'companies',
  task: 'tasks',
  lead: 'leads',
};

/** Registry fields and indexes a later migration adds to the tables the first one created. */
export interface RegistryAddition {
  indexes: Record<string, readonly (readonly string[])[]>;
  derived: Record<string, readonly string[]>;
}

/**
 * The registry as it was before these additions: the first migration derives its tables from it,
 * so its statements (and checksum) stay those it was applied with, and a database created today
 * reaches the same schema through the same steps as one created before.
 */
export function registryBefore(registry: readonly EntityDef[], additions: readonly RegistryAddition[]): EntityDef[] {
  return registry.map((entity) => {
    const indexes = new Set(additions.flatMap((a) => (a.indexes[entity.name] ?? []).map((i) => i.join('+'))));
    const derived = new Set(additions.flatMap((a) => a.derived[entity.name] ?? []));
    if (indexes.size === 0 && derived.size === 0) return entity;
    const { derived: _derived, ...rest } = entity;
    const keptDerived = Object.fromEntries(Object.entries(entity.derived ?? {}).filter(([n]) => !derived.has(n)));
    return {
      ...rest,
      ...(Object.keys(keptDerived).length > 0 ? { derived: keptDerived } : {}),
      ...(entity.indexes ? { indexes: entity.indexes.filter((i) => !indexes.has(i.join('+'))) } : {}),
      allFields: Object.fromEntries(Object.entries(entity.allFields).filter(([n]) => !derived.has(n))),
    };
  });
}

/**
 * `CREATE INDEX IF NOT EXISTS` of a registry index (its fields, camelCase) on `table`, named as
 * the registry's DDL names it (indexNameOf): the later index migrations write theirs with it too.
 */
export function createIndexStatement(table: string, fields: readonly string[]): string {
  const columns = fields.map(toSnakeCase);
  return `CREATE INDEX IF NOT EXISTS ${quoted(indexNameOf(table, columns))} ON ${quoted(table)} (${columns.map(quoted).join(', ')})`;
}

const createIndex = (entity: string, fields: readonly string[]) =>
  createIndexStatement(TABLES[entity] as string, fields);

/**
 * Adds the lookup indexes, and `leads.score_rank` (100 − score, as `leadEntity.derived.scoreRank`
 * computes it; the push recomputes it for every lead it writes) filled for the leads already there
 * before it becomes NOT NULL. Idempotent; all in the migration transaction, so a failure leaves
 * the database as it was. Existing rows are not restamped: devices fill the field themselves when
 * they migrate their local leads (collections.ts, leads v1), so there is nothing new to pull.
 */
export const listIndexesMigration: Migration = {
  id: '1796004409111_list_indexes',
  statements: () => [
    `ALTER TABLE "leads" ADD COLUMN IF NOT EXISTS "score_rank" integer`,
    `UPDATE "leads" SET "score_rank" = 100 - LEAST(100, GREATEST(0, "score")) WHERE "score_rank" IS NULL`,
    `ALTER TABLE "leads" ALTER COLUMN "score_rank" SET NOT NULL`,
    ...Object.entries(LIST_INDEXES_ADDED.indexes).flatMap(([entity, indexes]) =>
      indexes.map((fields) => createIndex(entity, fields)),
    ),
  ],
};
