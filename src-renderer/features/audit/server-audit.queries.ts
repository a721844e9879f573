import { type AuditFilter, localMidnight } from './audit.queries';

/**
 * The server's audit trail (`GET /audit`, sync-server/PROTOCOL.md "Audit trail"): the entries other
 * devices pushed and the server's own, as far as the signed-in user may read them. A server-only
 * call, so it goes through @tanstack/react-query (useServerAudit.ts), never into the local database.
 */

export type AuditDoc = Record<string, unknown> & { id: string };

export interface ServerAuditCursor {
  before: string;
  beforeId: string;
}

export interface ServerAuditPage {
  entries: AuditDoc[];
  next: ServerAuditCursor | null;
}

/** The server's answer to a request it refused: its message and the parameter at fault. */
export class ServerAuditError extends Error {
  override readonly name = 'ServerAuditError';
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** react-query keys: one list per server, user and filter. */
export const serverAuditKeys = {
  all: ['server-audit'] as const,
  list: (serverUrl: string, userId: string, filter: AuditFilter) =>
    [...serverAuditKeys.all, serverUrl, userId, serverAuditParams(filter).toString()] as const,
};

/** The query string of a filter: the same meaning as the local query (`to` is inclusive). */
export function serverAuditParams(filter: AuditFilter, cursor?: ServerAuditCursor | null, limit = 50): URLSearchParams {
  const params = new URLSearchParams();
  const recordId = filter.recordId?.trim();
  if (recordId) params.set('entityId', recordId);
  if (filter.entityKind) params.set('entityKind', filter.entityKind);
  if (filter.action) params.set('action', filter.action);
  if (filter.actorId) params.set('actorId', filter.actorId);
  const from = filter.from ? localMidnight(filter.from) : undefined;
  const before = filter.to ? localMidnight(filter.to, 1) : undefined;
  if (from) params.set('from', from);
  if (cursor) {
    params.set('before', cursor.before);
    params.set('beforeId', cursor.beforeId);
  } else if (before) params.set('before', before);
  params.set('limit', String(limit));
  return params;
}

function isPage(body: unknown): body is ServerAuditPage {
  const page = body as Partial<ServerAuditPage> | null;
  return (
    typeof page === 'object' &&
    page !== null &&
    Array.isArray(page.entries) &&
    page.entries.every((e) => typeof e === 'object' && e !== null && typeof (e as AuditDoc).id === 'string') &&
    (page.next === null || (typeof page.next?.before === 'string' && typeof page.next?.beforeId === 'string'))
  );
}

/** One page of the server's trail; throws ServerAuditError with the server's reason when refused. */
export async function fetchServerAudit(
  fetchFn: typeof fetch,
  serverUrl: string,
  filter: AuditFilter,
  cursor?: ServerAuditCursor | null,
  limit = 50,
  signal?: AbortSignal,
): Promise<ServerAuditPage> {
  const url = `${serverUrl.replace(/\/+$/, '')}/audit?${serverAuditParams(filter, cursor, limit)}`;
  const response = await fetchFn(url, { headers: { accept: 'application/json' }, ...(signal ? { signal } : {}) });
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = (body ?? {}) as { error?: unknown; field?: unknown };
    throw new ServerAuditError(
      response.status,
      typeof error.error === 'string' ? error.error : `the server answered ${response.status}`,
      typeof error.field === 'string' ? error.field : undefined,
    );
  }
  if (!isPage(body))
    throw new ServerAuditError(response.status, 'the server answered something that is not an audit page');
  // Wire documents carry `_deleted`; the local collection's documents do not.
  return {
    entries: body.entries.map(({ _deleted: _, ...entry }) => entry as AuditDoc),
    next: body.next,
  };
}
