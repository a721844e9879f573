import type { RecordWrite } from '../automation/outbox';
import type { Queryable } from '../db/database';

/**
 * Company research a device asks the server to run with the admin's language model (issue 8: slow
 * external calls go through the durable queue, not a request the device waits on). The request is a
 * record, so it waits in the device's sync outbox while offline and reaches the server on reconnect:
 * a CompanyResearch with source 'ai', status 'draft', the offline digest of what the device knows as
 * its summary (the model's prompt), and `insights.request = { integrationId, state: 'queued' }`.
 * The server runs it (research-runner.ts) and writes the model's brief onto the same record (status
 * 'final', model, time, sources), which devices pull.
 *
 * Queued in the transaction that writes it (the push path, through `enqueueIntegrationEvents`): one
 * `research_jobs` row per record, so it runs once, whoever pushes it again.
 */

export interface ResearchRequest {
  integrationId: string;
  state: 'queued' | 'done' | 'failed';
  error?: string;
  completedAt?: string;
}

/** The request a record carries while it waits for the server; undefined for anything else. */
export function queuedResearch(doc: Readonly<Record<string, unknown>>): ResearchRequest | undefined {
  if (doc.kind !== 'companyResearch' || doc.source !== 'ai' || doc.status !== 'draft') return undefined;
  if (doc._deleted === true || doc.isDeleted === true) return undefined;
  const request = (doc.insights as { request?: Partial<ResearchRequest> } | null | undefined)?.request;
  if (request?.state !== 'queued' || typeof request.integrationId !== 'string') return undefined;
  return { integrationId: request.integrationId, state: 'queued' };
}

export async function enqueueResearchJobs(tx: Queryable, writes: readonly RecordWrite[], now: Date): Promise<number> {
  const ids = writes.filter((w) => queuedResearch(w.after)).map((w) => String(w.after.id));
  if (ids.length === 0) return 0;
  await tx.query(
    `INSERT INTO research_jobs (research_id, run_after, created_at)
     SELECT id, $2::timestamptz, $2::timestamptz FROM unnest($1::text[]) AS id
     ON CONFLICT (research_id) DO NOTHING`,
    [ids, now.toISOString()],
  );
  return ids.length;
}
