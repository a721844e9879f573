import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { LEAD_SOURCES } from '../../../src-shared/entities/enums';
import { externalIntegrationEntity } from '../../../src-shared/entities/extension.entity';
import type { Database } from '../db/database';
import { HttpError } from '../http/errors';
import { RateLimiter } from '../http/rate-limit';
import { parseBody } from '../sync/routes';
import { rowToWireDoc } from '../sync/row-codec';
import { captureLead, type LeadCaptureForm } from './lead-capture.service';

/**
 * `POST /capture/leads/:formKey`: the public endpoint a website form posts to (no sign-in). The
 * form is an ExternalIntegration (provider 'other', status 'active', `config.type = 'leadCapture'`;
 * its id is the form key, public by design: it is in the page's HTML). What keeps it from being a
 * spam gun:
 * - a small body (`CAPTURE_BODY_LIMIT`), JSON or form-encoded, each field length-checked;
 * - requests per client address and per form, per minute (429 + Retry-After over either);
 * - a honeypot field (`website`, hidden by the snippet, left empty by people, filled by bots) and a
 *   minimum fill time (`_ts`, when the snippet rendered the form; under `minFillSeconds` it is a
 *   bot). Spam is answered like a success, so a bot learns nothing, and nothing is written;
 * - CORS for the form's `allowedOrigins` only: another site's browser post is refused (403). The
 *   snippet posts form-encoded, a "simple" request, so no preflight is needed.
 * Heuristics, not proof: a determined bot can wait 3 s and skip the honeypot; the rate limits bound it.
 */

export const CAPTURE_BODY_LIMIT = 16 * 1024;

export interface LeadCaptureLimits {
  perAddressPerMinute: number;
  perFormPerMinute: number;
}

export const DEFAULT_CAPTURE_LIMITS: LeadCaptureLimits = { perAddressPerMinute: 10, perFormPerMinute: 120 };

