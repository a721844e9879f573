import type { DemoContext } from './demo-context';
import { demoDomain, pickPlace } from './demo-geo';
import { personAt } from './demo-people';
import { contactPerson, contactPlan } from './plan-contacts';
import type { LeadProfile } from './plan-leads';

/** The person and company behind a lead: a converted lead's are its contact's. */
export function leadSubject(ctx: DemoContext, profile: LeadProfile, contactIndex: number) {
  if (contactIndex >= 0) {
    const plan = contactPlan(ctx, contactIndex);
    const company = plan.company;
    return {
      person: contactPerson(ctx, plan),
      company,
      place: plan.place,
      companyName: company?.name,
      lookalike: company,
    };
  }
  const { rand, faker } = ctx.stream('lead.company').at(profile.index);
  const place = pickPlace(rand);
  const companyName = faker.company.name();
  const person = personAt(ctx.stream('lead.person'), profile.index, demoDomain(companyName), place.country);
  // Industry and size like those of a converted lead (a random contact's company), so that neither
  // tells a model whether the lead converted: the planted signal is source and engagement only.
  const lookalike = contactPlan(ctx, rand.int(0, ctx.counts.contact - 1)).company;
  return { person, company: undefined, place, companyName, lookalike };
}
