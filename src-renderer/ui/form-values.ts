import { type EntityDef, type EntityRule, type FieldProblem, withDerived } from '../../src-shared/schema/define-entity';
import type { FieldSpec } from '../../src-shared/schema/field';
import { type CustomFieldDef, validateRecord } from '../../src-shared/schema/validate';

/**
 * A number as typed: digits in groups of three (one separator throughout) or not grouped, then a
 * decimal part after the other mark ("1,234.56", "1.234,56", "12,50", "12,500", ".5"). Anything else
 * ("12,5k", stray marks) is refused rather than read as another number: dropping every comma had
 * stored an amount of 1.234,56 as 1.23 and 12,50 as 1,250.
 */
const DECIMAL_TEXT =
  /^(-?)(?:(?<grouped>[1-9]\d{0,2}(?<sep>[.,\s'’])\d{3}(?:\k<sep>\d{3})*)|(?<plain>\d*))(?:(?<mark>[.,])(?<fraction>\d+))?$/u;

let defaultDecimalMark: string | undefined;

/** The decimal mark of the user's locale ("." in en, "," in de), as a spreadsheet reads numbers. */
export function localeDecimalMark(locale?: string): string {
  // The default locale's is asked for on every number input's render: one NumberFormat, not one each.
  if (locale === undefined && defaultDecimalMark !== undefined) return defaultDecimalMark;
  const mark = new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
  if (locale === undefined) defaultDecimalMark = mark;
  return mark;
}

/**
 * The number in `text` (see DECIMAL_TEXT), or undefined when it is not one. One mark followed by
 * exactly three digits ("1.085", "12,500") could be either; it is read with `decimalMark`, the
 * locale's, as a spreadsheet does: in English "1.085" is an exchange rate of 1.085 and "12,500"
 * twelve thousand five hundred, in German the other way round. (Reading it always as grouping
 * stored an en rate of 1.085 as 1,085.)
 */
export function parseDecimal(text: string, decimalMark = localeDecimalMark()): number | undefined {
  const match = DECIMAL_TEXT.exec(text.trim());
  const groups = match?.groups;
  if (!match || !groups || (groups.sep !== undefined && groups.sep === groups.mark)) return undefined;
  if (groups.plain === '' && groups.fraction === undefined) return undefined;
  const grouped = groups.grouped;
  if (grouped !== undefined && groups.mark === undefined && groups.sep === decimalMark) {
    const [whole, fraction, ...more] = grouped.split(decimalMark);
    if (more.length === 0) return Number(`${match[1]}${whole}.${fraction}`);
  }
  const whole = grouped?.replace(/\D/g, '') ?? groups.plain ?? '0';
  return Number(`${match[1]}${whole}.${groups.fraction ?? '0'}`);
}

/** A number as an input shows it: the locale's decimal mark, no grouping, read back as it was by `parseDecimal`. */
export function numberText(n: number, decimalMark = localeDecimalMark()): string {
  return String(n).replace('.', decimalMark);
}

/** Decimal places of a currency's minor unit (JPY 0, USD 2, KWD 3); 2 for codes Intl does not know. */
export function currencyDigits(currency: string | undefined): number {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency: currency || 'USD' }).resolvedOptions()
        .maximumFractionDigits ?? 2
    );
  } catch {
    return 2;
  }
}

/**
 * What an input shows for a stored value (money in major units, datetimes in local time). Numbers
 * carry the locale's decimal mark and no grouping, so that `fromInputText` reads them back as they
 * were: in German a rate of 1.085 shown as "1.085" would come back as 1,085.
 */
export function toInputText(
  field: FieldSpec,
  value: unknown,
  record: Record<string, unknown>,
  decimalMark = localeDecimalMark(),
): string {
  if (value === undefined || value === null) return '';
  switch (field.type) {
    case 'money': {
      const digits = currencyDigits(record[field.currencyField ?? ''] as string | undefined);
      return (Number(value) / 10 ** digits).toFixed(digits).replace('.', decimalMark);
    }
    case 'integer':
    case 'number':
    case 'percent':
      return numberText(Number(value), decimalMark);
    case 'datetime': {
      const date = new Date(String(value));
      if (Number.isNaN(date.getTime())) return '';
      const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
      return local.toISOString().slice(0, 16);
    }
    case 'tags':
      return Array.isArray(value) ? value.join(', ') : '';
    case 'json':
      return JSON.stringify(value, null, 2);
    case 'boolean':
      return value ? 'true' : '';
    default:
      return String(value);
  }
}

/**
 * What a date input holds when the browser cannot read what was typed into it (31/02/2026, a
 * year half typed): its value is then "", the same as an emptied input, and the form must not
 * take it for one (FieldInput).
 */
export const UNREADABLE_DATE = '\u0000unreadable date';

/** 28 February 2026 as the user's locale writes a date (28/02/2026 in en-GB, 2/28/2026 in en-US). */
function dateExample(locale?: string): string {
  return new Intl.DateTimeFormat(locale).format(new Date(2026, 1, 28));
}

/** Why an input of this type (date, datetime-local, time) holds no value the browser could read, with an example in the locale. */
export function unreadableProblem(inputType: string, locale?: string): string {
  if (inputType === 'time') return 'must be a real time, e.g. 09:30';
  if (inputType === 'datetime-local') return `must be a real date and time, e.g. ${dateExample(locale)} 09:30`;
  return `must be a real date, e.g. ${dateExample(locale)}`;
}

export interface ParsedInput {
  /** The stored value; undefined clears the field. */
  value?: unknown;
  /** Why the text is not a value of this field, said to the user next to the input. */
  problem?: string;
}

