import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import {
  configuredProvider,
  localResearchQueue,
  requestBrief,
  runQueuedBriefs,
} from '../../src-renderer/features/insights/research.service';
import type { CollectionName } from '../../src-shared/schema/define-entity';
import { IntegrationsWorker } from '../../sync-server/src/integrations/integrations.worker';
import { fakeModel } from '../support/fake-openai';
import { openTestDb } from '../support/local-db';
import { closeDevices, type NodeDevice, offlineDevice, syncDevice } from '../support/node-device-sync';
import { startTestServer, type TestServer } from '../support/sync-server';
import { doc, ORG_USERS, scopedHeaderAuthenticate, seed, seedOrg } from './sync-scope-fixtures';

/**
 * Company research on the server's durable job queue (issue 8), from a device that holds no secret:
 * rep A1's device asks for a brief while offline (the app's own research service and queue); on
 * reconnect the request is written as a draft brief and synced; the push queues a `research_jobs`
 * row; the server's worker calls a real OpenAI-compatible endpoint on loopback with the key only it
 * holds, and writes the model's brief (provider, model, time, sources) onto the record, which the
 * device pulls. Real Postgres, the real sync server, an RxDB device replicating over HTTP.
 */

const KEY = 'sk-test-research-key-0f9e8d7c6b5a';
const COLLECTIONS: CollectionName[] = ['companies', 'contacts', 'deals', 'activities', 'research', 'settings', 'audit'];
const memoryStorage = () => {
  const items = new Map<string, string>();
  return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v) };
};

let server: TestServer;
const devices: NodeDevice[] = [];
beforeAll(async () => {
  server = await startTestServer('crm_research_queue', {
    authenticate: scopedHeaderAuthenticate,
    beforeListen: (_app, db) => seedOrg(db),
  });
});
afterAll(async () => {
  await closeDevices(devices);
  await server?.close();
});

async function integration(id: string, endpointUrl: string) {
  await seed(server.db, 'settings', [
    doc('externalIntegration', id, {
      name: 'Research model',
      provider: 'openai',
      status: 'active',
      endpointUrl,
      config: { model: 'fake-llm' },
      ownerId: ORG_USERS.admin.id,
      createdBy: ORG_USERS.admin.id,
      updatedBy: ORG_USERS.admin.id,
    }),
  ]);
}

async function device(deviceId: string): Promise<NodeDevice> {
  const userId = ORG_USERS.repA1.id;
  let seq = 0;
  const t = await openTestDb({
    collections: COLLECTIONS,
    actor: () => ({ userId, deviceId }),
    newId: () => `${deviceId}-${++seq}`,
  });
  const d: NodeDevice = { t };
  devices.push(d);
  return d;
}

function worker(clock: { now: Date }) {
  return new IntegrationsWorker({
    db: server.db,
    now: () => clock.now,
    research: { apiKey: KEY, retryDelayMs: 1000, maxAttempts: 2 },
  });
}

const jobs = async () =>
  (
    await server.db.query<{ research_id: string; status: string; attempts: number; last_error: string | null }>(
      'SELECT research_id, status, attempts, last_error FROM research_jobs ORDER BY research_id',
    )
  ).rows;

