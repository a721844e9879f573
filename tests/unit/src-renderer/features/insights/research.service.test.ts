import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  configuredProvider,
  generateBrief,
  localResearchQueue,
  requestBrief,
  runQueuedBriefs,
} from '../../../../../src-renderer/features/insights/research.service';
import { ValidationError } from '../../../../../src-shared/schema/validation-error';
import { openTestDb, type TestDb } from '../../../../support/local-db';

let t: TestDb;
beforeEach(async () => {
  t = await openTestDb();
});
afterEach(async () => {
  await t.close();
});

function memoryStorage() {
  const data = new Map<string, string>();
  return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v) };
}

async function acme() {
  const parent = await t.repos.company.create({ name: 'Acme Holdings' });
  const company = await t.repos.company.create({
    name: 'Acme Robotics',
    industry: 'Manufacturing',
    employeeCount: 420,
    city: 'Lyon',
    country: 'France',
    parentCompanyId: parent.id,
    ownerId: 'user-rep-2',
  });
  await t.repos.contact.create({ firstName: 'Ada', lastName: 'Byron', jobTitle: 'CTO', companyId: company.id });
  await t.repos.deal.create({
    name: 'Acme arms',
    companyId: company.id,
    amount: 1_250_000,
    currency: 'EUR',
    stage: 'proposal',
  });
  await t.repos.communication.create({
    type: 'call',
    subjectType: 'company',
    subjectId: company.id,
    subject: 'Pricing call',
    occurredAt: '2026-10-20T10:00:00.000Z',
  });
  await t.repos.socialProfile.create({
    subjectType: 'company',
    subjectId: company.id,
    platform: 'linkedin',
    url: 'https://www.linkedin.com/company/acme-robotics',
    followers: 1200,
  });
  return company;
}

const integration = {
  id: 'int_llm',
  provider: 'openai' as const,
  status: 'active' as const,
  endpointUrl: 'http://llm.local:8080/v1',
  config: { model: 'llama-3.1-8b' },
  isDeleted: false,
};

describe('company research', () => {
  it('writes an offline digest of what the CRM knows as CompanyResearch (source ai, model, sources)', async () => {
    const company = await acme();
    const brief = await generateBrief(t.repos, company.id, undefined, () => new Date('2026-11-01T09:30:00.000Z'));
    expect(brief).toMatchObject({
      companyId: company.id,
      ownerId: 'user-rep-2',
      source: 'ai',
      model: 'offline-digest-1',
      status: 'final',
      researchedAt: '2026-11-01T09:30:00.000Z',
      title: 'Acme Robotics: account brief',
    });
    expect(brief.summary).toContain('part of Acme Holdings');
    expect(brief.summary).toContain('Ada Byron (CTO)');
    expect(brief.summary).toMatch(/Acme arms, proposal, €12,500/);
    expect(brief.summary).toContain('Pricing call');
    expect(brief.insights).toMatchObject({ provider: 'Offline digest (what the CRM knows)' });
    expect((brief.insights as { sources: string[] }).sources).toContain(
      'https://www.linkedin.com/company/acme-robotics',
    );
    expect(brief.confidence).toBeGreaterThan(50);
    expect(await t.repos.companyResearch.count({ where: { companyId: company.id } })).toBe(1);
  });

  it('rejects a missing or unknown company with the field named, writing nothing', async () => {
    for (const id of ['', '  ', 'company-nope']) {
      const error = await generateBrief(t.repos, id).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).message).toMatch(/companyId/);
    }
    expect(await t.repos.companyResearch.count()).toBe(0);
  });

  it('uses the language model an admin configured, and only a complete, active one', () => {
    expect(configuredProvider([integration])?.id).toBe('openai-compatible');
    expect(configuredProvider([{ ...integration, status: 'paused' }])).toBeUndefined();
    expect(configuredProvider([{ ...integration, config: {} }])).toBeUndefined();
    expect(configuredProvider([{ ...integration, config: { model: 7 } }])).toBeUndefined();
    expect(configuredProvider([{ ...integration, endpointUrl: undefined }])).toBeUndefined();
    expect(configuredProvider([{ ...integration, provider: 'webhook' }])).toBeUndefined();
  });

  it('queues a language-model request made offline and runs it on reconnect', async () => {
    const company = await acme();
    const queue = localResearchQueue(memoryStorage());
    let calls = 0;
    const fakeFetch = (async () => {
      calls++;
      return new Response(
        JSON.stringify({ model: 'llama-3.1-8b', choices: [{ message: { content: 'Acme: a brief from the model.' } }] }),
        { status: 200, headers: { 'content-type': 'application/json' } },
      );
    }) as typeof fetch;
    const provider = configuredProvider([integration], fakeFetch);
    expect(await requestBrief(t.repos, company.id, { provider, online: false, queue })).toBe('queued');
    expect(queue.list()).toEqual([company.id]);
    expect(calls).toBe(0);
    // An unknown company is refused at once, not queued.
    await expect(requestBrief(t.repos, 'company-nope', { provider, online: false, queue })).rejects.toThrow();
    expect(queue.list()).toEqual([company.id]);

    if (!provider) throw new Error('no provider');
    const { done } = await runQueuedBriefs(t.repos, provider, queue);
    expect(done).toEqual([company.id]);
    expect(queue.list()).toEqual([]);
    const [brief] = await t.repos.companyResearch.list({ where: { companyId: company.id } });
    expect(brief).toMatchObject({ summary: 'Acme: a brief from the model.', model: 'llama-3.1-8b', source: 'ai' });
  });

  it('signed in, queues the request for the sync server as a draft brief, and still queues offline for the reconnect', async () => {
    const company = await acme();
    const queue = localResearchQueue(memoryStorage());
    let calls = 0;
    // The device calls nothing itself: the server runs the model (tests/integration/research-queue.test.ts).
    const sessionFetch = (async () => {
      calls++;
      return new Response('{}', { status: 500 });
    }) as typeof fetch;
    const provider = configuredProvider([integration], undefined, {
      serverUrl: 'https://crm.example.com/',
      fetch: sessionFetch,
    });
    if (!provider) throw new Error('no provider');
    expect(provider.online).toBe(true);
    expect(await requestBrief(t.repos, company.id, { provider, online: false, queue })).toBe('queued');
    expect((await runQueuedBriefs(t.repos, provider, queue)).done).toEqual([company.id]);
    expect(calls).toBe(0);
    const [brief] = await t.repos.companyResearch.list({ where: { companyId: company.id } });
    expect(brief).toMatchObject({
      source: 'ai',
      status: 'draft',
      model: 'llama-3.1-8b',
      insights: { request: { integrationId: 'int_llm', state: 'queued' } },
    });
    expect(brief?.summary).toContain('Acme');
  });

  it('keeps a queued request when the endpoint fails, and reads a corrupt queue as empty', async () => {
    const company = await acme();
    const storage = memoryStorage();
    const queue = localResearchQueue(storage);
    queue.add(company.id);
    const down = (async () => new Response('nope', { status: 503, statusText: 'Unavailable' })) as typeof fetch;
    const provider = configuredProvider([integration], down);
    if (!provider) throw new Error('no provider');
    expect((await runQueuedBriefs(t.repos, provider, queue)).failed).toEqual([company.id]);
    expect(queue.list()).toEqual([company.id]);
    expect(await t.repos.companyResearch.count()).toBe(0);
    storage.setItem('crm.insights.research-queue', '{not json');
    expect(queue.list()).toEqual([]);
  });
});
