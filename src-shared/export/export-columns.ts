import type { ExportFileColumn, ExportFileFormat } from '../ipc/contract';
import type { EntityDef } from '../schema/define-entity';
import type { FieldSpec } from '../schema/field';
import type { CustomFieldDef } from '../schema/validate';

/** The file formats a list or report exports to. */
export const EXPORT_FORMATS = ['csv', 'xlsx', 'pdf', 'json'] as const satisfies readonly ExportFileFormat[];
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const FORMAT_LABELS: Readonly<Record<ExportFormat, string>> = {
  csv: 'CSV',
  xlsx: 'Excel (XLSX)',
  pdf: 'PDF',
  json: 'JSON',
};

export function isExportFormat(value: unknown): value is ExportFormat {
  return typeof value === 'string' && (EXPORT_FORMATS as readonly string[]).includes(value);
}

/**
 * How a column's cells are typed in the file: XLSX stores numbers, dates and money as such (with a
 * currency number format), CSV and JSON keep them machine-readable, PDF prints them for people.
 */
export const EXPORT_COLUMN_TYPES = [
  'text',
  'number',
  'money',
  'date',
  'datetime',
  'boolean',
] as const satisfies readonly ExportFileColumn['type'][];
export type ExportColumnType = (typeof EXPORT_COLUMN_TYPES)[number];

/** A column of the file (the IPC contract's plain type: it crosses to the main process). */
export type ExportColumn = ExportFileColumn;

/** A request the export cannot serve, naming the field or argument and why. */
export class ExportError extends Error {
  override readonly name = 'ExportError';
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field} ${reason}`);
  }
}

const TYPE_OF: Readonly<Record<FieldSpec['type'], ExportColumnType>> = {
  string: 'text',
  text: 'text',
  email: 'text',
  url: 'text',
  phone: 'text',
  enum: 'text',
  ref: 'text',
  currency: 'text',
  tags: 'text',
  json: 'text',
  integer: 'number',
  number: 'number',
  percent: 'number',
  money: 'money',
  boolean: 'boolean',
  date: 'date',
  datetime: 'datetime',
};

export function exportTypeOf(field: FieldSpec): ExportColumnType {
  return TYPE_OF[field.type];
}

/** Where a column's value comes from: a declared or base field, or a custom field's definition. */
export interface ColumnSource {
  readonly column: ExportColumn;
  readonly field: FieldSpec;
  /** The record's field the cells are read from, when not the column's key (a reference's id column). */
  readonly from?: string;
}

/**
 * A reference column (`companyId`, a note's `subjectId`) exports the record's name, for people;
 * `<field>.id` adds a column with the id itself, for systems and re-import.
 */
export const ID_COLUMN_SUFFIX = '.id';

export const CUSTOM_PREFIX = 'customFields.';

function customSpec(def: CustomFieldDef): FieldSpec {
  const type = (def.fieldType in TYPE_OF ? def.fieldType : 'string') as FieldSpec['type'];
  return { type, label: def.label, ...(def.options ? { values: def.options } : {}) };
}

/**
 * The export's columns for the fields on screen, in their order: declared fields by the registry's
 * types and labels, custom fields (`customFields.<key>`) by their definitions. A name that is not a
 * field of the entity, or an inactive custom field, is refused (ExportError naming it).
 */
export function exportColumnsFor(
  entity: EntityDef,
  fieldNames: readonly string[],
  customDefs: readonly CustomFieldDef[] = [],
): ColumnSource[] {
  if (fieldNames.length === 0) throw new ExportError('columns', 'must name at least one field');
  const seen = new Set<string>();
  return fieldNames.map((name) => {
    if (seen.has(name)) throw new ExportError(`columns.${name}`, 'is given twice');
    seen.add(name);
    if (name.startsWith(CUSTOM_PREFIX)) {
      const key = name.slice(CUSTOM_PREFIX.length);
      const def = customDefs.find((d) => d.key === key && d.active);
      if (!def) throw new ExportError(`columns.${name}`, `is not a custom field of ${entity.label}`);
      const field = customSpec(def);
      return { column: { key: name, header: def.label, type: exportTypeOf(field) }, field };
    }
    const idOf = name.endsWith(ID_COLUMN_SUFFIX) ? name.slice(0, -ID_COLUMN_SUFFIX.length) : undefined;
    const ref = idOf !== undefined && Object.hasOwn(entity.allFields, idOf) ? entity.allFields[idOf] : undefined;
    if (ref?.type === 'ref') {
      const header = `${idOf === 'ownerId' ? 'Owner' : (ref.label ?? idOf)} id`;
      return { column: { key: name, header, type: 'text' }, field: { type: 'string', label: header }, from: idOf };
    }
    const field = Object.hasOwn(entity.allFields, name) ? entity.allFields[name] : undefined;
    if (!field) throw new ExportError(`columns.${name}`, `is not a field of ${entity.label}`);
    const header = name === 'ownerId' ? 'Owner' : (field.label ?? name);
    return { column: { key: name, header, type: exportTypeOf(field) }, field };
  });
}

/** Characters of the title kept in a file name: 60 CJK characters are 180 bytes of the 255 allowed. */
const FILE_NAME_TITLE_MAX = 60;

/**
 * A file name for the export: the title in lower-case words (letters and digits of any script, so
 * "Clientes España" keeps its ñ and a Chinese list name its characters), the date, the extension.
 */
export function exportFileName(title: string, format: ExportFormat, now: Date): string {
  const words = title
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, '-')
    .replace(/^-|-$/g, '');
  const base = [...words].slice(0, FILE_NAME_TITLE_MAX).join('').replace(/-$/, '') || 'export';
  return `${base}-${now.toISOString().slice(0, 10)}.${format}`;
}
