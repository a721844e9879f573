import { AUDIT_ACTIONS } from '../../../src-shared/entities/audit.entity';
import { isEntityName } from '../../../src-shared/entities/registry';
import { HttpError } from '../http/errors';

/**
 * The query of `GET /audit`, checked strictly: a parameter the route does not know, one given
 * twice, or one with a bad value is answered 400 naming it (PROTOCOL.md, "Audit trail").
 */
export interface AuditQuery {
  /** One record's trail: its own entries and the batch entries that list it. */
  entityId?: string;
  entityKind?: string;
  action?: (typeof AUDIT_ACTIONS)[number];
  actorId?: string;
  /** Entries at or after this time (ISO 8601). */
  from?: Date;
  /** Entries before this time; with `beforeId`, the page after the entry (before, beforeId). */
  before?: Date;
  beforeId?: string;
  limit: number;
}

export const DEFAULT_AUDIT_LIMIT = 100;
export const MAX_AUDIT_LIMIT = 500;

const PARAMETERS = ['entityId', 'entityKind', 'action', 'actorId', 'from', 'before', 'beforeId', 'limit'] as const;
type Parameter = (typeof PARAMETERS)[number];

const ID = /^[A-Za-z0-9_.:@-]{1,40}$/;
/** A date-time with a zone, as `toISOString()` prints it (or with an offset); a bare date is midnight UTC. */
const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2}))?$/;

const bad = (field: Parameter, problem: string) => new HttpError(400, `${field}: ${problem}`, field);

function idOf(field: Parameter, raw: string): string {
  if (!ID.test(raw)) throw bad(field, 'must be 1 to 40 letters, digits or _.:@-');
  return raw;
}

function dateOf(field: Parameter, raw: string): Date {
  const time = ISO.test(raw) ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(time)) throw bad(field, 'must be an ISO 8601 date or date-time, e.g. 2026-04-01T09:30:00.000Z');
  return new Date(time);
}

function limitOf(raw: string): number {
  const n = /^\d{1,4}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_AUDIT_LIMIT) {
    throw bad('limit', `must be a whole number from 1 to ${MAX_AUDIT_LIMIT}`);
  }
  return n;
}

export function parseAuditQuery(query: unknown): AuditQuery {
  const raw = (query ?? {}) as Record<string, unknown>;
  const out: AuditQuery = { limit: DEFAULT_AUDIT_LIMIT };
  for (const [key, value] of Object.entries(raw)) {
    if (!(PARAMETERS as readonly string[]).includes(key)) {
      throw new HttpError(400, `${key.slice(0, 60)}: is not a parameter of /audit`, key.slice(0, 60));
    }
    const field = key as Parameter;
    if (typeof value !== 'string') throw bad(field, 'must be given once');
    if (value === '') throw bad(field, 'must not be empty');
    switch (field) {
      case 'entityId':
      case 'actorId':
      case 'beforeId':
        out[field] = idOf(field, value);
        break;
      case 'entityKind':
        if (!isEntityName(value)) throw bad(field, `"${value.slice(0, 40)}" is not an entity`);
        out.entityKind = value;
        break;
      case 'action':
        if (!(AUDIT_ACTIONS as readonly string[]).includes(value)) {
          throw bad(field, `must be one of ${AUDIT_ACTIONS.join(', ')}`);
        }
        out.action = value as AuditQuery['action'];
        break;
      case 'from':
      case 'before':
        out[field] = dateOf(field, value);
        break;
      case 'limit':
        out.limit = limitOf(value);
        break;
    }
  }
  if (out.beforeId !== undefined && out.before === undefined) throw bad('beforeId', 'needs before');
  if (out.from && out.before && out.from >= out.before) throw bad('before', 'must be after from');
  return out;
}
