import type { EntityDef } from './define-entity';

/** How a record is named in lists and references: its display fields, joined. */
export function displayName(entity: EntityDef, record: Readonly<Record<string, unknown>>): string {
  const parts = entity.display.map((field) => record[field]).filter((v) => v !== undefined && v !== null && v !== '');
  return parts.length > 0 ? parts.map(String).join(' ') : String(record.id);
}
