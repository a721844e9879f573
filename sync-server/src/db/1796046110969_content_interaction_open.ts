import { contentInteractionEntity } from '../../../src-shared/entities/content.entity';
import type { EntityDef } from '../../../src-shared/schema/define-entity';
import type { FieldSpec } from '../../../src-shared/schema/field';
import type { Migration } from './migrate';

/**
 * ContentInteraction v1 adds the interaction type 'open' (the tracking pixel of an email carrying
 * the content: sync-server/src/integrations/tracking.routes.ts). The type column's CHECK comes from
 * the registry, so the first migration would now write it with 'open' and its checksum would drift:
 * `withoutAddedTypes` gives it the registry as it was, and this migration replaces the CHECK on
 * databases old and new alike (Postgres names an inline column check `<table>_<column>_check`).
 */

const ADDED: readonly string[] = ['open'];
const TABLE = contentInteractionEntity.table;

/** The registry with the interaction types this migration adds taken out, for the first migration. */
export function withoutAddedTypes(registry: readonly EntityDef[]): EntityDef[] {
  return registry.map((entity) => {
    if (entity.name !== contentInteractionEntity.name) return entity;
    const type = entity.allFields.type as FieldSpec;
    const before: FieldSpec = { ...type, values: (type.values ?? []).filter((v) => !ADDED.includes(v)) };
    return { ...entity, fields: { ...entity.fields, type: before }, allFields: { ...entity.allFields, type: before } };
  });
}

const values = () =>
  (contentInteractionEntity.fields.type.values ?? []).map((v) => `'${v.replaceAll("'", "''")}'`).join(', ');

export const contentInteractionOpenMigration: Migration = {
  id: '1796046110969_content_interaction_open',
  statements: () => [
    `ALTER TABLE "${TABLE}" DROP CONSTRAINT IF EXISTS "${TABLE}_type_check"`,
    `ALTER TABLE "${TABLE}" ADD CONSTRAINT "${TABLE}_type_check" CHECK ("type" IN (${values()}))`,
  ],
};
