import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { can } from '../../../src-shared/auth/permissions';
import { retentionPolicyEntity } from '../../../src-shared/entities/privacy.entity';
import { type Access, loadAccess } from '../auth/access';
import type { Authenticate } from '../auth/authenticate';
import type { Database } from '../db/database';
import { HttpError } from '../http/errors';
import { parseBody } from '../sync/routes';
import { type PolicyReport, type RunOptions, runRetention } from './retention-run';

/**
 * Settings → Retention's server side, for those who may change retention policies
 * organisation-wide (administrators): `GET /retention/runs?limit=` the last runs, newest first,
 * with their per-policy reports; `POST /retention/run` `{ dryRun }` runs the policies now.
 */

const runsQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(20) });
const runBody = z.strictObject({ dryRun: z.boolean() });

export interface RetentionRunRow {
  id: string;
  startedAt: string;
  finishedAt: string;
  dryRun: boolean;
  trigger: string;
  actorId: string;
  report: PolicyReport[];
}

const RUNS = `SELECT id, dry_run AS "dryRun", trigger, actor_id AS "actorId", report,
  to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "startedAt",
  to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "finishedAt"
FROM retention_runs ORDER BY started_at DESC, id DESC LIMIT $1`;

function mayRun(access: Access): boolean {
  return access.kind === 'unrestricted' || can(access.permissions, retentionPolicyEntity.name, 'update') === 'all';
}

export function retentionRoutes(
  app: FastifyInstance,
  options: { db: Database; authenticate: Authenticate; now?: () => Date; onCommitted?: RunOptions['onCommitted'] },
): void {
  const { db, authenticate } = options;
  const admin = async (request: FastifyRequest) => {
    const access = await loadAccess(db, await authenticate(request));
    if (!mayRun(access)) throw new HttpError(403, 'only administrators see and run retention');
    return access;
  };
  app.get('/retention/runs', async (request) => {
    await admin(request);
    const { limit } = parseBody(runsQuery, request.query);
    const { rows } = await db.query<RetentionRunRow>(RUNS, [limit]);
    return { runs: rows };
  });
  app.post('/retention/run', async (request) => {
    const access = await admin(request);
    const { dryRun } = parseBody(runBody, request.body);
    const run = await runRetention(db, {
      dryRun,
      trigger: 'app',
      actorId: access.userId,
      ...(options.now ? { now: options.now } : {}),
      ...(options.onCommitted ? { onCommitted: options.onCommitted } : {}),
    });
    return { run };
  });
}
