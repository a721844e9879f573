import type { FieldSpec } from '../../src-shared/schema/field';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const date = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
const monthDayTime = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
});
const mediumDate = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/**
 * A date-time in a list cell, where the full form ("Nov 1, 2026, 12:00 AM") was cut to
 * "Nov 1, 2026, 12…": this year's without the year ("Oct 31, 11:41 PM"), another year's without
 * the time ("Oct 31, 2025"), as mail clients do. The full form belongs in the cell's title.
 */
export function formatListDateTime(iso: string, now: Date = new Date()): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  return at.getFullYear() === now.getFullYear() ? monthDayTime.format(at) : mediumDate.format(at);
}

/** A local calendar date in the app's one style ("Sep 8, 2025"), not the numeric "9/8/2025". */
export function formatDate(iso: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? '' : mediumDate.format(at);
}

/** The full local date and time ("Nov 30, 2026, 7:45 PM"), e.g. for the title of a shortened cell. */
export function formatFullDateTime(iso: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? '' : dateTime.format(at);
}

/** Enum values that are brand names, spelled as their owners spell them rather than capitalised ("Linkedin"). */
const BRAND_NAMES: Readonly<Record<string, string>> = {
  linkedin: 'LinkedIn',
  github: 'GitHub',
  youtube: 'YouTube',
  tiktok: 'TikTok',
  hubspot: 'HubSpot',
};

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
      return (
        BRAND_NAMES[String(value)] ??
        String(value)
          .replace(/([a-z])([A-Z])/g, '$1 $2')
          .replace(/^./, (c) => c.toUpperCase())
      );
    default:
      return String(value);
  }
}
