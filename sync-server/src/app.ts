import { randomUUID } from 'node:crypto';
import cors from '@fastify/cors';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import { COLLECTIONS, type CollectionName } from '../../src-shared/schema/define-entity';
import { apiRoutes } from './api/api.routes';
import { auditRoutes } from './audit/audit.routes';
import { type Authenticate, headerAuthenticate } from './auth/authenticate';
import { deviceGate, deviceRoutes } from './auth/devices';
import { automationRoutes } from './automation/automation.routes';
import { type AutomationOptions, AutomationWorker } from './automation/automation.service';
import type { TrustProxy } from './config';
import type { Database } from './db/database';
import { readiness } from './db/migrate';
import { cjkFontRoutes } from './files/cjk-font.routes';
import { fileRoutes } from './files/files.routes';
import { closingGate } from './http/closing-gate';
import { errorHandler } from './http/errors';
import { DEFAULT_RATE_LIMITS, RateLimiter, type RateLimits } from './http/rate-limit';
import { integrations } from './integrations/integrations.routes';
import { privacyRoutes } from './privacy/privacy.routes';
import { retentionRoutes } from './retention/retention.routes';
import { RetentionScheduler, type RetentionSchedulerOptions } from './retention/retention-scheduler';
import { ChangeFeed } from './sync/change-feed';
import { DEFAULT_MAX_DOCUMENT_BYTES } from './sync/document-size';
import { HorizonNotifier } from './sync/horizon-notifier';
import { InstanceFanout, type InstanceFanoutOptions } from './sync/instance-fanout';
import { syncRoutes } from './sync/routes';
import { streamRoute } from './sync/stream';

/** Largest request body: a push of 2,000 documents of a few KB each, with room. */
export const BODY_LIMIT = 16 * 1024 * 1024;

export interface AppOptions {
  db: Database;
  /** Fastify's pino options; off by default (tests), `index.ts` turns it on. */
  logger?: FastifyServerOptions['logger'];
  authenticate?: Authenticate;
  /** The time server audit entries carry. */
  now?: () => Date;
  /** Ids of server audit entries. */
  newId?: () => string;
  feed?: ChangeFeed;
  /**
   * Fan-out to the other instances on the same Postgres (LISTEN/NOTIFY, sync/instance-fanout.ts):
   * on whenever the database offers a connection of its own (node-postgres; not PGlite), unless false.
   */
  fanout?: boolean | Pick<InstanceFanoutOptions, 'windowMs' | 'minBackoffMs' | 'maxBackoffMs'>;
  pingIntervalMs?: number;
  /** Browser origins allowed to call the API (the renderer served by `npm start`, the desktop app). */
  corsOrigins?: readonly string[];
  /** Where GET /fonts/cjk.ttf looks for a CJK font (cjk-font.routes.ts); the desktop PDF writer's candidates when absent. */
  cjkFontCandidates?: () => readonly string[];
  /**
   * The automation worker (server-side workflows: the outbox and the scheduler), started when the
   * app is ready and stopped when it closes. Off unless given (tests turn it on, or drive an
   * `AutomationWorker` themselves); `index.ts` turns it on.
   */
  /** Request limits (http/rate-limit.ts); the sign-in ones are `authRoutes`' own. */
  rateLimits?: Partial<RateLimits>;
  /** The retention scheduler (retention/retention-scheduler.ts): off unless given; `index.ts` turns it on. */
  retention?: boolean | Pick<RetentionSchedulerOptions, 'schedule' | 'pollMs'>;
  automation?: boolean | Pick<AutomationOptions, 'pollMs' | 'maxAttempts' | 'retryDelayMs' | 'concurrency'>;
  /**
   * TRUST_PROXY (config.ts): behind a load balancer, whose X-Forwarded-For gives `request.ip`, the
   * address the per-address limits (sign-in, lead capture, tracking clicks) count. Off by default.
   */
  trustProxy?: TrustProxy;
  /** MAX_DOCUMENT_BYTES (sync/document-size.ts): the largest record a push or the public API may write; 0 turns it off. */
  maxDocumentBytes?: number;
}

/** The renderer's own origins: the web fallback (Vite, both loopback names) and the packaged app. */
export const DEFAULT_CORS_ORIGINS = ['http://127.0.0.1:5173', 'http://localhost:5173', 'fieldcrm://app'] as const;

