import { leadEntity } from '../entities/lead.entity';
import { matchColumns, normaliseHeader } from '../import/column-mapping';
import type { TimedExample } from './evaluate';
import type { FeatureSpec, RawExample } from './feature-space';
import { LEAD_FEATURES, seniorityOf } from './lead-scoring';

/**
 * A user's lead table (e.g. a CSV export from another CRM) with an outcome column, turned into
 * labelled examples: columns that match lead fields are read as the lead scorer reads them, other
 * columns become features where they can (numbers, yes/no flags, choices with few values); names,
 * e-mails, ids and free text are left out.
 */

export class OutcomeColumnError extends Error {
  override readonly name = 'OutcomeColumnError';
}

export interface TableHistory {
  readonly examples: TimedExample[];
  readonly specs: FeatureSpec[];
  /** How each column was used, for the report. */
  readonly columns: { header: string; use: string }[];
  /** Rows without a recognised outcome (open, blank), left out. */
  readonly skipped: number;
}

const POSITIVE = new Set(['1', 'true', 'yes', 'y', 'won', 'win', 'converted', 'closedwon', 'success']);
const NEGATIVE = new Set([
  '0',
  'false',
  'no',
  'n',
  'lost',
  'lose',
  'unqualified',
  'closedlost',
  'disqualified',
  'failed',
]);

export function outcomeOf(value: string | undefined): 0 | 1 | undefined {
  const key = normaliseHeader(value ?? '');
  if (POSITIVE.has(key)) return 1;
  if (NEGATIVE.has(key)) return 0;
  return undefined;
}

const MAX_CATEGORIES = 30;
const NUMERIC = /^-?\d+(\.\d+)?$/;
const BOOLEAN = /^(true|false|yes|no|y|n|0|1)$/i;
const DATE_COLUMN = /date|time|created|updated|closed|at$/i;

function extraSpec(header: string, values: readonly string[]): FeatureSpec | undefined {
  const present = values.map((v) => v.trim()).filter((v) => v !== '');
  if (present.length < values.length * 0.5) return undefined;
  if (present.every((v) => BOOLEAN.test(v))) return { key: header, label: header, kind: 'boolean' };
  if (present.every((v) => NUMERIC.test(v.replace(/,/g, '')))) return { key: header, label: header, kind: 'numeric' };
  const distinct = new Set(present).size;
  if (distinct <= MAX_CATEGORIES && distinct < present.length / 5)
    return { key: header, label: header, kind: 'category' };
  return undefined;
}

export function leadHistoryFromTable(
  rows: readonly Record<string, string>[],
  headers: readonly string[],
  outcomeColumn: string,
): TableHistory {
  if (!headers.includes(outcomeColumn)) {
    throw new OutcomeColumnError(
      `the outcome column "${outcomeColumn}" is not in the file; its columns are: ${headers.join(', ')}`,
    );
  }
  const matches = matchColumns(
    headers.filter((h) => h !== outcomeColumn),
    leadEntity,
  );
  const leadSpecs = new Map(LEAD_FEATURES.map((s) => [s.key, s]));
  const specs: FeatureSpec[] = [];
  const columns: { header: string; use: string }[] = [{ header: outcomeColumn, use: 'outcome' }];
  const fieldOf = new Map<string, string>();
  const extraHeaders: string[] = [];
  for (const match of matches) {
    const field = match.field === 'jobTitle' ? 'seniority' : match.field;
    if (field && leadSpecs.has(field)) {
      fieldOf.set(match.header, field);
      specs.push(leadSpecs.get(field) as FeatureSpec);
      columns.push({ header: match.header, use: `lead field ${match.field}` });
    } else if (match.field) {
      columns.push({ header: match.header, use: `lead field ${match.field} (not a model input)` });
    } else if (DATE_COLUMN.test(match.header)) {
      columns.push({ header: match.header, use: 'ignored (a date: used to order rows in time, if it is the first)' });
    } else {
      const spec = extraSpec(
        match.header,
        rows.map((r) => r[match.header] ?? ''),
      );
      if (spec) {
        specs.push(spec);
        extraHeaders.push(match.header);
      }
      columns.push({
        header: match.header,
        use: spec ? `feature (${spec.kind})` : 'ignored (identifier or free text)',
      });
    }
  }
  const timeColumn = headers.find((h) => h !== outcomeColumn && DATE_COLUMN.test(h));
  let skipped = 0;
  const examples = rows.flatMap((row, index): TimedExample[] => {
    const label = outcomeOf(row[outcomeColumn]);
    if (label === undefined) {
      skipped++;
      return [];
    }
    const raw: Record<string, string | number | undefined> = {};
    for (const [header, field] of fieldOf) {
      const value = row[header];
      raw[field] = field === 'seniority' ? seniorityOf(value) : value;
    }
    for (const header of extraHeaders) raw[header] = row[header];
    // Without a readable date the file's order stands for time.
    const time = timeColumn ? Date.parse(row[timeColumn] ?? '') : Number.NaN;
    const at = Number.isNaN(time) ? `row ${String(index).padStart(9, '0')}` : new Date(time).toISOString();
    return [{ raw: raw as RawExample, label, at }];
  });
  return { examples, specs, columns, skipped };
}
