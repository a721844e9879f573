import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import type { CollectionName } from '../../../src-shared/schema/define-entity';
import { isCollectionName, pullRequestSchema, pushRequestSchema } from '../../../src-shared/sync/protocol';
import { loadAccess } from '../auth/access';
import type { Authenticate } from '../auth/authenticate';
import type { Database } from '../db/database';
import { HttpError } from '../http/errors';
import type { HorizonNotifier } from './horizon-notifier';
import { pull, pullResponseBody } from './pull';
import { type PushContext, push } from './push';

/** Collections devices send but never receive (DESIGN.md §7: the audit trail replicates push-only). */
const PUSH_ONLY: ReadonlySet<CollectionName> = new Set(['audit']);

/** The body checked against the protocol's schema; the first problem is answered, naming its field. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.map(String) ?? [];
  if (issue?.code === 'unrecognized_keys') path.push(issue.keys[0] ?? '');
  const field = path.join('.');
  const message =
    issue?.code === 'unrecognized_keys' ? 'is not part of the protocol' : (issue?.message ?? 'is invalid');
  throw new HttpError(
    400,
    field === '' ? `the body ${message}` : `${field}: ${message}`,
    field === '' ? undefined : field,
  );
}

function collectionOf(params: unknown): CollectionName {
  const name = String((params as { collection?: unknown }).collection ?? '');
  if (!isCollectionName(name)) throw new HttpError(404, `unknown collection "${name.slice(0, 60)}"`, 'collection');
  return name;
}

/** The body's size from its Content-Length (the parser reads no more); none for a chunked body. */
function bodyBytesOf(header: string | undefined): { bodyBytes?: number } {
  const bytes = Number(header);
  return header !== undefined && Number.isSafeInteger(bytes) && bytes >= 0 ? { bodyBytes: bytes } : {};
}

export interface SyncRoutesOptions {
  db: Database;
  notifier: HorizonNotifier;
  authenticate: Authenticate;
  context: Omit<PushContext, 'userId' | 'access'>;
}

export function syncRoutes(app: FastifyInstance, { db, notifier, authenticate, context }: SyncRoutesOptions): void {
  app.post('/sync/:collection/pull', async (request, reply) => {
    const principal = await authenticate(request);
    const collection = collectionOf(request.params);
    if (PUSH_ONLY.has(collection)) throw new HttpError(400, `the ${collection} collection is push-only`, 'collection');
    const body = parseBody(pullRequestSchema, request.body);
    const page = await pull(db, collection, body, await loadAccess(db, principal));
    // The documents are JSON texts Postgres built: passed through, never parsed and printed again.
    return reply.type('application/json; charset=utf-8').send(pullResponseBody(page));
  });

  app.post('/sync/:collection/push', async (request) => {
    const principal = await authenticate(request);
    const collection = collectionOf(request.params);
    const body = parseBody(pushRequestSchema, request.body);
    const access = await loadAccess(db, principal);
    const result = await push(db, collection, body, {
      ...context,
      userId: principal.userId,
      access,
      warn: (details, message) => request.log.warn(details, message),
      ...bodyBytesOf(request.headers['content-length']),
    });
    if (result.written > 0 && !PUSH_ONLY.has(collection)) notifier.committed(collection, result.txid);
    request.log.info(
      {
        collection,
        rows: body.rows.length,
        written: result.written,
        conflicts: result.conflicts.length,
        rejected: result.rejected.length,
      },
      'push',
    );
    return { conflicts: result.conflicts, rejected: result.rejected };
  });
}