/** The HTTP app without listening: `index.ts` listens, tests call `inject` or listen on port 0. */
export function createApp(options: AppOptions): FastifyInstance {
  const { db } = options;
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: BODY_LIMIT,
    // http/closing-gate.ts answers instead, with the CORS headers.
    return503OnClosing: false,
    trustProxy: options.trustProxy ?? false,
  });
  // A revoked device is refused on every authenticated route (auth/devices.ts).
  const authenticate = deviceGate(
    limitedPerUser(
      options.authenticate ?? headerAuthenticate,
      { ...DEFAULT_RATE_LIMITS, ...options.rateLimits }.syncPerMinute,
      options.now,
    ),
    { db, ...(options.now ? { now: options.now } : {}) },
  );
  const feed = options.feed ?? new ChangeFeed();
  // An exact allow-list, never a wildcard: the API carries bearer tokens and personal data.
  const origins = new Set(options.corsOrigins ?? DEFAULT_CORS_ORIGINS);
  void app.register(cors, {
    origin: (origin, done) => done(null, origin === undefined || origins.has(origin)),
    methods: ['GET', 'POST', 'PUT'],
    allowedHeaders: ['content-type', 'authorization', 'x-device-id'],
    maxAge: 600,
  });
  closingGate(app);
  app.setErrorHandler(errorHandler);
  app.addHook('onSend', async (_request, reply, payload) => {
    securityHeaders(reply);
    return payload;
  });
  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({ error: `no route ${request.method} ${request.url.split('?')[0]}` });
  });

  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/ready', async (request, reply) => {
    try {
      const state = await readiness(db);
      return reply.status(state.ready ? 200 : 503).send(state);
    } catch (error) {
      request.log.warn({ err: error }, 'database unreachable');
      return reply.status(503).send({ ready: false, error: 'database unreachable' });
    }
  });

  const fanout = instanceFanout(app, db, feed, options.fanout);
  // What becomes visible is announced on this instance's feed and, through Postgres, on the others'.
  const announce: Pick<ChangeFeed, 'notify'> = fanout
    ? {
        notify: (collection) => {
          feed.notify(collection);
          fanout.publish(collection);
        },
      }
    : feed;
  const notifier = new HorizonNotifier(db, announce, 20, (error) =>
    app.log.warn({ err: error }, 'horizon check failed'),
  );
  app.addHook('onClose', async () => {
    notifier.close();
    await fanout?.close();
  });
  const context = {
    now: options.now ?? (() => new Date()),
    newId: options.newId ?? (() => `srv_${randomUUID().replaceAll('-', '')}`),
  };
  const maxDocumentBytes = options.maxDocumentBytes ?? DEFAULT_MAX_DOCUMENT_BYTES;
  syncRoutes(app, { db, notifier, authenticate, context: { ...context, maxDocumentBytes } });
  automationRoutes(app, {
    db,
    authenticate,
    ...context,
    onCommitted: (collection, txid) => notifier.committed(collection as CollectionName, txid),
    onError: (error) => app.log.warn({ err: error }, 'automation'),
  });
  auditRoutes(app, { db, authenticate });
  deviceRoutes(app, { db, authenticate, ...context });
  const retentionCommitted = (collection: string, txid: string) =>
    notifier.committed(collection as CollectionName, txid);
  retentionRoutes(app, { db, authenticate, onCommitted: retentionCommitted });
  if (options.retention) {
    const retention = new RetentionScheduler({
      db,
      ...(options.retention === true ? {} : options.retention),
      onCommitted: retentionCommitted,
      onError: (error) => app.log.warn({ err: error }, 'retention'),
    });
    app.addHook('onReady', async () => retention.start());
    app.addHook('onClose', async () => retention.stop());
  }
  privacyRoutes(app, { db, authenticate, notifier, ...context });
  apiRoutes(app, {
    db,
    authenticate,
    ...context,
    committed: (collection, txid) => notifier.committed(collection, txid),
    perMinute: { ...DEFAULT_RATE_LIMITS, ...options.rateLimits }.syncPerMinute,
    maxDocumentBytes,
  });
  integrations(app, { db, authenticate, notifier, context, worker: Boolean(options.automation) });
  if (options.automation) {
    const worker = new AutomationWorker({
      db,
      ...context,
      ...(options.automation === true ? {} : options.automation),
      onCommitted: (collection, txid) => notifier.committed(collection as CollectionName, txid),
      onError: (error) => app.log.warn({ err: error }, 'automation'),
    });
    app.addHook('onReady', async () => worker.start());
    app.addHook('onClose', async () => worker.stop());
  }
  // In a scope of its own: file bodies are raw bytes, not JSON.
  void app.register(fileRoutes, { db, authenticate });
  cjkFontRoutes(app, options.cjkFontCandidates);
  streamRoute(app, {
    feed,
    authenticate,
    pingIntervalMs: options.pingIntervalMs ?? 15_000,
    ...(options.now ? { now: options.now } : {}),
  });
  return app;
}

/** Collections devices pull (the audit trail is push-only: routes.ts), woken after a missed notification. */
const PULLED_COLLECTIONS = COLLECTIONS.filter((c) => c !== 'audit');

/** The fan-out between instances, listening once the app is ready; none without a connection of its own. */
function instanceFanout(
  app: FastifyInstance,
  db: Database,
  feed: ChangeFeed,
  option: AppOptions['fanout'],
): InstanceFanout | undefined {
  const newClient = db.newClient;
  if (option === false || newClient === undefined) return undefined;
  const fanout = new InstanceFanout({
    db,
    newClient,
    wake: (collections) => {
      for (const collection of collections) feed.notify(collection);
    },
    collections: PULLED_COLLECTIONS,
    ...(option === true || option === undefined ? {} : option),
    onError: (error, context) => app.log.warn({ err: error, context }, 'instance fan-out'),
  });
  app.addHook('onReady', async () => fanout.start());
  return fanout;
}

/**
 * Every authenticated request (pull, push, stream, files, audit, automation) counts against its
 * user's allowance per minute, over all their devices; over it, 429 with Retry-After. The
 * unrestricted development seam (`headerAuthenticate`, never used by `npm run server`) is not limited.
 */
function limitedPerUser(authenticate: Authenticate, perMinute: number, now?: () => Date): Authenticate {
  const limiter = new RateLimiter({ max: perMinute, windowMs: 60_000 }, now ? () => now().getTime() : Date.now);
  return async (request) => {
    const principal = await authenticate(request);
    if (!principal.unrestricted) limiter.take(`user:${principal.userId}`, 'too many requests for this user');
    return principal;
  };
}

/**
 * Headers on every answer (OWASP REST Security cheat sheet): the API serves JSON and file bytes,
 * never pages, so nothing may sniff, frame, cache or load from it; routes that set their own
 * Cache-Control (file downloads) keep it.
 */
function securityHeaders(reply: FastifyReply): void {
  reply.header('x-content-type-options', 'nosniff');
  reply.header('x-frame-options', 'DENY');
  reply.header('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
  reply.header('referrer-policy', 'no-referrer');
  if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
}
