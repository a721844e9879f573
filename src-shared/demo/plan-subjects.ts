import type { DemoContext } from './demo-context';
import { companyAt } from './plan-companies';
import { contactPerson, contactPlan } from './plan-contacts';
import { type DealOutcome, dealPlan } from './plan-deals';
import { leadSubject } from './plan-lead-person';
import { leadEndMs, leadProfile } from './plan-leads';
import { contactAtCompany, conversions } from './plan-world';

export type SubjectType = 'contact' | 'company' | 'lead' | 'deal';

/** What an activity, task or note is about: ids, owner and the time span it can fall in. */
export interface SubjectRef {
  type: SubjectType;
  index: number;
  id: string;
  ownerIndex: number;
  fromMs: number;
  toMs: number;
  /** Whether the subject is still live, so something may be scheduled for it. */
  open: boolean;
  contactIndex: number | undefined;
  companyIndex: number | undefined;
  leadIndex: number | undefined;
  dealIndex: number | undefined;
  dealOutcome: DealOutcome | undefined;
}

const COUNT_OF = { contact: 'contact', company: 'company', lead: 'lead', deal: 'deal' } as const;

/** Subject number `floor(u × count)` of `type`; cheap (no names), for counts and times. */
export function subjectRef(ctx: DemoContext, type: SubjectType, u: number): SubjectRef {
  const index = Math.floor(u * ctx.counts[COUNT_OF[type]]);
  const ref: SubjectRef = {
    type,
    index,
    id: ctx.id(type, index),
    ownerIndex: 0,
    fromMs: ctx.clock.startMs,
    toMs: ctx.clock.nowMs,
    open: true,
    contactIndex: undefined,
    companyIndex: undefined,
    leadIndex: undefined,
    dealIndex: undefined,
    dealOutcome: undefined,
  };
  switch (type) {
    case 'contact': {
      const plan = contactPlan(ctx, index);
      ref.ownerIndex = plan.ownerIndex;
      ref.fromMs = plan.createdMs;
      ref.contactIndex = index;
      ref.companyIndex = plan.company?.index;
      return ref;
    }
    case 'company': {
      const company = companyAt(ctx, index);
      ref.ownerIndex = company.ownerIndex;
      ref.fromMs = company.createdMs;
      ref.companyIndex = index;
      // The digits of u below the company's slot pick one of its contacts.
      ref.contactIndex = contactAtCompany(ctx, index, (u * 7919) % 1);
      return ref;
    }
    case 'lead': {
      const profile = leadProfile(ctx, index);
      const converted = (conversions(ctx).leadContact[index] ?? -1) >= 0;
      ref.ownerIndex = profile.ownerIndex;
      ref.fromMs = profile.createdMs;
      ref.toMs = leadEndMs(ctx, profile, converted);
      ref.open = !converted && profile.openStatus !== 'lost' && profile.openStatus !== 'unqualified';
      ref.leadIndex = index;
      return ref;
    }
    case 'deal': {
      const plan = dealPlan(ctx, index);
      ref.ownerIndex = plan.ownerIndex;
      ref.fromMs = plan.createdMs;
      ref.toMs = plan.closedMs ?? ctx.clock.nowMs;
      ref.open = plan.outcome === 'open';
      ref.contactIndex = plan.contactIndex;
      ref.companyIndex = plan.company.index;
      ref.leadIndex = plan.leadIndex;
      ref.dealIndex = index;
      ref.dealOutcome = plan.outcome;
      return ref;
    }
  }
}

export interface SubjectPerson {
  /** Whom to greet: a first name, else "team". */
  firstName: string;
  /** Whom a sentence is about: a full name, else "the <company> team". */
  who: string;
  /** The subject in a title: a full name or the company name. */
  label: string;
  email: string | undefined;
  companyName: string | undefined;
}

function personally(first: string, last: string, email: string, companyName: string | undefined): SubjectPerson {
  const full = `${first} ${last}`.trim();
  return { firstName: first || last, who: full, label: full, email, companyName };
}

/** Names and addresses for a subject (uses faker, so only for records that show them). */
export function subjectPerson(ctx: DemoContext, ref: SubjectRef): SubjectPerson {
  const company = ref.companyIndex === undefined ? undefined : companyAt(ctx, ref.companyIndex);
  if (ref.type === 'lead' && ref.leadIndex !== undefined) {
    const contact = conversions(ctx).leadContact[ref.leadIndex] ?? -1;
    const lead = leadSubject(ctx, leadProfile(ctx, ref.leadIndex), contact);
    return personally(lead.person.firstName, lead.person.lastName, lead.person.email, lead.companyName);
  }
  if (ref.contactIndex !== undefined) {
    const person = contactPerson(ctx, contactPlan(ctx, ref.contactIndex));
    return personally(person.firstName, person.lastName, person.email, company?.name);
  }
  const name = company?.name ?? 'Unknown company';
  return {
    firstName: 'team',
    who: `the ${name} team`,
    label: name,
    email: company ? `info@${company.domain}` : undefined,
    companyName: company?.name,
  };
}
