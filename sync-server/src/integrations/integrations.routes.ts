import type { FastifyInstance } from 'fastify';
import type { Authenticate } from '../auth/authenticate';
import type { Database } from '../db/database';
import type { HorizonNotifier } from '../sync/horizon-notifier';
import { smtpFromEnv } from './email-sender';
import { IntegrationsWorker } from './integrations.worker';
import { type LeadCaptureLimits, leadCaptureRoutes } from './lead-capture.routes';
import { trackingRoutes } from './tracking.routes';
import { webhookRoutes } from './webhooks.routes';

/**
 * Everything of issue 8's integrations the app serves, registered by `createApp` in one call:
 * the webhook delivery log and secrets, the public lead capture endpoint, tracking links, and, with the
 * background work on (`automation`), the worker that sends webhook deliveries and queued email and runs
 * queued company research.
 */
export interface IntegrationsOptions {
  db: Database;
  authenticate: Authenticate;
  notifier: Pick<HorizonNotifier, 'committed'>;
  context: { now: () => Date; newId: () => string };
  /** Background work on (the app's `automation` option). */
  worker: boolean;
  captureLimits?: Partial<LeadCaptureLimits>;
  /** The server's public origin for tracking links (PUBLIC_URL); else the request's own. */
  publicUrl?: string;
}

export function integrations(app: FastifyInstance, options: IntegrationsOptions): void {
  const { db, authenticate, context } = options;
  webhookRoutes(app, { db, authenticate, now: context.now });
  leadCaptureRoutes(app, {
    db,
    ...context,
    committed: (collection, txid) => options.notifier.committed(collection, txid),
    ...(options.captureLimits ? { limits: options.captureLimits } : {}),
  });
  trackingRoutes(app, {
    db,
    authenticate,
    ...context,
    committed: (collection, txid) => options.notifier.committed(collection, txid),
    ...((options.publicUrl ?? process.env.PUBLIC_URL)
      ? { publicUrl: options.publicUrl ?? process.env.PUBLIC_URL }
      : {}),
  });
  if (options.worker) {
    // SMTP_* and PUBLIC_URL are read here rather than in config.ts: only this worker and these routes use them.
    const smtp = smtpFromEnv(process.env);
    // RESEARCH_API_KEY: the language model endpoint's key, which only the server holds (research-runner.ts).
    const researchKey = process.env.RESEARCH_API_KEY?.trim();
    const worker = new IntegrationsWorker({
      db,
      ...context,
      ...(smtp ? { smtp } : {}),
      ...(researchKey ? { research: { apiKey: researchKey } } : {}),
      onCommitted: (collection, txid) => options.notifier.committed(collection, txid),
      onError: (error) => app.log.warn({ err: error }, 'integrations'),
    });
    app.addHook('onReady', async () => worker.start());
    app.addHook('onClose', async () => worker.stop());
  }
}