const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`).optional();

const bodySchema = z
  .object({
    email: z.string().trim().min(1, 'is required').max(254).email('must be an email address'),
    firstName: text(100),
    lastName: text(100),
    name: text(200),
    phone: text(40),
    company: text(200),
    jobTitle: text(120),
    message: text(5000),
    campaign: text(200),
    utm_source: text(100),
    utm_medium: text(100),
    utm_campaign: text(100),
    utm_term: text(200),
    utm_content: text(200),
    page: text(2000),
    referrer: text(2000),
    website: z.string().max(2000).optional(),
    _ts: z.union([z.string().max(20), z.number()]).optional(),
  })
  // A website form carries its own extra fields (the submit button, a consent box): ignored.
  .passthrough();

const configSchema = z.object({
  type: z.literal('leadCapture'),
  allowedOrigins: z.array(z.string()).default([]),
  assignGroupId: z.string().optional(),
  ownerId: z.string().optional(),
  source: z.enum(LEAD_SOURCES).default('website'),
  campaign: z.string().max(200).optional(),
  minFillSeconds: z.number().min(0).max(3600).default(3),
  redirectUrl: z.string().url().optional(),
});

type FormConfig = z.output<typeof configSchema>;

async function loadForm(db: Database, key: string): Promise<{ form: LeadCaptureForm; config: FormConfig }> {
  const { rows } = await db.query<{ doc: Record<string, unknown> }>(
    'SELECT to_jsonb(t) AS doc FROM external_integrations t WHERE t.id = $1 AND NOT t.is_deleted AND NOT t.sync_removed',
    [key],
  );
  const row = rows[0];
  const integration = row === undefined ? undefined : rowToWireDoc(externalIntegrationEntity, row.doc);
  const config = configSchema.safeParse(integration?.config);
  if (integration?.status !== 'active' || !config.success) {
    throw new HttpError(404, `no form ${key}`, 'formKey');
  }
  const name = typeof integration.name === 'string' ? integration.name : key;
  return {
    config: config.data,
    form: {
      id: key,
      name,
      ownerId: String(integration.ownerId),
      source: config.data.source,
      ...(config.data.assignGroupId ? { assignGroupId: config.data.assignGroupId } : {}),
      ...(config.data.ownerId ? { defaultOwnerId: config.data.ownerId } : {}),
      ...(config.data.campaign ? { campaign: config.data.campaign } : {}),
    },
  };
}

function allowOrigin(request: FastifyRequest, reply: FastifyReply, config: FormConfig): void {
  const origin = request.headers.origin;
  if (origin === undefined) return;
  if (!config.allowedOrigins.includes(origin)) {
    throw new HttpError(403, `origin ${origin} may not post to this form`, 'origin');
  }
  reply.header('access-control-allow-origin', origin);
  reply.header('vary', 'Origin');
}

function isSpam(body: z.output<typeof bodySchema>, config: FormConfig, now: Date): boolean {
  if (body.website !== undefined && body.website.trim() !== '') return true;
  if (config.minFillSeconds === 0) return false;
  const renderedAt = Number(body._ts);
  if (!Number.isFinite(renderedAt)) return true;
  const seconds = (now.getTime() - renderedAt) / 1000;
  return seconds < config.minFillSeconds || seconds > 86_400;
}

function splitName(body: z.output<typeof bodySchema>): { firstName?: string; lastName?: string } {
  if (body.lastName || !body.name) {
    return {
      ...(body.firstName ? { firstName: body.firstName } : {}),
      ...(body.lastName ? { lastName: body.lastName } : {}),
    };
  }
  const parts = body.name.split(/\s+/);
  const lastName = parts.pop();
  const firstName = body.firstName ?? (parts.length > 0 ? parts.join(' ') : undefined);
  return { ...(firstName ? { firstName } : {}), ...(lastName ? { lastName } : {}) };
}

export function leadCaptureRoutes(
  app: FastifyInstance,
  options: {
    db: Database;
    now: () => Date;
    newId: () => string;
    committed(collection: 'leads' | 'activities', txid: string): void;
    limits?: Partial<LeadCaptureLimits>;
  },
): void {
  const { db, now } = options;
  const limits = { ...DEFAULT_CAPTURE_LIMITS, ...options.limits };
  const clock = () => now().getTime();
  const perAddress = new RateLimiter({ max: limits.perAddressPerMinute, windowMs: 60_000 }, clock);
  const perForm = new RateLimiter({ max: limits.perFormPerMinute, windowMs: 60_000 }, clock);

  // In a scope of its own: form-encoded bodies are parsed here only, and held to a small limit.
  void app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: CAPTURE_BODY_LIMIT },
      (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );
    scope.post('/capture/leads/:formKey', { bodyLimit: CAPTURE_BODY_LIMIT }, async (request, reply) => {
      const key = String((request.params as { formKey?: unknown }).formKey ?? '');
      if (!/^[A-Za-z0-9_-]{1,40}$/.test(key)) throw new HttpError(404, 'no such form', 'formKey');
      perAddress.take(`address:${request.ip}`, 'too many form posts from this address');
      perForm.take(`form:${key}`, 'too many posts to this form');
      const { form, config } = await loadForm(db, key);
      allowOrigin(request, reply, config);
      const body = parseBody(bodySchema, request.body ?? {});
      const at = now();
      const answer = () =>
        config.redirectUrl && String(request.headers.accept ?? '').startsWith('text/html')
          ? reply.redirect(config.redirectUrl, 303)
          : reply.status(200).send({ received: true });
      if (isSpam(body, config, at)) {
        request.log.info({ form: key }, 'lead capture: spam dropped');
        return answer();
      }
      const result = await db.transaction((tx) =>
        captureLead(
          tx,
          form,
          {
            email: body.email,
            ...splitName(body),
            ...(body.phone ? { phone: body.phone } : {}),
            ...(body.company ? { company: body.company } : {}),
            ...(body.jobTitle ? { jobTitle: body.jobTitle } : {}),
            ...(body.message ? { message: body.message } : {}),
            ...(body.campaign ? { campaign: body.campaign } : {}),
            ...(body.utm_source ? { utmSource: body.utm_source } : {}),
            ...(body.utm_medium ? { utmMedium: body.utm_medium } : {}),
            ...(body.utm_campaign ? { utmCampaign: body.utm_campaign } : {}),
            ...(body.utm_term ? { utmTerm: body.utm_term } : {}),
            ...(body.utm_content ? { utmContent: body.utm_content } : {}),
            ...(body.page ? { page: body.page } : {}),
            ...(body.referrer ? { referrer: body.referrer } : {}),
          },
          { now: at, newId: options.newId },
        ),
      );
      if (result.committed.leads) options.committed('leads', result.committed.leads);
      if (result.committed.activities) options.committed('activities', result.committed.activities);
      return answer();
    });
  });
}