/**
 * The stored value for what the user typed. Only conversion problems are found here (text in a
 * number field, broken JSON); the rules of the registry are checked by the repository on save.
 */
export function fromInputText(
  field: FieldSpec,
  text: string,
  values: Record<string, unknown>,
  decimalMark = localeDecimalMark(),
): ParsedInput {
  const trimmed = text.trim();
  if (field.type === 'boolean') return { value: trimmed === 'true' };
  if (trimmed === '') return {};
  switch (field.type) {
    case 'integer':
    case 'number':
    case 'percent': {
      const n = parseDecimal(trimmed, decimalMark);
      if (n === undefined) return { problem: 'must be a number' };
      if (field.type === 'integer' && !Number.isInteger(n)) return { problem: 'must be a whole number' };
      return { value: n };
    }
    case 'money': {
      const digits = currencyDigits(values[field.currencyField ?? ''] as string | undefined);
      const n = parseDecimal(trimmed.replace(/^\p{Sc}\s*/u, ''), decimalMark);
      if (n === undefined) return { problem: 'must be an amount, e.g. 1250.50' };
      return { value: Math.round(n * 10 ** digits) };
    }
    case 'date':
      return text === UNREADABLE_DATE ? { problem: unreadableProblem('date') } : { value: trimmed };
    case 'datetime': {
      const date = new Date(trimmed);
      if (text === UNREADABLE_DATE || Number.isNaN(date.getTime()))
        return { problem: unreadableProblem('datetime-local') };
      return { value: date.toISOString() };
    }
    case 'currency':
      return { value: trimmed.toUpperCase() };
    case 'tags':
      return {
        value: trimmed
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean),
      };
    case 'json':
      try {
        return { value: JSON.parse(trimmed) };
      } catch {
        return { problem: 'must be valid JSON' };
      }
    default:
      return { value: field.type === 'text' ? text : trimmed };
  }
}

/** Stand-ins for what the repository stamps on a record (entity-repository.ts build), so the registry judges the form's fields. */
const STAMPED = {
  id: 'form',
  ownerId: 'form',
  createdAt: '2000-01-01T00:00:00.000Z',
  updatedAt: '2000-01-01T00:00:00.000Z',
  createdBy: 'form',
  updatedBy: 'form',
  isDeleted: false,
  newest: 0,
} as const;

const customOnly = new WeakMap<EntityDef, EntityDef>();

/**
 * The entity with no fields but its custom ones: validateRecord checks custom fields only once the
 * rest of the record passed, and a form that is refused anyway should name every problem at once.
 */
function customFieldsOf(entity: EntityDef): EntityDef {
  let view = customOnly.get(entity);
  if (!view) {
    view = { ...entity, fields: {}, allFields: {}, rules: [], derived: undefined };
    customOnly.set(entity, view);
  }
  return view;
}

/** A rule's problems with a record that may not pass the schema (a rule expects one that does). */
function ruleProblems(rule: EntityRule, record: Readonly<Record<string, unknown>>): FieldProblem[] {
  try {
    return [...rule(record)];
  } catch {
    return [];
  }
}

/**
 * What the registry's validator says of the record a form would save: the stored record (or a new
 * one's defaults) with the form's values over it, a null clearing a field, as the repository builds
 * it. A field whose text did not parse keeps its stored value here; its problem is the parse one.
 */
export function registryProblems(
  entity: EntityDef,
  initial: Record<string, unknown>,
  values: Record<string, unknown>,
  customFields: readonly CustomFieldDef[],
): FieldProblem[] {
  const record: Record<string, unknown> = { ...STAMPED, kind: entity.name };
  for (const [name, field] of Object.entries(entity.fields))
    if (field.default !== undefined) record[name] = field.default;
  for (const [name, value] of Object.entries({ ...initial, ...values })) {
    if (value === null) delete record[name];
    else if (value !== undefined) record[name] = value;
  }
  const candidate = withDerived(entity, record);
  const problems = validateRecord(entity, candidate, { customFields });
  const named = new Set(problems.map((p) => p.field));
  // validateRecord applies the entity's rules (a custom field's key characters) and checks custom
  // fields only once every field passed; a form refused anyway names their problems too.
  const more = (entity.rules ?? []).flatMap((rule) => ruleProblems(rule, candidate));
  if (entity.customizable && customFields.length > 0) {
    const custom = { kind: entity.name, customFields: candidate.customFields };
    more.push(...validateRecord(customFieldsOf(entity), custom, { customFields }));
  }
  return [...problems, ...more.filter((p) => !named.has(p.field))];
}

/**
 * One round of problems per field: the text that did not parse, then the registry's problems with
 * the fields whose text did (none for a field that did not: "12abc" is the problem, not the stored
 * amount it left in place). Only the fields the form shows (`shown`); the first problem of each.
 */
export function mergeProblems(
  parsed: Readonly<Record<string, string>>,
  registry: readonly FieldProblem[],
  shown: (field: string) => boolean,
): Record<string, string> {
  const byField: Record<string, string> = { ...parsed };
  for (const { field, problem } of registry) if (shown(field)) byField[field] ??= problem;
  return byField;
}

/**
 * A problem as said next to its input, after the field's label: "Seats is required", not the
 * validator's "Seats (Seats) is required", which names a custom field for whoever sees only its key.
 */
export function problemText(label: string, problem: string): string {
  return `${label} ${problem.startsWith(`(${label}) `) ? problem.slice(label.length + 3) : problem}`;
}
