import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { postChatCompletion, ResearchProviderError } from '../../../src-shared/ai/company-research';
import type { Authenticate } from '../auth/authenticate';
import type { Database } from '../db/database';
import { HttpError } from '../http/errors';
import { RateLimiter } from '../http/rate-limit';
import { parseBody } from '../sync/routes';

/**
 * `POST /research/complete`: company research through an OpenAI-compatible endpoint that needs an
 * API key (issue 5). Devices hold no secrets, so the key stays here (RESEARCH_API_KEY, read from the
 * environment like the SMTP settings) and the device sends only the chat messages and which
 * integration to use. The endpoint URL and model come from the server's own copy of that
 * externalIntegration (provider 'openai', active), never from the request: otherwise any signed-in
 * device could have the server send the key to an address of its choosing.
 */

export interface ResearchProxyOptions {
  db: Database;
  authenticate: Authenticate;
  now: () => Date;
  /** The endpoint's key; undefined forwards without one (a keyless, self-hosted endpoint). */
  apiKey?: string;
  /** Completions per user per minute (each one costs money at the provider). */
  perMinute?: number;
  /** How long the endpoint may take to answer. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const requestSchema = z.strictObject({
  integrationId: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'must be an integration id'),
  messages: z
    .array(
      z.strictObject({
        role: z.enum(['system', 'user']),
        content: z.string().trim().min(1, 'must not be empty').max(20_000),
      }),
    )
    .min(1)
    .max(4),
  temperature: z.number().min(0).max(2).default(0.2),
});

interface ResearchIntegration {
  endpoint_url: string | null;
  config: { model?: unknown } | null;
}

const INTEGRATION = `SELECT endpoint_url, config FROM external_integrations
WHERE id = $1 AND provider = 'openai' AND status = 'active' AND NOT is_deleted AND NOT sync_removed`;

export function researchProxyRoutes(app: FastifyInstance, options: ResearchProxyOptions): void {
  const { db, now } = options;
  const limiter = new RateLimiter({ max: options.perMinute ?? 20, windowMs: 60_000 }, () => now().getTime());
  const timeoutMs = options.timeoutMs ?? 60_000;

  app.post('/research/complete', async (request) => {
    const caller = await options.authenticate(request);
    const body = parseBody(requestSchema, request.body);
    limiter.take(`user:${caller.userId}`, 'too many research requests');
    const { rows } = await db.query<ResearchIntegration>(INTEGRATION, [body.integrationId]);
    const integration = rows[0];
    if (!integration)
      throw new HttpError(404, `no active language model integration ${body.integrationId}`, 'integrationId');
    const model = typeof integration.config?.model === 'string' ? integration.config.model.trim() : '';
    if (model === '') throw new HttpError(409, 'the integration names no model (config.model)', 'integrationId');
    if (!/^https?:\/\//i.test(integration.endpoint_url ?? ''))
      throw new HttpError(409, 'the integration has no http(s) endpoint URL', 'integrationId');
    try {
      const answer = await postChatCompletion(
        {
          baseUrl: integration.endpoint_url ?? '',
          model,
          ...(options.apiKey ? { apiKey: options.apiKey } : {}),
          ...(options.fetch ? { fetch: options.fetch } : {}),
        },
        { model, temperature: body.temperature, messages: body.messages },
        AbortSignal.timeout(timeoutMs),
      );
      return { model: answer.model, content: answer.content };
    } catch (error) {
      if (!(error instanceof ResearchProviderError)) throw error;
      request.log.warn({ err: error, integrationId: body.integrationId }, 'research endpoint failed');
      // 502: the device's request was fine, the endpoint behind the server was not.
      throw new HttpError(502, `the research endpoint failed: ${error.message}`);
    }
  });
}
