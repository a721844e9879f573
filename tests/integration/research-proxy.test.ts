import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { configuredProvider, generateBrief } from '../../src-renderer/features/insights/research.service';
import { openTestDb } from '../support/local-db';
import { doc, ORG_USERS, pullAllAs, seed, startScopedServer } from './sync-scope-fixtures';
import { BACKENDS } from './sync-server-fixtures';

/**
 * Issue 5: a language model endpoint that needs an API key, used from a device that holds no
 * secret. The key lives on the server (RESEARCH_API_KEY); the device asks POST /research/complete,
 * the server forwards to the integration's endpoint with the key. A real fake endpoint on loopback
 * checks what arrives; the device's database and what it pulls are searched for the key.
 */

const [postgres] = BACKENDS;
if (!postgres) throw new Error('no Postgres backend');

const KEY = 'sk-test-research-key-0f9e8d7c6b5a';

interface Call {
  path: string | undefined;
  headers: IncomingHttpHeaders;
  body: { model?: string; messages?: { role: string; content: string }[]; temperature?: number };
}

/** An OpenAI-compatible endpoint on a free loopback port answering each call with the next status (then 200). */
async function fakeModel(statuses: number[] = []): Promise<{ url: string; calls: Call[] }> {
  const calls: Call[] = [];
  const server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => {
      raw += chunk.toString('utf8');
    });
    request.on('end', () => {
      calls.push({ path: request.url, headers: request.headers, body: JSON.parse(raw) as Call['body'] });
      response.statusCode = statuses.shift() ?? 200;
      response.setHeader('content-type', 'application/json');
      response.end(
        response.statusCode === 200
          ? JSON.stringify({
              model: 'fake-llm-2026',
              choices: [{ message: { content: ' Acme brief by the model. ' } }],
            })
          : JSON.stringify({ error: { message: 'invalid api key' } }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, calls };
}

async function start(endpointUrl: string) {
  if (!postgres) throw new Error('no Postgres backend');
  vi.stubEnv('RESEARCH_API_KEY', KEY);
  onTestFinished(() => {
    vi.unstubAllEnvs();
  });
  const db = await postgres.open();
  const app = await startScopedServer(db);
  const integration = {
    id: 'int_llm',
    provider: 'openai',
    status: 'active',
    endpointUrl,
    config: { model: 'fake-llm' },
    isDeleted: false,
  } as const;
  await seed(db, 'settings', [
    doc('externalIntegration', integration.id, {
      name: 'Research model',
      provider: integration.provider,
      status: integration.status,
      endpointUrl,
      config: integration.config,
      ownerId: ORG_USERS.admin.id,
      createdBy: ORG_USERS.admin.id,
      updatedBy: ORG_USERS.admin.id,
    }),
  ]);
  const serverUrl = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
  // The device's authenticated fetch (the scoped test server reads the user from x-user-id).
  const asRep: typeof fetch = (input, init) =>
    fetch(input, {
      ...init,
      headers: { ...(init?.headers as Record<string, string>), 'x-user-id': ORG_USERS.repA1.id },
    });
  const complete = (body: unknown) =>
    app.inject({
      method: 'POST',
      url: '/research/complete',
      headers: { 'content-type': 'application/json', 'x-user-id': ORG_USERS.repA1.id },
      payload: JSON.stringify(body),
    });
  return { app, db, serverUrl, integration, asRep, complete };
}

describe('research through the server proxy (Postgres, a fake model on loopback)', () => {
  it('writes a brief from a keyed endpoint; the key goes from the server to the endpoint and nowhere else', async () => {
    const model = await fakeModel();
    const h = await start(model.url);
    const t = await openTestDb();
    onTestFinished(() => t.close());
    const company = await t.repos.company.create({ name: 'Acme Robotics', industry: 'Manufacturing' });
    const provider = configuredProvider([h.integration], undefined, { serverUrl: h.serverUrl, fetch: h.asRep });
    if (!provider) throw new Error('no provider for the integration');

    const brief = await generateBrief(t.repos, company.id, provider);
    expect(brief).toMatchObject({ summary: 'Acme brief by the model.', model: 'fake-llm-2026', source: 'ai' });
    expect((brief.insights as { sources: string[] }).sources).toContain('fake-llm via the sync server');

    expect(model.calls).toHaveLength(1);
    const [call] = model.calls;
    expect(call?.path).toBe('/v1/chat/completions');
    expect(call?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(call?.body.model).toBe('fake-llm');
    expect(call?.body.messages?.map((m) => m.role)).toEqual(['system', 'user']);
    expect(call?.body.messages?.[1]?.content).toMatch(/^Acme Robotics: Manufacturing company/);

    // Nothing the device holds or pulls carries the key.
    const local: unknown[] = [];
    for (const collection of Object.values(t.db.rx.collections)) {
      for (const d of await collection.find().exec()) local.push(d.toJSON());
    }
    expect(local.length).toBeGreaterThan(1);
    expect(JSON.stringify(local)).not.toContain(KEY);
    const pulled = await pullAllAs(h.app, h.db, 'admin', 'settings');
    expect(pulled.documents.some((d) => d.id === 'int_llm')).toBe(true);
    expect(JSON.stringify(pulled)).not.toContain(KEY);
  });

  it('refuses bad requests naming the field, says when the endpoint fails, and limits each user', async () => {
    const model = await fakeModel([401]);
    const h = await start(model.url);
    const ok = { integrationId: 'int_llm', messages: [{ role: 'user', content: 'Brief on Acme' }] };
    const refused = async (body: unknown) => {
      const reply = await h.complete(body);
      return [reply.statusCode, (reply.json() as { field?: string }).field];
    };
    expect(await refused({ messages: ok.messages })).toEqual([400, 'integrationId']);
    expect(await refused({ ...ok, integrationId: 'no such/id' })).toEqual([400, 'integrationId']);
    expect(await refused({ ...ok, messages: [] })).toEqual([400, 'messages']);
    expect(await refused({ ...ok, messages: [{ role: 'assistant', content: 'x' }] })).toEqual([400, 'messages.0.role']);
    expect(await refused({ ...ok, messages: [{ role: 'user', content: '   ' }] })).toEqual([400, 'messages.0.content']);
    expect(await refused({ ...ok, temperature: 9 })).toEqual([400, 'temperature']);
    expect(await refused({ ...ok, url: 'https://attacker.example/v1' })).toEqual([400, 'url']);
    expect(await refused({ ...ok, integrationId: 'int_none' })).toEqual([404, 'integrationId']);
    const anonymous = await h.app.inject({ method: 'POST', url: '/research/complete', payload: ok });
    expect(anonymous.statusCode).toBe(401);
    expect(model.calls).toHaveLength(0);

    // The endpoint refuses (a wrong key): 502 saying so, without the key.
    const failed = await h.complete(ok);
    expect(failed.statusCode).toBe(502);
    expect(failed.json()).toMatchObject({ error: expect.stringMatching(/answered 401/) });
    expect(failed.body).not.toContain(KEY);

    let status = 200;
    for (let i = 0; i < 30 && status === 200; i++) status = (await h.complete(ok)).statusCode;
    expect(status).toBe(429);
    expect(model.calls.length).toBeLessThanOrEqual(21);
  });
});
