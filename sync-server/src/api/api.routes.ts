import type { FastifyInstance } from 'fastify';
import { isAdminRole } from '../../../src-shared/auth/permissions';
import { ENTITIES } from '../../../src-shared/entities/registry';
import type { CollectionName, EntityDef } from '../../../src-shared/schema/define-entity';
import { loadAccess } from '../auth/access';
import type { Authenticate } from '../auth/authenticate';
import type { Database } from '../db/database';
import { HttpError } from '../http/errors';
import { RateLimiter } from '../http/rate-limit';
import { apiAuthenticator } from './api-access';
import { createApiKey, listApiKeys, parseNewKey, revokeApiKey } from './api-keys.service';
import { parseListQuery } from './api-query';
import { getRecord, listRecords } from './api-read';
import { reportRoutes } from './api-reports';
import { changeRecord, createRecord, patchOf, softDelete, type WriteContext } from './api-write';
import { graphqlRoute } from './graphql.routes';
import { openApiDocument } from './openapi';

/**
 * The public REST API (`/api/v1/...`, authenticated by API key) and the administrators' routes that
 * manage the keys (`/api-keys`, authenticated as the app's users are). See sync-server/README.md.
 */

export const API_PREFIX = '/api/v1';

/** Entities the API serves: those stored as documents (custom field values travel inside their record). */
export const API_ENTITIES: readonly EntityDef[] = ENTITIES.filter((e) => e.storage === 'document');
const byName = new Map(API_ENTITIES.map((e) => [e.name, e]));

function entityOf(params: unknown): EntityDef {
  const name = String((params as { entity?: unknown }).entity ?? '');
  const entity = byName.get(name);
  if (!entity) throw new HttpError(404, `unknown entity "${name.slice(0, 60)}"`, 'entity');
  return entity;
}

const idOf = (params: unknown) => String((params as { id?: unknown }).id ?? '');

export interface ApiRoutesOptions {
  db: Database;
  /** How the app's users sign in: the key routes are for administrators. */
  authenticate: Authenticate;
  now: () => Date;
  newId: () => string;
  committed: (collection: CollectionName, txid: string) => void;
  /** Requests per minute per key. */
  perMinute: number;
  /** The largest record a write may leave, in bytes of JSON (sync/document-size.ts); 0 turns it off. */
  maxDocumentBytes?: number;
}

export function apiRoutes(app: FastifyInstance, options: ApiRoutesOptions): void {
  const { db, now } = options;
  const authenticateKey = apiAuthenticator(
    db,
    now,
    new RateLimiter({ max: options.perMinute, windowMs: 60_000 }, () => now().getTime()),
  );
  const context: WriteContext = {
    now,
    newId: options.newId,
    committed: options.committed,
    ...(options.maxDocumentBytes === undefined ? {} : { maxDocumentBytes: options.maxDocumentBytes }),
  };

  const adminOf = async (request: Parameters<Authenticate>[0]) => {
    const principal = await options.authenticate(request);
    const access = await loadAccess(db, principal);
    if (access.kind === 'user' && !isAdminRole(access.permissions)) {
      throw new HttpError(403, 'only an administrator manages API keys');
    }
    return principal.userId;
  };
  app.get('/api-keys', async (request) => {
    await adminOf(request);
    return { data: await listApiKeys(db) };
  });
  app.post('/api-keys', async (request, reply) => {
    const actor = await adminOf(request);
    const created = await createApiKey(db, parseNewKey(request.body, actor, now()), actor, context);
    return reply.status(201).send(created);
  });
  app.post('/api-keys/:id/revoke', async (request) => {
    const actor = await adminOf(request);
    return revokeApiKey(db, idOf(request.params), actor, context);
  });

  app.get(`${API_PREFIX}/openapi.json`, async () => openApiDocument(API_ENTITIES));
  graphqlRoute(app, { db, authenticate: authenticateKey, entities: API_ENTITIES });
  reportRoutes(app, { db, authenticate: authenticateKey });

  app.get(`${API_PREFIX}/:entity`, async (request) => {
    const entity = entityOf(request.params);
    const caller = await authenticateKey(request);
    const query = parseListQuery(entity, request.query as Record<string, unknown>);
    return listRecords(db, entity, caller.access, query);
  });
  app.get(`${API_PREFIX}/:entity/:id`, async (request) => {
    const entity = entityOf(request.params);
    const caller = await authenticateKey(request);
    const record = await getRecord(db, entity, caller.access, idOf(request.params));
    if (!record) throw new HttpError(404, `no ${entity.name} ${idOf(request.params).slice(0, 60)}`, 'id');
    return record;
  });
  app.post(`${API_PREFIX}/:entity`, async (request, reply) => {
    const entity = entityOf(request.params);
    const caller = await authenticateKey(request);
    const { record, status } = await createRecord(db, entity, caller, request.body, context);
    return reply.status(status).send(record);
  });
  app.patch(`${API_PREFIX}/:entity/:id`, async (request) => {
    const entity = entityOf(request.params);
    const caller = await authenticateKey(request);
    const change = patchOf(entity, request.body);
    return (await changeRecord(db, entity, caller, idOf(request.params), change, context)).record;
  });
  app.delete(`${API_PREFIX}/:entity/:id`, async (request) => {
    const entity = entityOf(request.params);
    const caller = await authenticateKey(request);
    return (await changeRecord(db, entity, caller, idOf(request.params), softDelete(now), context)).record;
  });
}
