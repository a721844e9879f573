import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isAdminRole } from '../../../src-shared/auth/permissions';
import { type Access, loadAccess, readScope } from '../auth/access';
import type { Authenticate } from '../auth/authenticate';
import type { Database } from '../db/database';
import { HttpError } from '../http/errors';
import type { HorizonNotifier } from '../sync/horizon-notifier';
import { checkReason, eraseSubject } from './erasure.service';
import { BUNDLE_ENTITIES, exportSubject } from './export.service';
import { entityOfKind, parseSubject } from './subject';

/**
 * Data-subject rights (GDPR), README "Security and privacy":
 * - `GET /privacy/subjects/:kind/:id/export`: the person's access bundle (JSON; attachments by
 *   SHA-256, their bytes at GET /files/:sha256). For whoever reads every record of that kind and the
 *   whole audit trail (administrators): the bundle crosses every owner's records.
 * - `POST /privacy/subjects/:kind/:id/erase` `{ reason }`: erasure, administrators only.
 */

export interface PrivacyRoutesOptions {
  db: Database;
  authenticate: Authenticate;
  notifier: Pick<HorizonNotifier, 'committed'>;
  now: () => Date;
  newId: () => string;
}

function isAdmin(access: Access): boolean {
  return access.kind === 'unrestricted' || isAdminRole(access.permissions);
}

export function privacyRoutes(app: FastifyInstance, options: PrivacyRoutesOptions): void {
  const { db, authenticate } = options;
  const caller = async (request: FastifyRequest) => loadAccess(db, await authenticate(request));

  app.get('/privacy/subjects/:kind/:id/export', async (request, reply) => {
    const access = await caller(request);
    const params = request.params as { kind?: unknown; id?: unknown };
    const subject = parseSubject(params.kind, params.id);
    const entity = entityOfKind(subject.kind);
    // The subject's own kind is named first; then any other kind the bundle holds that the caller
    // reads only in part (a role may read every person and the trail, but not every deal).
    const unread = [entity, ...BUNDLE_ENTITIES].find((e) => readScope(access, e) !== 'all');
    if (unread !== undefined) {
      throw new HttpError(
        403,
        `only those who read every ${unread.name} record and the whole audit trail may export a person's data: the bundle holds every record about them`,
      );
    }
    const bundle = await exportSubject(db, subject, access.userId, options.now());
    return reply
      .header('cache-control', 'private, no-store')
      .header('content-disposition', `attachment; filename="${subject.kind}-${subject.id}-bundle.json"`)
      .send(bundle);
  });

  app.post('/privacy/subjects/:kind/:id/erase', async (request) => {
    const access = await caller(request);
    if (!isAdmin(access)) throw new HttpError(403, 'only an administrator may erase a person');
    const params = request.params as { kind?: unknown; id?: unknown };
    const subject = parseSubject(params.kind, params.id);
    const body = (request.body ?? {}) as { reason?: unknown };
    if (typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'send a JSON object { reason }');
    const unknown = Object.keys(body).filter((k) => k !== 'reason');
    if (unknown.length > 0) throw new HttpError(400, `${unknown[0]}: is not a field of an erasure`, unknown[0]);
    const reason = checkReason(body.reason);
    const report = await eraseSubject(db, {
      subject,
      reason,
      actorId: access.userId,
      now: options.now,
      newId: options.newId,
    });
    for (const { collection, txid } of report.written) options.notifier.committed(collection, txid);
    return report;
  });
}
