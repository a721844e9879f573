import type { EntityDef } from '../../../src-shared/schema/define-entity';
import { toSnakeCase } from '../../../src-shared/schema/to-postgres';

/** What a required personal field reads once anonymised; optional ones are cleared. */
export const ANONYMISED = 'Anonymised';

/** The entity's personal fields (`pii` in the registry). */
export function personalFields(entity: EntityDef): string[] {
  return Object.entries(entity.fields)
    .filter(([, field]) => field.pii === true)
    .map(([name]) => name);
}

/** The document with its personal values gone: optional fields removed, required ones a placeholder. */
export function withoutPersonalData(entity: EntityDef, doc: Readonly<Record<string, unknown>>) {
  const next: Record<string, unknown> = { ...doc };
  for (const name of personalFields(entity)) {
    const field = entity.fields[name];
    if (!field?.required) delete next[name];
    else next[name] = field.type === 'tags' ? [] : ANONYMISED;
  }
  return next;
}

/** SQL true for rows that still hold a personal value, so a second run finds nothing to anonymise. */
export function holdsPersonalDataSql(entity: EntityDef, alias: string): string {
  const columns = personalFields(entity).map((name) => {
    const column = `${alias}."${toSnakeCase(name)}"`;
    const field = entity.fields[name];
    if (!field?.required) return `${column} IS NOT NULL`;
    return field.type === 'tags' ? `${column} <> '{}'` : `${column}::text <> '${ANONYMISED}'`;
  });
  return columns.length === 0 ? 'false' : `(${columns.join(' OR ')})`;
}
