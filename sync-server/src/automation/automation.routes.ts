import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { can } from '../../../src-shared/auth/permissions';
import { type Access, loadAccess } from '../auth/access';
import type { Authenticate } from '../auth/authenticate';
import type { Database } from '../db/database';
import { HttpError } from '../http/errors';
import { parseBody } from '../sync/routes';
import type { AutomationOptions } from './automation.service';
import { runWorkflowNow } from './manual-run';
import { listRuns } from './workflow-runs.queries';

/**
 * The run log for the Settings screen: `GET /automation/runs?workflowId=…&limit=…`, newest first;
 * the outbox's failed jobs (`GET /automation/jobs`) and one more attempt of one
 * (`POST /automation/jobs/:id/retry`); a workflow run on one record now
 * (`POST /automation/workflows/:id/run`, manual-run.ts).
 * For those who may change workflows organisation-wide (administrators): runs name records of every
 * owner, which a rep's scope would not show.
 */

const querySchema = z.strictObject({
  workflowId: z.string().min(1).max(40).optional(),
  recordId: z.string().min(1).max(40).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const jobsQuerySchema = z.strictObject({
  status: z.enum(['pending', 'done', 'failed']).default('failed'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const JOBS = `SELECT id::text AS "id", workflow_id AS "workflowId", entity_kind AS "entityKind", record_id AS "recordId",
  event, period, status, attempts, last_error AS "lastError",
  to_char(run_after AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "runAfter"
FROM automation_jobs WHERE status = $1 ORDER BY id DESC LIMIT $2`;

/** A failed job back in the queue for one more attempt, due at once. */
const RETRY = `UPDATE automation_jobs SET status = 'pending', run_after = $2::timestamptz
WHERE id = $1::bigint AND status = 'failed' RETURNING id::text AS id`;

function mayReadRuns(access: Access): boolean {
  return access.kind === 'unrestricted' || can(access.permissions, 'workflow', 'update') === 'all';
}

export function automationRoutes(
  app: FastifyInstance,
  options: {
    db: Database;
    authenticate: Authenticate;
    now?: () => Date;
    /** For manual runs' writes (manual-run.ts): ids, and the change feed told of their commit. */
    newId?: () => string;
    onCommitted?: AutomationOptions['onCommitted'];
    onError?: AutomationOptions['onError'];
  },
): void {
  const { db, authenticate } = options;
  const now = options.now ?? (() => new Date());
  const allowed = async (request: FastifyRequest) => {
    const principal = await authenticate(request);
    if (!mayReadRuns(await loadAccess(db, principal))) {
      throw new HttpError(403, 'only those who may change workflows see their runs');
    }
  };
  app.get('/automation/runs', async (request) => {
    await allowed(request);
    const query = parseBody(querySchema, request.query);
    return { runs: await listRuns(db, query) };
  });

  /** The outbox by status, newest first: failed jobs (the default) wait for an administrator. */
  app.get('/automation/jobs', async (request) => {
    await allowed(request);
    const query = parseBody(jobsQuerySchema, request.query);
    return { jobs: (await db.query(JOBS, [query.status, query.limit])).rows };
  });

  /** Runs a workflow on one record now, whatever its trigger; the logged run (manual-run.ts). */
  app.post('/automation/workflows/:id/run', async (request) => {
    await allowed(request);
    return runWorkflowNow(
      db,
      { workflowId: (request.params as { id?: unknown }).id, body: request.body },
      {
        now,
        ...(options.newId ? { newId: options.newId } : {}),
        ...(options.onCommitted ? { onCommitted: options.onCommitted } : {}),
        ...(options.onError ? { onError: options.onError } : {}),
      },
    );
  });

  /** One more attempt of a failed job (after its cause was fixed), due at once. */
  app.post('/automation/jobs/:id/retry', async (request) => {
    await allowed(request);
    const id = String((request.params as { id?: unknown }).id ?? '');
    if (!/^\d{1,18}$/.test(id)) throw new HttpError(400, 'must be a job id', 'id');
    const { rows } = await db.query<{ id: string }>(RETRY, [id, now().toISOString()]);
    if (rows.length === 0) throw new HttpError(404, `no failed job ${id}`, 'id');
    return { id, status: 'pending' };
  });
}
