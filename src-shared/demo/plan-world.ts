import { DAY_MS, type DemoContext } from './demo-context';
import { type CompanyInfo, companyAt, companyIndex } from './plan-companies';
import { type LeadProfile, leadProfile } from './plan-leads';
import { indexAtOrAbove } from './random';

/**
 * Who became whom: converted leads and the contacts they became, and which company each contact
 * works at. Built in one cheap pass (typed arrays, no records) the first time anything needs it.
 */
export interface Conversions {
  /** lead → the contact it converted into, or -1. */
  readonly leadContact: Int32Array;
  /** contact → the lead it came from, or -1. */
  readonly contactLead: Int32Array;
  /** Converted leads in lead order; converted lead k opened deal k. */
  readonly converted: Int32Array;
  /** lead → its position in `converted`, or -1. */
  readonly leadOrdinal: Int32Array;
  /** contact → company, or -1 for people without one. */
  readonly contactCompany: Int32Array;
  /** Contacts of company c are `companyContacts[companyStart[c] .. companyStart[c + 1])`. */
  readonly companyStart: Int32Array;
  readonly companyContacts: Int32Array;
}

export function pickCompany(ctx: DemoContext, u: number): CompanyInfo {
  return companyAt(ctx, indexAtOrAbove(companyIndex(ctx).cumulative, u));
}

export function conversions(ctx: DemoContext): Conversions {
  return ctx.memo('conversions', () => {
    const leads = ctx.counts.lead;
    const contacts = ctx.counts.contact;
    const candidates: LeadProfile[] = [];
    for (let i = 0; i < leads && candidates.length < contacts; i++) {
      const profile = leadProfile(ctx, i);
      if (profile.convertsAtMs !== undefined) candidates.push(profile);
    }
    const leadContact = new Int32Array(leads).fill(-1);
    const leadOrdinal = new Int32Array(leads).fill(-1);
    const contactLead = new Int32Array(contacts).fill(-1);
    const converted = new Int32Array(candidates.length);
    candidates.forEach((profile, k) => {
      // Spread the converted contacts evenly over the contact list.
      const contact = Math.floor((k * contacts) / candidates.length);
      leadContact[profile.index] = contact;
      leadOrdinal[profile.index] = k;
      contactLead[contact] = profile.index;
      converted[k] = profile.index;
    });
    const contactCompany = assignCompanies(ctx, contactLead);
    return { leadContact, contactLead, converted, leadOrdinal, contactCompany, ...groupByCompany(ctx, contactCompany) };
  });
}

/** Nine in ten contacts work at a company (all converted ones), big companies having more of them. */
function assignCompanies(ctx: DemoContext, contactLead: Int32Array): Int32Array {
  const stream = ctx.stream('contact.company');
  const contactCompany = new Int32Array(contactLead.length).fill(-1);
  for (let j = 0; j < contactLead.length; j++) {
    const { rand } = stream.at(j);
    const lead = contactLead[j] ?? -1;
    if (lead < 0 && rand.chance(0.1)) continue;
    let company = pickCompany(ctx, rand.next());
    // A converted contact's company already existed when the lead converted.
    const convertedMs = lead < 0 ? undefined : leadProfile(ctx, lead).convertsAtMs;
    for (
      let attempt = 0;
      convertedMs !== undefined && company.createdMs > convertedMs - DAY_MS && attempt < 8;
      attempt++
    ) {
      company = pickCompany(ctx, rand.next());
    }
    contactCompany[j] = company.index;
  }
  return contactCompany;
}

function groupByCompany(ctx: DemoContext, contactCompany: Int32Array) {
  const companyStart = new Int32Array(ctx.counts.company + 1);
  for (const c of contactCompany) if (c >= 0) companyStart[c + 1] = (companyStart[c + 1] ?? 0) + 1;
  for (let c = 0; c < ctx.counts.company; c++)
    companyStart[c + 1] = (companyStart[c + 1] ?? 0) + (companyStart[c] ?? 0);
  const next = companyStart.slice(0, ctx.counts.company);
  const companyContacts = new Int32Array(companyStart[ctx.counts.company] ?? 0);
  contactCompany.forEach((c, j) => {
    if (c < 0) return;
    const slot = next[c] ?? 0;
    companyContacts[slot] = j;
    next[c] = slot + 1;
  });
  return { companyStart, companyContacts };
}

/** A contact at company `company` chosen by `u`, or undefined if it has none. */
export function contactAtCompany(ctx: DemoContext, company: number, u: number): number | undefined {
  const { companyStart, companyContacts } = conversions(ctx);
  const from = companyStart[company] ?? 0;
  const count = (companyStart[company + 1] ?? 0) - from;
  return count > 0 ? companyContacts[from + Math.floor(u * count)] : undefined;
}
