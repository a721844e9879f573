import type { FieldChanges, RecordChange } from '../../../src-shared/audit/audit-changes';
import { AUDIT_ACTIONS } from '../../../src-shared/entities/audit.entity';
import { isEntityName } from '../../../src-shared/entities/registry';
import type { FieldProblem } from '../../../src-shared/schema/define-entity';
import type { Equality, ListOptions } from '../../db/entity-repository';

/** What the audit viewer is narrowed to; every part optional. Dates are `YYYY-MM-DD` in local time. */
export interface AuditFilter {
  entityKind?: string;
  action?: string;
  actorId?: string;
  recordId?: string;
  from?: string;
  to?: string;
}

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Local midnight of a `YYYY-MM-DD` date, as an ISO time; undefined for anything else. */
export function localMidnight(date: string, addDays = 0): string | undefined {
  if (!DATE.test(date)) return undefined;
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const day = new Date(y, m - 1, d);
  // Date rolls 2026-02-31 over to March: that is not a date the user meant.
  if (day.getFullYear() !== y || day.getMonth() !== m - 1 || day.getDate() !== d) return undefined;
  return new Date(y, m - 1, d + addDays).toISOString();
}

/** Every problem of a filter, named by the filter field it concerns. */
export function auditFilterProblems(filter: AuditFilter): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (filter.entityKind && !isEntityName(filter.entityKind)) {
    problems.push({ field: 'entityKind', problem: `"${filter.entityKind}" is not an entity` });
  }
  if (filter.action && !(AUDIT_ACTIONS as readonly string[]).includes(filter.action)) {
    problems.push({ field: 'action', problem: `must be one of ${AUDIT_ACTIONS.join(', ')}` });
  }
  for (const field of ['from', 'to'] as const) {
    const value = filter[field];
    if (value && !localMidnight(value)) problems.push({ field, problem: 'must be a date (YYYY-MM-DD)' });
  }
  if (filter.from && filter.to && DATE.test(filter.from) && DATE.test(filter.to) && filter.from > filter.to) {
    problems.push({ field: 'to', problem: 'must be on or after the From date' });
  }
  return problems;
}

/**
 * The repository query of a filter: equalities (record id and action are served by their own
 * index, `entityId+newest` and `action+newest`; kind and actor are checked on the entries the index
 * yields) and the date range as a range on `newest`, the last part of every audit index. Newest first.
 */
export function auditListOptions(filter: AuditFilter): Omit<ListOptions, 'limit' | 'skip'> {
  const where: Record<string, Equality> = {};
  const recordId = filter.recordId?.trim();
  if (recordId) where.entityId = recordId;
  if (filter.action) where.action = filter.action;
  if (filter.entityKind) where.entityKind = filter.entityKind;
  if (filter.actorId) where.actorId = filter.actorId;
  const from = filter.from ? localMidnight(filter.from) : undefined;
  // `to` is inclusive: entries before the next day's midnight.
  const before = filter.to ? localMidnight(filter.to, 1) : undefined;
  const created = from || before ? { ...(from ? { from } : {}), ...(before ? { before } : {}) } : undefined;
  return { where, ...(created ? { created } : {}), order: 'newest' };
}

/** Whether an entry matches a filter: the same rule as the query, for entries already in hand. */
export function matchesAuditFilter(entry: Record<string, unknown>, filter: AuditFilter): boolean {
  const options = auditListOptions(filter);
  for (const [field, value] of Object.entries(options.where ?? {})) if (entry[field] !== value) return false;
  const at = String(entry.at ?? entry.createdAt ?? '');
  if (options.created?.from && at < options.created.from) return false;
  if (options.created?.before && at >= options.created.before) return false;
  return true;
}

/** One field's change as the viewer shows it; custom fields come out one key each (`customFields.tier`). */
export interface ChangeRow {
  field: string;
  before: unknown;
  after: unknown;
}

/** Base fields that every write touches: shown only when nothing else changed. */
const NOISE = new Set(['kind', 'newest', 'createdBy', 'updatedBy', 'updatedAt']);

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Paths of the leaves that differ between two objects, depth-first, at most `depth` levels down. */
function leafChanges(path: string, before: unknown, after: unknown, depth: number, rows: ChangeRow[]): void {
  if (depth > 0 && isMap(before) && isMap(after)) {
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      leafChanges(`${path}.${key}`, before[key], after[key], depth - 1, rows);
    }
  } else if (JSON.stringify(before) !== JSON.stringify(after)) {
    rows.push({ field: path, before: before ?? null, after: after ?? null });
  }
}

/**
 * The field-level before→after rows of one change, in a stable order (declared fields, then custom
 * fields). An object on both sides (a role's permissions, a workflow's conditions) comes out leaf by
 * leaf (`permissions.contact.delete`), custom fields one key each (`customFields.tier`).
 */
export function changeRows(changes: FieldChanges | undefined): ChangeRow[] {
  const rows: ChangeRow[] = [];
  for (const [field, pair] of Object.entries(changes ?? {})) {
    if (NOISE.has(field) || !Array.isArray(pair)) continue;
    const [before, after] = pair;
    if (field === 'customFields' && (isMap(before) || before === null) && (isMap(after) || after === null)) {
      leafChanges(field, before ?? {}, after ?? {}, 1, rows);
    } else if (isMap(before) && isMap(after)) leafChanges(field, before, after, 3, rows);
    else rows.push({ field, before: before ?? null, after: after ?? null });
  }
  return rows.sort((x, y) => Number(x.field.startsWith('customFields.')) - Number(y.field.startsWith('customFields.')));
}

/** The record changes an entry holds: its own for a single-record entry, each listed one for a batch. */
export function recordChangesOf(entry: Record<string, unknown>): RecordChange[] {
  if (entry.action === 'batch' && Array.isArray(entry.records)) return entry.records as RecordChange[];
  return [
    {
      id: String(entry.entityId),
      kind: String(entry.entityKind),
      action: entry.action as RecordChange['action'],
      changes: (entry.changes ?? {}) as FieldChanges,
    },
  ];
}
