import { DAY_MS, type DemoContext } from './demo-context';
import { type Place, pickPlace } from './demo-geo';
import { type Person, personAt } from './demo-people';
import { type CompanyInfo, companyAt } from './plan-companies';
import { type LeadProfile, leadProfile } from './plan-leads';
import { pickOwner } from './plan-users';
import { conversions } from './plan-world';

export interface ContactPlan {
  index: number;
  id: string;
  company: CompanyInfo | undefined;
  /** The lead this contact was converted from. */
  lead: LeadProfile | undefined;
  createdMs: number;
  ownerIndex: number;
  place: Place;
}

export function contactPlan(ctx: DemoContext, index: number): ContactPlan {
  const world = conversions(ctx);
  const rand = ctx.stream('contact.plan').at(index).rand;
  const companyIndex = world.contactCompany[index] ?? -1;
  const company = companyIndex >= 0 ? companyAt(ctx, companyIndex) : undefined;
  const leadIndex = world.contactLead[index] ?? -1;
  const lead = leadIndex >= 0 ? leadProfile(ctx, leadIndex) : undefined;
  const earliest = (company?.createdMs ?? ctx.clock.startMs) + DAY_MS;
  const createdMs = lead?.convertsAtMs ?? ctx.clock.between(rand.next(), earliest, ctx.clock.nowMs);
  const ownerIndex = lead ? lead.ownerIndex : company && rand.chance(0.8) ? company.ownerIndex : pickOwner(ctx, rand);
  const place = company && rand.chance(0.8) ? company.place : pickPlace(rand);
  return { index, id: ctx.id('contact', index), company, lead, createdMs, ownerIndex, place };
}

/** The contact's name, email and phone; converted leads carry the same. */
export function contactPerson(ctx: DemoContext, plan: ContactPlan): Person {
  return personAt(ctx.stream('contact.person'), plan.index, plan.company?.domain, plan.place.country);
}
