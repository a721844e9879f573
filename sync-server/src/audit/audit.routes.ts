import type { FastifyInstance } from 'fastify';
import { loadAccess } from '../auth/access';
import type { Authenticate } from '../auth/authenticate';
import type { Database } from '../db/database';
import { readAudit } from './audit.service';
import { parseAuditQuery } from './audit-query';

export interface AuditRoutesOptions {
  db: Database;
  authenticate: Authenticate;
}

/**
 * `GET /audit`: the server's audit trail (the devices' entries, pushed, and the server's own) as
 * far as the caller may read it; `?entityId=` narrows it to one record's trail. PROTOCOL.md.
 */
export function auditRoutes(app: FastifyInstance, { db, authenticate }: AuditRoutesOptions): void {
  app.get('/audit', async (request, reply) => {
    const principal = await authenticate(request);
    const query = parseAuditQuery(request.query);
    const page = await readAudit(db, await loadAccess(db, principal), query);
    // Personal data under a bearer token: never kept by a shared cache.
    return reply.header('cache-control', 'private, no-store').send(page);
  });
}
