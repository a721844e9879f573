import type { EntityDef } from '../schema/define-entity';
import type { FieldSpec } from '../schema/field';
import type { CustomFieldDef } from '../schema/validate';
import { type ConvertOptions, convertValue } from './convert-value';
import { customFieldSpec, customKeyOf } from './custom-columns';
import { dedupeKeys } from './dedupe-keys';
import { completeVendorValues, VENDOR_ENUM_ALIASES } from './vendor-presets';

/**
 * The import plan: what each row of a file becomes — create, update (an existing record with the
 * same dedupe key), skip (a duplicate the user chose not to update, a repeat within the file, an
 * empty row) or error — with the values as they will be stored. Pure: the caller supplies the
 * existing records' keys and a lookup for references, so it runs on any device and in tests.
 *
 * Rows are numbered as a spreadsheet shows them: the header is row 1, the first data row is row 2.
 */

export interface ImportTable {
  readonly headers: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

export type RowAction = 'create' | 'update' | 'skip' | 'error';

export interface RowProblem {
  /** Spreadsheet row number (header = 1). */
  readonly row: number;
  /** The column header the problem is in ('' when it concerns the whole row). */
  readonly column: string;
  readonly field?: string;
  readonly problem: string;
}

export interface PlannedRow {
  readonly row: number;
  action: RowAction;
  /** Field → stored value, from the mapped non-empty cells (plus defaults on create). */
  readonly values: Record<string, unknown>;
  readonly existingId?: string;
  /** Why a row is skipped. */
  readonly reason?: string;
  readonly problems: RowProblem[];
}

export interface PlanOptions extends ConvertOptions {
  readonly entity: EntityDef;
  /** Field per column index (undefined/'' = not imported). */
  readonly mapping: readonly (string | undefined)[];
  /** What a row whose key matches an existing record does. */
  readonly onDuplicate: 'update' | 'skip';
  /** Dedupe key → existing record id (see indexExisting). */
  readonly existing: ReadonlyMap<string, string>;
  /** Id of the record a ref column's text names (by id, name or domain), or undefined. */
  readonly resolveRef?: (entity: string, text: string) => string | undefined;
  /** Values every created row gets unless its file gives one (e.g. source: 'import'). */
  readonly defaults?: Readonly<Record<string, unknown>>;
  /** Definitions of the entity's custom fields, for columns mapped to `customFields.<key>`. */
  readonly customFields?: readonly CustomFieldDef[];
}

export interface ImportPlan {
  readonly rows: PlannedRow[];
  readonly counts: Record<RowAction, number>;
}

/** The column header a field was read from, for naming problems found later (validation). */
export function columnOf(headers: readonly string[], mapping: readonly (string | undefined)[], field: string): string {
  const index = mapping.indexOf(field);
  return index < 0 ? '' : (headers[index] ?? '');
}

function currencyOf(entity: EntityDef, spec: FieldSpec, values: Record<string, unknown>, options: PlanOptions) {
  const field = spec.currencyField ?? 'currency';
  const value = values[field] ?? options.defaults?.[field] ?? entity.fields[field]?.default;
  return typeof value === 'string' ? value : 'USD';
}

type MappedColumn = { field: string; column: number };
const columnOrder = new WeakMap<PlanOptions, MappedColumn[]>();

/** The mapped columns, currency fields first: money in the same row is converted in that row's currency. */
function mappedColumns(options: PlanOptions): MappedColumn[] {
  const { entity, mapping } = options;
  const isCurrency = (c: MappedColumn) => Number(entity.fields[c.field]?.type === 'currency');
  const order = mapping
    .map((field, column) => ({ field, column }))
    .filter((c): c is MappedColumn => typeof c.field === 'string' && c.field.length > 0)
    .sort((a, b) => isCurrency(b) - isCurrency(a));
  columnOrder.set(options, order);
  return order;
}

/** Converts one row's mapped cells; problems name the row and column. */
export function convertRow(table: ImportTable, index: number, options: PlanOptions): PlannedRow {
  const { entity } = options;
  const row = index + 2;
  const cells = table.rows[index] ?? [];
  const values: Record<string, unknown> = {};
  const problems: RowProblem[] = [];
  const order = columnOrder.get(options) ?? mappedColumns(options);
  for (const { field, column } of order) {
    const raw = cells[column] ?? '';
    if (raw.trim().length === 0) continue;
    const header = table.headers[column] ?? '';
    const customKey = customKeyOf(field);
    if (customKey !== undefined) {
      convertCustom(options, customKey, raw, values, (problem) =>
        problems.push({ row, column: header, field, problem }),
      );
      continue;
    }
    // The owner is the one base field a file may give (a user's email or name, resolved as a ref).
    const spec = field === 'ownerId' ? entity.allFields.ownerId : entity.fields[field];
    if (!spec) {
      problems.push({
        row,
        column: header,
        field,
        problem: `is mapped to "${field}", which ${entity.label} does not have`,
      });
      continue;
    }
    if (spec.type === 'ref') {
      const id = options.resolveRef?.(spec.ref ?? '', raw);
      if (id === undefined)
        problems.push({ row, column: header, field, problem: `no ${spec.ref} "${raw.trim()}" found` });
      else values[field] = id;
      continue;
    }
    const vendor = spec.type === 'enum' ? VENDOR_ENUM_ALIASES[field] : undefined;
    const converted = convertValue(spec, raw, {
      ...options,
      currency: currencyOf(entity, spec, values, options),
      ...(vendor ? { enumAliases: options.enumAliases ? { ...vendor, ...options.enumAliases } : vendor } : {}),
    });
    if (converted.ok) values[field] = converted.value;
    else problems.push({ row, column: header, field, problem: converted.problem });
  }
  completeVendorValues(entity.name, values);
  // Money read in the default currency says so, as the record requires a currency beside an amount.
  for (const { field } of order) {
    const spec = entity.fields[field];
    const currencyField = spec?.type === 'money' ? (spec.currencyField ?? 'currency') : undefined;
    if (currencyField && values[field] !== undefined && values[currencyField] === undefined)
      values[currencyField] = currencyOf(entity, spec as FieldSpec, values, options);
  }
  const isEmpty = cells.every((c) => c.trim().length === 0);
  return {
    row,
    action: problems.length > 0 ? 'error' : isEmpty ? 'skip' : 'create',
    values,
    problems,
    ...(isEmpty ? { reason: 'empty row' } : {}),
  };
}

function convertCustom(
  options: PlanOptions,
  key: string,
  raw: string,
  values: Record<string, unknown>,
  report: (problem: string) => void,
): void {
  const def = options.customFields?.find((d) => d.key === key && d.active);
  if (!def) {
    report(`is mapped to custom field "${key}", which ${options.entity.label} does not have`);
    return;
  }
  const converted = convertValue(customFieldSpec(def), raw, options);
  if (!converted.ok) {
    report(converted.problem);
    return;
  }
  const custom = (values.customFields ?? {}) as Record<string, unknown>;
  custom[key] = converted.value;
  values.customFields = custom;
}

/** Every row's action and values, with duplicates found against existing records and earlier rows. */
export function planImport(table: ImportTable, options: PlanOptions): ImportPlan {
  const seenInFile = new Map<string, number>();
  const rows: PlannedRow[] = [];
  const counts: Record<RowAction, number> = { create: 0, update: 0, skip: 0, error: 0 };
  for (let i = 0; i < table.rows.length; i++) {
    const planned = decide(convertRow(table, i, options), options, seenInFile);
    counts[planned.action] += 1;
    rows.push(planned);
  }
  return { rows, counts };
}

function decide(planned: PlannedRow, options: PlanOptions, seenInFile: Map<string, number>): PlannedRow {
  if (planned.action !== 'create') return planned;
  const keys = dedupeKeys(options.entity.name, planned.values);
  const earlier = keys.map((k) => seenInFile.get(k)).find((r) => r !== undefined);
  for (const key of keys) if (!seenInFile.has(key)) seenInFile.set(key, planned.row);
  if (earlier !== undefined) return { ...planned, action: 'skip', reason: `duplicate of row ${earlier}` };
  const existingId = keys.map((k) => options.existing.get(k)).find((id) => id !== undefined);
  if (existingId !== undefined) {
    return options.onDuplicate === 'update'
      ? { ...planned, action: 'update', existingId }
      : { ...planned, action: 'skip', existingId, reason: 'already exists' };
  }
  return { ...planned, values: { ...options.defaults, ...planned.values } };
}