describe('company research on the durable queue (Postgres, a fake model on loopback)', () => {
  it('runs a brief asked for offline once the device reconnects; the device pulls the model brief, never the key', async () => {
    const model = await fakeModel();
    onTestFinished(() => model.close());
    await integration('int_llm', model.url);
    const d = await device('dev-research');
    await syncDevice(server, d);
    const company = await d.t.repos.company.create({ name: 'Acme Robotics', industry: 'Manufacturing' });
    const integrations = await d.t.repos.externalIntegration.list();
    const provider = configuredProvider(integrations, undefined, { serverUrl: server.url, fetch });
    if (!provider) throw new Error('no provider for the integration');

    await offlineDevice(d);
    const queue = localResearchQueue(memoryStorage());
    expect(await requestBrief(d.t.repos, company.id, { provider, online: false, queue })).toBe('queued');
    expect(await jobs()).toEqual([]);

    // Reconnect: the app drains its queue (a draft brief) and syncs it; the push queues the job.
    expect((await runQueuedBriefs(d.t.repos, provider, queue)).done).toEqual([company.id]);
    await syncDevice(server, d);
    const [draft] = await d.t.repos.companyResearch.list({ where: { companyId: company.id } });
    if (!draft) throw new Error('no draft brief');
    expect(draft).toMatchObject({ status: 'draft', insights: { request: { state: 'queued' } } });
    expect(await jobs()).toMatchObject([{ research_id: draft.id, status: 'pending', attempts: 0 }]);
    expect(model.calls).toEqual([]);

    const clock = { now: new Date() };
    expect((await worker(clock).runResearch()).map((o) => [o.researchId, o.status])).toEqual([[draft.id, 'done']]);
    // Pushing the same draft again, or another worker looking, runs nothing more.
    expect(await worker(clock).runResearch()).toEqual([]);
    expect(model.calls).toHaveLength(1);
    const [call] = model.calls;
    expect(call?.path).toBe('/v1/chat/completions');
    expect(call?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(call?.body.model).toBe('fake-llm');
    expect(call?.body.messages?.map((m) => m.role)).toEqual(['system', 'user']);
    expect(call?.body.messages?.[1]?.content).toMatch(/^Acme Robotics: Manufacturing company/);

    await syncDevice(server, d);
    const brief = await d.t.repos.companyResearch.get(draft.id);
    expect(brief).toMatchObject({
      summary: 'Acme brief by the model.',
      model: 'fake-llm-2026',
      source: 'ai',
      status: 'final',
      researchedAt: clock.now.toISOString(),
      insights: { provider: 'Language model (fake-llm)', request: { state: 'done' } },
    });
    expect((brief?.insights as { sources: string[] } | undefined)?.sources).toContain('fake-llm via the sync server');
    await offlineDevice(d);

    // Nothing the device holds carries the key.
    const local: unknown[] = [];
    for (const collection of Object.values(d.t.db.rx.collections)) {
      for (const x of await collection.find().exec()) local.push(x.toJSON());
    }
    expect(JSON.stringify(local)).not.toContain(KEY);
  });

  it('retries a failing endpoint, then marks the brief stale with the reason; an unknown integration fails at once', async () => {
    const model = await fakeModel([503, 503]);
    onTestFinished(() => model.close());
    await integration('int_flaky', model.url);
    const d = await device('dev-research-2');
    await syncDevice(server, d);
    const company = await d.t.repos.company.create({ name: 'Flaky Ltd' });
    const integrations = await d.t.repos.externalIntegration.list({ where: { id: 'int_flaky' } });
    const provider = configuredProvider(integrations, undefined, { serverUrl: server.url, fetch });
    if (!provider) throw new Error('no provider for the integration');
    const queue = localResearchQueue(memoryStorage());
    const draft = await requestBrief(d.t.repos, company.id, { provider, online: true, queue });
    if (draft === 'queued') throw new Error('queued while online');
    // A request naming an integration the server does not have (a device cannot point the key elsewhere).
    const forged = await d.t.repos.companyResearch.create({
      companyId: company.id,
      ownerId: ORG_USERS.repA1.id,
      title: 'Forged',
      summary: 'Flaky Ltd.',
      source: 'ai',
      status: 'draft',
      insights: { request: { integrationId: 'int_elsewhere', state: 'queued' } },
      researchedAt: new Date(d.t.db.clock.now()).toISOString(),
    });
    await syncDevice(server, d);
    await offlineDevice(d);

    const clock = { now: new Date() };
    const first = await worker(clock).runResearch();
    expect(first.map((o) => [o.researchId, o.status]).sort()).toEqual(
      [
        [draft.id, 'pending'],
        [forged.id, 'failed'],
      ].sort(),
    );
    expect(first.find((o) => o.researchId === forged.id)?.error).toBe(
      'no active language model integration int_elsewhere',
    );
    expect(await worker(clock).runResearch()).toEqual([]); // not before the retry is due
    clock.now = new Date(clock.now.getTime() + 1000);
    expect((await worker(clock).runResearch()).map((o) => o.status)).toEqual(['failed']);
    expect(model.calls).toHaveLength(2);

    await syncDevice(server, d);
    expect(await d.t.repos.companyResearch.get(draft.id)).toMatchObject({
      status: 'stale',
      summary: expect.stringContaining('Flaky Ltd'),
      insights: { request: { state: 'failed', error: expect.stringMatching(/answered 503/) } },
    });
    expect(await d.t.repos.companyResearch.get(forged.id)).toMatchObject({
      status: 'stale',
      insights: { request: { state: 'failed', error: 'no active language model integration int_elsewhere' } },
    });
  });
});
