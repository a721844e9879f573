import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { churnRisk } from '../../../../src-shared/ai/churn-risk';
import {
  type CompanyFacts,
  offlineDigestProvider,
  openAiCompatibleProvider,
  ResearchProviderError,
} from '../../../../src-shared/ai/company-research';
import { recommendContent } from '../../../../src-shared/ai/content-recommendations';

const NOW = new Date('2026-11-01T00:00:00.000Z');
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000).toISOString();

describe('churn risk', () => {
  it('is low for a customer in steady, friendly contact', () => {
    const communications = [5, 20, 40, 70, 100, 130, 160].map((d) => ({
      occurredAt: daysAgo(d),
      sentiment: 'positive',
    }));
    const risk = churnRisk({ now: NOW, communications, tasks: [], interactions: [], deals: [] });
    expect(risk).toEqual({ risk: 0, level: 'low', reasons: [] });
  });

  it('rises with silence, falling activity, sour calls and open issues, each a reason', () => {
    const communications = [
      ...[100, 110, 120, 130, 140, 150].map((d) => ({ occurredAt: daysAgo(d) })),
      { occurredAt: daysAgo(80), sentiment: 'negative' },
    ];
    const risk = churnRisk({
      now: NOW,
      communications,
      tasks: [
        { status: 'open', dueAt: daysAgo(10), priority: 'normal' },
        { status: 'open', priority: 'urgent' },
        { status: 'completed', dueAt: daysAgo(10) },
      ],
      interactions: [...[100, 120, 140].map((d) => ({ occurredAt: daysAgo(d) }))],
      deals: [],
    });
    expect(risk.level).toBe('high');
    const labels = risk.reasons.map((r) => r.label);
    expect(labels).toEqual(
      expect.arrayContaining([
        'Activity down from 6 to 1 in the last 90 days',
        'No conversation for 80 days',
        '1 of 1 recent conversations negative',
        '2 open issues overdue or urgent',
        'Content engagement down from 3 to 0',
      ]),
    );
    expect(risk.reasons.map((r) => r.points)).toEqual([...risk.reasons.map((r) => r.points)].sort((a, b) => b - a));
    expect(risk.risk).toBe(
      Math.min(
        100,
        risk.reasons.reduce((s, r) => s + r.points, 0),
      ),
    );
  });

  it('flags a renewal due with no renewal deal open', () => {
    const communications = [5, 50, 100, 150].map((d) => ({ occurredAt: daysAgo(d) }));
    const deals = [{ stage: 'closedWon', expectedCloseDate: daysAgo(330).slice(0, 10) }];
    const without = churnRisk({ now: NOW, communications, tasks: [], interactions: [], deals });
    expect(without.reasons.map((r) => r.label)).toContain('A year since the last win and no renewal deal open');
    const withRenewal = churnRisk({
      now: NOW,
      communications,
      tasks: [],
      interactions: [],
      deals: [...deals, { stage: 'proposal', type: 'renewal' }],
    });
    expect(withRenewal.reasons).toEqual([]);
  });
});

describe('content recommendations', () => {
  const interactions = [
    { subjectId: 'me', contentId: 'pricing-guide' },
    { subjectId: 'a', contentId: 'pricing-guide' },
    { subjectId: 'a', contentId: 'roi-calculator' },
    { subjectId: 'b', contentId: 'pricing-guide' },
    { subjectId: 'b', contentId: 'roi-calculator' },
    { subjectId: 'b', contentId: 'case-study' },
    { subjectId: 'c', contentId: 'webinar' },
    { subjectId: 'd', contentId: 'webinar' },
    { subjectId: 'e', contentId: 'webinar' },
  ];
  const available = ['pricing-guide', 'roi-calculator', 'case-study', 'webinar'];

  it('recommends what similar records engaged with, never what was already seen', () => {
    const recommendations = recommendContent({ subjectId: 'me', interactions, available });
    expect(recommendations.map((r) => r.contentId)).toEqual(['roi-calculator', 'case-study']);
    expect(recommendations[0]?.reason).toBe('Engaged 2 records with the same interests');
  });

  it('leaves out content that may not be sent', () => {
    const recommendations = recommendContent({
      subjectId: 'me',
      interactions,
      available: ['pricing-guide', 'case-study'],
    });
    expect(recommendations.map((r) => r.contentId)).toEqual(['case-study']);
  });

  it('starts a record with no history on what is popular among records like it', () => {
    const attributes = new Map([
      ['new', 'Retail'],
      ['c', 'Retail'],
      ['d', 'Retail'],
      ['a', 'Software'],
      ['b', 'Software'],
    ]);
    const recommendations = recommendContent({ subjectId: 'new', interactions, available, attributes });
    expect(recommendations[0]).toMatchObject({ contentId: 'webinar', reason: 'Popular in Retail: engaged 2 records' });
  });
});

