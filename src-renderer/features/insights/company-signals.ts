import type { ChurnInputs } from '../../../src-shared/ai/churn-risk';
import type { CompanyFacts } from '../../../src-shared/ai/company-research';
import type { EntityByName } from '../../../src-shared/entities/registry';
import type { EntityRecord } from '../../../src-shared/schema/define-entity';
import type { Repositories } from '../../db/repositories';
import { decimalsOf, formatMinor } from './money';

type Communication = EntityRecord<EntityByName<'communication'>>;

/** At most this many of a company's contacts are read (their conversations and content engagement). */
const CONTACT_CAP = 200;

const nameOf = (p: { firstName?: string; lastName?: string }) => [p.firstName, p.lastName].filter(Boolean).join(' ');

/** The company's contacts and every conversation with it or them, newest first, each once. */
async function companyPeopleAndTalk(repos: Repositories, companyId: string) {
  const contacts = await repos.contact.list({ where: { companyId }, limit: CONTACT_CAP });
  const lists = await Promise.all([
    repos.communication.list({ where: { subjectId: companyId } }),
    repos.communication.list({ where: { companyId } }),
    ...contacts.map((c) => repos.communication.list({ where: { subjectId: c.id } })),
  ]);
  const byId = new Map<string, Communication>();
  for (const c of lists.flat()) byId.set(c.id, c);
  const communications = [...byId.values()].sort((a, b) => b.occurredAt.localeCompare(a.occurredAt));
  return { contacts, communications };
}

/** What churnRisk reads about a company, from the local database. */
export async function churnInputs(repos: Repositories, companyId: string, now: Date): Promise<ChurnInputs> {
  const { contacts, communications } = await companyPeopleAndTalk(repos, companyId);
  const [tasks, deals, interactions] = await Promise.all([
    repos.task.list({ where: { subjectId: companyId } }),
    repos.deal.list({ where: { companyId } }),
    Promise.all(contacts.map((c) => repos.contentInteraction.list({ where: { subjectId: c.id } }))),
  ]);
  return {
    now,
    communications: communications.map((c) => ({ occurredAt: c.occurredAt, sentiment: c.sentiment })),
    tasks: tasks.map((t) => ({ status: t.status, dueAt: t.dueAt, priority: t.priority })),
    interactions: interactions.flat().map((i) => ({ occurredAt: i.occurredAt })),
    deals: deals.map((d) => ({
      stage: d.stage,
      type: d.type,
      expectedCloseDate: d.expectedCloseDate,
      closedAt: d.closedAt,
    })),
  };
}

const STAGE_WORDS: Record<string, string> = {
  prospecting: 'prospecting',
  qualification: 'qualification',
  proposal: 'proposal',
  negotiation: 'negotiation',
  closedWon: 'closedWon',
  closedLost: 'closedLost',
};

/**
 * What the local database knows about a company, for a research brief: the company and its parent,
 * its people, its deals with amounts formatted in their currency, recent conversations and its
 * social profiles. Throws NotFoundError for an unknown company.
 */
export async function companyFacts(repos: Repositories, companyId: string): Promise<CompanyFacts> {
  const company = await repos.company.require(companyId);
  const [parent, { contacts, communications }, deals, profiles, currencies] = await Promise.all([
    company.parentCompanyId ? repos.company.get(company.parentCompanyId) : Promise.resolve(undefined),
    companyPeopleAndTalk(repos, companyId),
    repos.deal.list({ where: { companyId } }),
    repos.socialProfile.list({ where: { subjectId: companyId } }),
    repos.currency.list(),
  ]);
  const decimals = new Map(currencies.map((c) => [c.code, c.decimals]));
  return {
    company: {
      name: company.name,
      industry: company.industry,
      type: company.type,
      employeeCount: company.employeeCount,
      foundedYear: company.foundedYear,
      city: company.city,
      country: company.country,
      website: company.website,
      description: company.description,
    },
    ...(parent && !parent.isDeleted ? { parentName: parent.name } : {}),
    contacts: contacts.map((c) => ({ name: nameOf(c), jobTitle: c.jobTitle })),
    deals: deals.map((d) => ({
      name: d.name,
      stage: STAGE_WORDS[d.stage] ?? d.stage,
      amount: formatMinor(d.amount, d.currency, decimals.get(d.currency) ?? decimalsOf(d.currency)),
      closedAt: d.closedAt,
    })),
    recentActivity: communications.slice(0, 10).map((c) => ({
      at: c.occurredAt,
      what: [c.type, c.subject].filter(Boolean).join(': '),
    })),
    socialProfiles: profiles.map((p) => ({ network: p.platform, url: p.url, followers: p.followers })),
  };
}
