import {
  offlineDigestProvider,
  openAiCompatibleProvider,
  type ResearchProvider,
} from '../../../src-shared/ai/company-research';
import type { EntityByName } from '../../../src-shared/entities/registry';
import type { EntityRecord } from '../../../src-shared/schema/define-entity';
import { ValidationError } from '../../../src-shared/schema/validation-error';
import type { Repositories } from '../../db/repositories';
import { companyFacts } from './company-signals';

type Integration = EntityRecord<EntityByName<'externalIntegration'>>;
type Research = EntityRecord<EntityByName<'companyResearch'>>;

/**
 * The signed-in session's server and a fetch that authenticates as the user. Given, research goes
 * through the server's queue: the draft brief travels by the session's replication, so neither is
 * called here; callers pass them to say the device is signed in.
 */
export interface ResearchProxy {
  serverUrl: string;
  fetch: typeof fetch;
}

/**
 * Research the sync server runs on its durable job queue (sync-server/src/integrations/
 * research-outbox.ts): the device writes a draft brief (the offline digest, the model's prompt)
 * marked `insights.request = { integrationId, state: 'queued' }`; the draft syncs like any record,
 * and the server writes the model's brief onto it, which the device pulls.
 */
export interface ServerQueuedProvider extends ResearchProvider {
  readonly serverQueue: { readonly integrationId: string; readonly model: string };
}

export function isServerQueued(provider: ResearchProvider): provider is ServerQueuedProvider {
  return 'serverQueue' in provider;
}

function serverQueuedProvider(integrationId: string, model: string): ServerQueuedProvider {
  return {
    id: 'server-queue',
    label: `Language model (${model}, through the sync server)`,
    // It needs the server: made offline, it waits in the queue below and is written on reconnect.
    online: true,
    serverQueue: { integrationId, model },
    research: (facts) => offlineDigestProvider.research(facts),
  };
}

/**
 * The admin-configured language model, if any: an active externalIntegration with provider
 * 'openai', an endpoint URL (an OpenAI-compatible /v1 base) and `config.model`. The integration
 * holds no secret (its config is non-secret by design). Signed in, the sync server runs it on its
 * job queue with the endpoint's API key only it holds (RESEARCH_API_KEY); signed out, the device
 * calls the endpoint itself, which works only without a key.
 */
export function configuredProvider(
  integrations: readonly Pick<Integration, 'id' | 'provider' | 'status' | 'endpointUrl' | 'config' | 'isDeleted'>[],
  fetchImpl?: typeof fetch,
  proxy?: ResearchProxy,
): ResearchProvider | undefined {
  for (const i of integrations) {
    if (i.isDeleted || i.provider !== 'openai' || i.status !== 'active' || !i.endpointUrl) continue;
    const model = (i.config as { model?: unknown } | undefined)?.model;
    if (typeof model !== 'string' || model.trim() === '') continue;
    if (proxy) return serverQueuedProvider(i.id, model.trim());
    return openAiCompatibleProvider({
      baseUrl: i.endpointUrl,
      model: model.trim(),
      ...(fetchImpl ? { fetch: fetchImpl } : {}),
    });
  }
  return undefined;
}

/**
 * Writes a brief as a CompanyResearch record (validated and audited by the repository); for the
 * server's queue, a draft the server completes (status 'draft' until the model's brief arrives).
 */
export async function generateBrief(
  repos: Repositories,
  companyId: string,
  provider: ResearchProvider = offlineDigestProvider,
  now: () => Date = () => new Date(),
): Promise<Research> {
  if (typeof companyId !== 'string' || companyId.trim() === '')
    throw new ValidationError('companyResearch', [{ field: 'companyId', problem: 'is required: choose a company' }]);
  const company = await repos.company.get(companyId);
  if (!company || company.isDeleted)
    throw new ValidationError('companyResearch', [{ field: 'companyId', problem: `"${companyId}" is not a company` }]);
  const facts = await companyFacts(repos, companyId);
  const result = await provider.research(facts);
  const queued = isServerQueued(provider);
  return repos.companyResearch.create({
    companyId,
    // A brief belongs to its company (owner rule 'parent').
    ownerId: company.ownerId,
    title: result.title.slice(0, 200),
    summary: result.summary.slice(0, 20_000),
    source: 'ai',
    model: (queued ? provider.serverQueue.model : result.model).slice(0, 100),
    status: queued ? 'draft' : 'final',
    topics: result.topics,
    insights: {
      sources: result.sources,
      provider: provider.label,
      ...(queued ? { request: { integrationId: provider.serverQueue.integrationId, state: 'queued' } } : {}),
    },
    confidence: Math.max(0, Math.min(100, Math.round(result.confidence))),
    researchedAt: now().toISOString(),
  });
}

/** Requests for an online provider made while offline: company ids, run on reconnect (device state). */
export interface ResearchQueue {
  list(): string[];
  add(companyId: string): void;
  remove(companyId: string): void;
}

const QUEUE_KEY = 'crm.insights.research-queue';

export function localResearchQueue(storage: Pick<Storage, 'getItem' | 'setItem'> = localStorage): ResearchQueue {
  const read = (): string[] => {
    try {
      const value: unknown = JSON.parse(storage.getItem(QUEUE_KEY) ?? '[]');
      return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
    } catch {
      return [];
    }
  };
  const write = (ids: string[]) => storage.setItem(QUEUE_KEY, JSON.stringify(ids));
  return {
    list: read,
    add: (id) => write([...read().filter((x) => x !== id), id]),
    remove: (id) => write(read().filter((x) => x !== id)),
  };
}

/**
 * Generates a brief now, or queues it when the provider needs the network and the device is
 * offline. Returns the record, or 'queued'.
 */
export async function requestBrief(
  repos: Repositories,
  companyId: string,
  options: { provider?: ResearchProvider; online: boolean; queue: ResearchQueue; now?: () => Date },
): Promise<Research | 'queued'> {
  const provider = options.provider ?? offlineDigestProvider;
  if (provider.online && !options.online) {
    await repos.company.require(companyId);
    options.queue.add(companyId);
    return 'queued';
  }
  return generateBrief(repos, companyId, provider, options.now);
}

/** Runs the queued requests (on reconnect); a failed one stays queued for the next time. */
export async function runQueuedBriefs(
  repos: Repositories,
  provider: ResearchProvider,
  queue: ResearchQueue,
): Promise<{ done: string[]; failed: string[] }> {
  const done: string[] = [];
  const failed: string[] = [];
  for (const companyId of queue.list()) {
    try {
      await generateBrief(repos, companyId, provider);
      queue.remove(companyId);
      done.push(companyId);
    } catch (error) {
      if (error instanceof ValidationError) queue.remove(companyId);
      failed.push(companyId);
      console.warn(`[insights] queued research for ${companyId} failed`, error);
    }
  }
  return { done, failed };
}