const FACTS: CompanyFacts = {
  company: {
    name: 'Acme GmbH',
    industry: 'Manufacturing',
    employeeCount: 1200,
    foundedYear: 1987,
    city: 'Berlin',
    country: 'Germany',
  },
  parentName: 'Acme Holding',
  contacts: [{ name: 'Ada Lovelace', jobTitle: 'CTO' }, { name: 'Bob Byte' }],
  deals: [
    { name: 'Acme renewal', stage: 'proposal', amount: '€48,000.00' },
    { name: 'Acme pilot', stage: 'closedWon', amount: '€12,000.00', closedAt: '2026-03-01T00:00:00.000Z' },
  ],
  recentActivity: [{ at: '2026-10-20T10:00:00.000Z', what: 'call: pricing questions' }],
  socialProfiles: [{ network: 'linkedin', url: 'https://www.linkedin.com/company/acme', followers: 5400 }],
};

describe('company research', () => {
  it('the offline digest writes a brief from what the CRM knows, with its sources', async () => {
    const result = await offlineDigestProvider.research(FACTS);
    expect(result.title).toBe('Acme GmbH: account brief');
    expect(result.summary).toContain(
      'Acme GmbH: Manufacturing company, about 1,200 employees, founded 1987, based in Berlin, Germany, part of Acme Holding.',
    );
    expect(result.summary).toContain('2 deals on record, 1 won, 1 open (Acme renewal, proposal, €48,000.00)');
    expect(result.summary).toContain('Ada Lovelace (CTO), Bob Byte');
    expect(result.summary).toContain('2026-10-20 call: pricing questions');
    expect(result.sources).toEqual(
      expect.arrayContaining([
        'CRM: 2 deals',
        'CRM: 2 contacts',
        'CRM: 1 recent activity',
        'https://www.linkedin.com/company/acme',
      ]),
    );
    expect(result.model).toBe('offline-digest-1');
    expect(result.confidence).toBe(100);
  });

  const servers: { close: () => void }[] = [];
  afterEach(() => {
    for (const s of servers.splice(0)) s.close();
  });

  async function fakeModelServer(status: number, body: unknown) {
    const requests: { auth?: string; body: unknown }[] = [];
    const server = createServer((req, res) => {
      let text = '';
      req.on('data', (c) => {
        text += c;
      });
      req.on('end', () => {
        requests.push({ auth: req.headers.authorization, body: JSON.parse(text) });
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/`, requests };
  }

  it('an OpenAI-compatible endpoint gets the digest and returns its brief, with model and sources', async () => {
    const server = await fakeModelServer(200, {
      model: 'local-llm-7b',
      choices: [{ message: { content: 'Acme is a steady manufacturer. Next: confirm the renewal budget.' } }],
    });
    const provider = openAiCompatibleProvider({ baseUrl: server.url, apiKey: 'sk-test', model: 'local-llm' });
    const result = await provider.research(FACTS);
    expect(result.summary).toBe('Acme is a steady manufacturer. Next: confirm the renewal budget.');
    expect(result.model).toBe('local-llm-7b');
    expect(result.sources).toContain(`local-llm via ${server.url}`);
    expect(server.requests[0]?.auth).toBe('Bearer sk-test');
    expect(JSON.stringify(server.requests[0]?.body)).toContain('Acme GmbH: Manufacturing company');
  });

  it('says clearly when the endpoint fails or cannot be reached', async () => {
    const server = await fakeModelServer(401, { error: 'bad key' });
    const provider = openAiCompatibleProvider({ baseUrl: server.url, model: 'm' });
    await expect(provider.research(FACTS)).rejects.toThrow(/answered 401/);
    const unreachable = openAiCompatibleProvider({ baseUrl: 'http://127.0.0.1:9/v1', model: 'm' });
    await expect(unreachable.research(FACTS)).rejects.toBeInstanceOf(ResearchProviderError);
  });
});
