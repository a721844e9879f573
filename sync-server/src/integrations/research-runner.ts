import { postChatCompletion, RESEARCH_SYSTEM_PROMPT } from '../../../src-shared/ai/company-research';
import { companyResearchEntity } from '../../../src-shared/entities/company.entity';
import type { Database, Queryable } from '../db/database';
import { selectForUpdate } from '../sync/row-writer';
import { queuedResearch, type ResearchRequest } from './research-outbox';
import { writeAudited } from './server-write';

/**
 * Runs queued company research (research-outbox.ts) against the admin's OpenAI-compatible endpoint,
 * one at a time, outside any transaction: a statement leases a due `research_jobs` row (FOR UPDATE
 * SKIP LOCKED, its `run_after` pushed past the timeout), the endpoint is called with the key only
 * the server holds (RESEARCH_API_KEY), and one transaction records the outcome on the row and on the
 * CompanyResearch (row writer + server audit entry 'research'), which devices pull.
 *
 * The endpoint URL and model come from the server's own copy of the externalIntegration (provider
 * 'openai', active), never from the record: a device cannot make the server send the key elsewhere.
 *
 * Once: a record has one job row, a finished row is never leased again, and the outcome is written
 * only while the record is still queued. A crash after the endpoint answered and before the outcome
 * committed calls the endpoint again when the lease expires; the brief is still written once.
 * A failing endpoint is retried after `retryDelayMs · 2^(attempt-1)` until `maxAttempts`; then the
 * record becomes 'stale' with the reason, keeping the device's digest as its summary.
 */

export interface ResearchRunOptions {
  now: Date;
  newId(): string;
  /** The endpoint's key; undefined calls it without one (a keyless, self-hosted endpoint). */
  apiKey?: string;
  maxAttempts?: number;
  retryDelayMs?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface ResearchOutcome {
  researchId: string;
  status: 'done' | 'pending' | 'failed';
  error?: string;
  txid?: string;
}

const LEASE = `UPDATE research_jobs SET attempts = attempts + 1, run_after = $2::timestamptz
WHERE research_id = (SELECT research_id FROM research_jobs WHERE status = 'pending' AND run_after <= $1::timestamptz
  ORDER BY run_after, research_id LIMIT 1 FOR UPDATE SKIP LOCKED)
RETURNING research_id, attempts`;

const INTEGRATION = `SELECT endpoint_url, config FROM external_integrations
WHERE id = $1 AND provider = 'openai' AND status = 'active' AND NOT is_deleted AND NOT sync_removed`;

type Doc = Record<string, unknown>;
type Answer = { model: string; content: string; configModel: string };

const sourcesOf = (insights: unknown): string[] => {
  const s = (insights as { sources?: unknown } | null | undefined)?.sources;
  return Array.isArray(s) ? s.filter((x): x is string => typeof x === 'string') : [];
};

async function finish(
  tx: Queryable,
  id: string,
  outcome: { done: true; answer: Answer } | { done: false; reason: string },
  options: ResearchRunOptions,
): Promise<string | undefined> {
  const at = options.now.toISOString();
  await tx.query(
    'UPDATE research_jobs SET status = $2, last_error = $3, model = $4, done_at = $5::timestamptz WHERE research_id = $1',
    outcome.done ? [id, 'done', null, outcome.answer.model, at] : [id, 'failed', outcome.reason, null, at],
  );
  const current = await selectForUpdate(tx, companyResearchEntity, id);
  const request = current && queuedResearch(current);
  if (current === undefined || request === undefined) return undefined;
  const insights = (current.insights ?? {}) as Doc;
  let next: Doc;
  if (outcome.done) {
    const { answer } = outcome;
    const done: ResearchRequest = { integrationId: request.integrationId, state: 'done', completedAt: at };
    next = {
      ...current,
      summary: answer.content.slice(0, 20_000),
      model: answer.model.slice(0, 100),
      status: 'final',
      confidence: Math.min(typeof current.confidence === 'number' ? current.confidence : 70, 70),
      researchedAt: at,
      insights: {
        ...insights,
        provider: `Language model (${answer.configModel})`,
        sources: [...sourcesOf(insights), `${answer.configModel} via the sync server`],
        request: done,
      },
    };
  } else {
    const failed: ResearchRequest = { integrationId: request.integrationId, state: 'failed', error: outcome.reason };
    next = { ...current, status: 'stale', insights: { ...insights, request: failed } };
  }
  return writeAudited(
    tx,
    companyResearchEntity,
    current,
    { ...next, updatedAt: at },
    {
      actorId: String(current.createdBy ?? current.ownerId),
      deviceId: 'research',
      reason: outcome.done ? 'written by the language model through the server' : 'the research could not be run',
      now: options.now,
      newId: options.newId,
    },
  );
}

/** Runs one due research job; undefined when none is due. */
export async function runNextResearch(db: Database, options: ResearchRunOptions): Promise<ResearchOutcome | undefined> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const lease = new Date(options.now.getTime() + 2 * timeoutMs).toISOString();
  const leased = (await db.query<{ research_id: string; attempts: number }>(LEASE, [options.now.toISOString(), lease]))
    .rows[0];
  if (leased === undefined) return undefined;
  const id = leased.research_id;
  const fail = async (reason: string): Promise<ResearchOutcome> => {
    const txid = await db.transaction((tx) => finish(tx, id, { done: false, reason }, options));
    return { researchId: id, status: 'failed', error: reason, ...(txid ? { txid } : {}) };
  };
  const doc = await selectForUpdate(db, companyResearchEntity, id);
  const request = doc && queuedResearch(doc);
  // Removed or edited since it was queued: not run.
  if (doc === undefined || request === undefined) return fail('no longer queued');
  const { rows } = await db.query<{ endpoint_url: string | null; config: { model?: unknown } | null }>(INTEGRATION, [
    request.integrationId,
  ]);
  const integration = rows[0];
  if (!integration) return fail(`no active language model integration ${request.integrationId}`);
  const configModel = typeof integration.config?.model === 'string' ? integration.config.model.trim() : '';
  if (configModel === '') return fail('the integration names no model (config.model)');
  if (!/^https?:\/\//i.test(integration.endpoint_url ?? '')) return fail('the integration has no http(s) endpoint URL');
  try {
    const answer = await postChatCompletion(
      {
        baseUrl: integration.endpoint_url ?? '',
        model: configModel,
        ...(options.apiKey ? { apiKey: options.apiKey } : {}),
        ...(options.fetch ? { fetch: options.fetch } : {}),
      },
      {
        model: configModel,
        temperature: 0.2,
        messages: [
          { role: 'system', content: RESEARCH_SYSTEM_PROMPT },
          { role: 'user', content: String(doc.summary ?? '') },
        ],
      },
      AbortSignal.timeout(timeoutMs),
    );
    const txid = await db.transaction((tx) =>
      finish(tx, id, { done: true, answer: { ...answer, configModel } }, options),
    );
    return { researchId: id, status: 'done', ...(txid ? { txid } : {}) };
  } catch (error) {
    const reason = String(error instanceof Error ? error.message : error).slice(0, 300);
    if (leased.attempts >= (options.maxAttempts ?? 5)) return fail(reason);
    const retryAt = new Date(options.now.getTime() + (options.retryDelayMs ?? 30_000) * 2 ** (leased.attempts - 1));
    await db.query('UPDATE research_jobs SET run_after = $2::timestamptz, last_error = $3 WHERE research_id = $1', [
      id,
      retryAt.toISOString(),
      reason,
    ]);
    return { researchId: id, status: 'pending', error: reason };
  }
}
