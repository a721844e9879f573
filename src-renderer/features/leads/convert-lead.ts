import { type DealStage, STAGE_PROBABILITY } from '../../../src-shared/entities/enums';
import type { DocumentEntityName, EntityByName } from '../../../src-shared/entities/registry';
import type { EntityRecord } from '../../../src-shared/schema/define-entity';
import { ValidationError } from '../../../src-shared/schema/validation-error';
import type { Repositories } from '../../db/repositories';

type Rec<N extends DocumentEntityName> = EntityRecord<EntityByName<N>>;

export interface ConvertLeadOptions {
  /** Use this company instead of matching or creating one. */
  companyId?: string;
  /** Create a deal too; amount and currency default to the lead's estimate. */
  deal?: { name?: string; amount?: number; currency?: string; stage?: DealStage; expectedCloseDate?: string };
}

export interface ConversionResult {
  lead: Rec<'lead'>;
  contact: Rec<'contact'>;
  company?: Rec<'company'>;
  companyCreated: boolean;
  deal?: Rec<'deal'>;
}

/** Mail providers whose domain says nothing about the person's company. */
const FREE_MAIL = new Set([
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'hotmail.com',
  'outlook.com',
  'icloud.com',
  'aol.com',
  'proton.me',
  'protonmail.com',
  'gmx.de',
  'web.de',
]);

export function companyDomainOf(lead: { companyDomain?: string; email?: string }): string | undefined {
  const raw = lead.companyDomain ?? lead.email?.split('@')[1];
  const domain = raw
    ?.trim()
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/^www\./, '')
    .replace(/\/.*$/, '');
  return domain && !FREE_MAIL.has(domain) ? domain : undefined;
}

/** The company a lead's conversion links to: the first one with its domain, else with its name. */
export async function findCompany(repos: Repositories, domain: string | undefined, name: string | undefined) {
  if (domain) {
    const [byDomain] = await repos.company.list({ where: { domain }, limit: 1 });
    if (byDomain) return byDomain;
  }
  if (name) {
    const [byName] = await repos.company.list({ where: { name }, limit: 1 });
    if (byName) return byName;
  }
  return undefined;
}

/**
 * Converts a lead into a contact, a company (matched by domain or name, else created) and
 * optionally a deal, wiring the references and marking the lead converted. Every record is
 * validated before the first write; if a write still fails, the records already written are
 * removed again, so a conversion is all or nothing.
 */
export async function convertLead(
  repos: Repositories,
  leadId: string,
  options: ConvertLeadOptions = {},
): Promise<ConversionResult> {
  const lead = await repos.lead.require(leadId);
  if (lead.status === 'converted')
    throw new ValidationError('lead', [{ field: 'status', problem: 'the lead is already converted' }]);
  if (lead.isDeleted)
    throw new ValidationError('lead', [{ field: 'isDeleted', problem: 'a deleted lead cannot be converted' }]);

  const domain = companyDomainOf(lead);
  const existing = options.companyId
    ? await repos.company.require(options.companyId)
    : await findCompany(repos, domain, lead.companyName);
  const companyName = lead.companyName ?? domain;
  const newCompany =
    existing || !companyName
      ? undefined
      : await repos.company.check({
          name: companyName,
          ...(domain ? { domain } : {}),
          ...(lead.industry ? { industry: lead.industry } : {}),
          ...(lead.employeeCount !== undefined ? { employeeCount: lead.employeeCount } : {}),
          ...(lead.country ? { country: lead.country } : {}),
          source: lead.source,
          ownerId: lead.ownerId,
        });
  const company = existing ?? newCompany;

  const contact = await repos.contact.check({
    firstName: lead.firstName ?? lead.lastName,
    ...(lead.firstName ? { lastName: lead.lastName } : {}),
    ...(lead.email ? { email: lead.email } : {}),
    ...(lead.phone ? { phone: lead.phone } : {}),
    ...(lead.jobTitle ? { jobTitle: lead.jobTitle } : {}),
    ...(lead.country ? { country: lead.country } : {}),
    ...(company ? { companyId: company.id } : {}),
    source: lead.source,
    lifecycleStage: options.deal ? 'opportunity' : 'salesQualified',
    convertedFromLeadId: lead.id,
    ownerId: lead.ownerId,
  });

  const stage = options.deal?.stage ?? 'qualification';
  const deal = options.deal
    ? await repos.deal.check({
        name: options.deal.name ?? `${company?.name ?? contact.firstName} – ${lead.campaign ?? 'new business'}`,
        amount: options.deal.amount ?? lead.estimatedValue ?? 0,
        currency: options.deal.currency ?? lead.currency ?? 'USD',
        stage,
        probability: STAGE_PROBABILITY[stage],
        ...(options.deal.expectedCloseDate ? { expectedCloseDate: options.deal.expectedCloseDate } : {}),
        ...(company ? { companyId: company.id } : {}),
        contactId: contact.id,
        leadId: lead.id,
        source: lead.source,
        type: 'newBusiness',
        ownerId: lead.ownerId,
      })
    : undefined;

  const written: (() => Promise<void>)[] = [];
  try {
    if (newCompany) {
      await repos.company.create(withoutStamps(newCompany));
      written.push(() => repos.company.discard(newCompany.id));
    }
    await repos.contact.create(withoutStamps(contact));
    written.push(() => repos.contact.discard(contact.id));
    if (deal) {
      const created = await repos.deal.create(withoutStamps(deal));
      written.push(() => repos.deal.discard(created.id));
      const history = await repos.dealStageHistory.create({
        dealId: created.id,
        toStage: created.stage,
        changedAt: created.createdAt,
        changedBy: created.createdBy,
        amount: created.amount,
        currency: created.currency,
        probability: created.probability,
      });
      written.push(() => repos.dealStageHistory.discard(history.id));
    }
    const converted = await repos.lead.update(lead.id, {
      status: 'converted',
      convertedAt: contact.createdAt,
      convertedContactId: contact.id,
      ...(company ? { convertedCompanyId: company.id } : {}),
      ...(deal ? { convertedDealId: deal.id } : {}),
    });
    return {
      lead: converted,
      contact: await repos.contact.require(contact.id),
      ...(company ? { company: await repos.company.require(company.id) } : {}),
      companyCreated: newCompany !== undefined,
      ...(deal ? { deal: await repos.deal.require(deal.id) } : {}),
    };
  } catch (error) {
    for (const undo of written.reverse()) await undo();
    throw error;
  }
}

/** A checked record back to create input: the repository stamps the system fields again. */
function withoutStamps<T extends Record<string, unknown>>(record: T) {
  const { kind, createdAt, updatedAt, createdBy, updatedBy, isDeleted, newest, deletedAt, ...input } = record;
  return input as never;
}

export interface ConversionPlan {
  /** The existing company the contact will be linked to (matched by domain, then by name). */
  company?: Rec<'company'>;
  /** The name of the company that will be created when none matched; undefined: no company. */
  newCompanyName?: string;
  domain?: string;
}

/** What convertLead will do about the company, for the dialog to show before anything is written. */
export async function planConversion(repos: Repositories, lead: Rec<'lead'>): Promise<ConversionPlan> {
  const domain = companyDomainOf(lead);
  const company = await findCompany(repos, domain, lead.companyName);
  if (company) return { company, ...(domain ? { domain } : {}) };
  const newCompanyName = lead.companyName ?? domain;
  return { ...(newCompanyName ? { newCompanyName } : {}), ...(domain ? { domain } : {}) };
}
