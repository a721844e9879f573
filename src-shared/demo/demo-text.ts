import type { Faker } from '@faker-js/faker';
import type { Rand } from './random';

/** Plain English built from templates: readable in the app and meaningful to summarising features. */
const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export const PAIN_POINTS = [
  'pipeline visibility across regions',
  'slow quote approvals',
  'duplicate records after the last merger',
  'reps logging activities twice',
  'forecast accuracy',
  'onboarding new reps quickly',
  'data quality in the lead funnel',
  'reporting to the board',
  'working offline at customer sites',
  'GDPR requests taking days',
] as const;

export const NEXT_STEPS = [
  'Send the revised proposal',
  'Book a technical deep-dive with IT',
  'Share two customer references',
  'Confirm budget with finance',
  'Schedule the security review',
  'Agree on the pilot scope',
  'Get the contract to legal',
  'Present to the steering committee',
] as const;

export const LOSS_REASONS = [
  'Chose a competitor on price',
  'No budget this year',
  'Project postponed',
  'Went with their incumbent vendor',
  'Missing integration with their ERP',
  'Champion left the company',
  'No decision made',
] as const;

export const LEAD_LOSS_REASONS = [
  'No response after five touches',
  'Not the decision maker',
  'Too small for our offering',
  'Already under contract elsewhere',
  'Student or job seeker',
] as const;

export function businessSentence(faker: Faker): string {
  return `${capitalize(faker.company.buzzVerb())} ${faker.company.buzzAdjective()} ${faker.company.buzzNoun()}.`;
}

export function noteBody(
  faker: Faker,
  rand: Rand,
  kind: 'general' | 'meeting' | 'call' | 'internal',
  who: string,
): string {
  const pain = rand.pick(PAIN_POINTS);
  const next = rand.pick(NEXT_STEPS);
  switch (kind) {
    case 'meeting':
      return `Met ${who} and two colleagues. Main concern: ${pain}. They want to ${faker.company.buzzVerb()} ${faker.company.buzzNoun()} before Q${rand.int(1, 4)}. Next step: ${next.toLowerCase()}.`;
    case 'call':
      return `Call with ${who} (${rand.int(10, 45)} min). Discussed ${pain}; ${rand.pick(['positive', 'cautious', 'very interested', 'sceptical about price'])}. ${next}.`;
    case 'internal':
      return `Internal: ${who} asked about ${pain}. ${rand.chance(0.5) ? 'Loop in the solutions engineer.' : 'Check discount approval with the manager.'}`;
    default:
      return `${who} mentioned ${pain}. ${businessSentence(faker)}`;
  }
}

export function emailSubject(faker: Faker, rand: Rand, company: string): string {
  return rand.pick([
    `Following up on our call`,
    `Proposal for ${company}`,
    `Re: ${capitalize(rand.pick(PAIN_POINTS))}`,
    `Next steps`,
    `Quick question about ${faker.company.buzzNoun()}`,
    `Meeting notes and resources`,
    `Pricing for ${company}`,
  ]);
}

export function messageBody(faker: Faker, rand: Rand, first: string, sender: string): string {
  return [
    `Hi ${first},`,
    `Thanks for your time ${rand.pick(['today', 'yesterday', 'last week'])}. As discussed, ${rand.pick(PAIN_POINTS)} is where we can help most.`,
    `${businessSentence(faker)} Could we ${rand.pick(NEXT_STEPS).toLowerCase()} next week?`,
    `Best regards,\n${sender}`,
  ].join('\n\n');
}

export function contentTitle(faker: Faker, rand: Rand, type: string): string {
  const topic = capitalize(rand.pick(PAIN_POINTS));
  switch (type) {
    case 'caseStudy':
      return `How ${faker.company.name()} solved ${rand.pick(PAIN_POINTS)}`;
    case 'webinar':
      return `Webinar: ${topic} in ${rand.int(2025, 2026)}`;
    case 'whitepaper':
    case 'ebook':
      return `The ${rand.pick(['complete', 'practical', 'executive'])} guide to ${rand.pick(PAIN_POINTS)}`;
    default:
      return `${rand.int(3, 9)} ways to ${faker.company.buzzVerb()} ${faker.company.buzzNoun()}`;
  }
}
