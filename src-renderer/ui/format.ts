import type { FieldSpec } from '../../src-shared/schema/field';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const date = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

/** A record's field as a person reads it; money needs the record for its currency. */
export function formatValue(field: FieldSpec, value: unknown, record: Record<string, unknown>): string {
  if (value === undefined || value === null || value === '') return '';
  switch (field.type) {
    case 'money': {
      const currency = String(record[field.currencyField ?? ''] ?? 'USD');
      const digits =
        new Intl.NumberFormat(undefined, { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
      return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(Number(value) / 10 ** digits);
    }
    case 'percent':
      return `${Number(value)} %`;
    case 'datetime':
      return dateTime.format(new Date(String(value)));
    case 'date':
      return date.format(new Date(`${String(value)}T00:00:00Z`));
    case 'boolean':
      return value ? 'Yes' : 'No';
    case 'tags':
      return (value as string[]).join(', ');
    case 'json':
      return JSON.stringify(value);
    case 'enum':
      return String(value)
        .replace(/([a-z])([A-Z])/g, '$1 $2')
        .replace(/^./, (c) => c.toUpperCase());
    default:
      return String(value);
  }
}
