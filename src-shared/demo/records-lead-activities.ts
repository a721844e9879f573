import type { DemoContext } from './demo-context';
import type { DemoRecords, EnumValue } from './demo-record';
import { PAIN_POINTS } from './demo-text';
import { type LeadSource, leadActivityTimes, leadEnding, leadProfile } from './plan-leads';
import { conversions } from './plan-world';
import { type Rand, weightTable } from './random';

type ActivityType = EnumValue<'leadActivity', 'type'>;

/** How a lead first showed up, by source. */
const FIRST_TOUCH: Record<LeadSource, ActivityType> = {
  website: 'formSubmitted',
  paidAds: 'formSubmitted',
  content: 'contentDownloaded',
  webinar: 'webinarAttended',
  event: 'meeting',
  referral: 'emailReplied',
  coldOutreach: 'emailSent',
  social: 'pageVisited',
  partner: 'call',
  import: 'other',
  other: 'other',
};

const FOLLOW_UP = weightTable<ActivityType>({
  emailSent: 24,
  emailOpened: 20,
  emailClicked: 10,
  pageVisited: 14,
  call: 10,
  emailReplied: 6,
  meeting: 5,
  demo: 3,
  contentDownloaded: 5,
  statusChanged: 3,
});

const SCORE_DELTA: Partial<Record<ActivityType, number>> = {
  formSubmitted: 15,
  webinarAttended: 12,
  demo: 20,
  meeting: 12,
  emailReplied: 8,
  emailClicked: 4,
  emailOpened: 1,
  pageVisited: 2,
  contentDownloaded: 6,
  call: 5,
};

const PAGES = ['/pricing', '/product/pipelines', '/customers', '/integrations', '/security', '/blog'];

type Ending = ReturnType<typeof leadEnding>;

const ENDING_DETAILS = {
  converted: { subject: 'Converted to contact', channel: 'crm', outcome: 'Converted' },
  lost: { subject: 'Marked as lost', channel: 'crm', outcome: 'Lost' },
  unqualified: { subject: 'Disqualified', channel: 'crm', outcome: 'Unqualified' },
} as const;

function detailsOf(rand: Rand, type: ActivityType, ending: Ending) {
  switch (type) {
    case 'call':
      return {
        subject: 'Discovery call',
        channel: 'phone',
        durationMinutes: rand.int(5, 40),
        outcome: rand.pick(['Connected', 'Left voicemail', 'Call back next week']),
      };
    case 'meeting':
    case 'demo':
      return {
        subject: type === 'demo' ? 'Product demo' : 'Intro meeting',
        channel: 'video',
        durationMinutes: rand.pick([30, 45, 60]),
        outcome: rand.pick(['Positive', 'Needs internal alignment', 'Requested proposal']),
      };
    case 'pageVisited':
      return {
        subject: 'Visited website',
        channel: 'web',
        metadata: { path: rand.pick(PAGES), seconds: rand.int(10, 400) },
      };
    case 'statusChanged':
      return ending ? ENDING_DETAILS[ending] : { subject: 'Status updated', channel: 'crm' };
    case 'formSubmitted':
      return { subject: rand.pick(['Requested a demo', 'Contact form', 'Pricing enquiry']), channel: 'web' };
    default:
      return {
        subject: `${type.startsWith('email') ? 'Email' : 'Touchpoint'}: ${rand.pick(PAIN_POINTS)}`,
        channel: type.startsWith('email') ? 'email' : 'web',
      };
  }
}

/** A lead's activities: its first touch by source, follow-ups, and for a closed lead its conversion or loss last. */
export function* leadActivityRecords(ctx: DemoContext): DemoRecords<'leadActivity'> {
  const world = conversions(ctx);
  const stream = ctx.stream('leadActivity');
  let index = 0;
  for (let i = 0; i < ctx.counts.lead; i++) {
    const profile = leadProfile(ctx, i);
    const converted = (world.leadContact[i] ?? -1) >= 0;
    const times = leadActivityTimes(ctx, profile, converted);
    const leadId = ctx.id('lead', i);
    const ownerId = ctx.id('user', profile.ownerIndex);
    for (const [m, at] of times.entries()) {
      const { rand } = stream.at(i, m);
      // The last activity of a converted or lost lead is the status change that closed it.
      const ending = m === times.length - 1 ? leadEnding(profile, converted) : undefined;
      const type: ActivityType = ending
        ? 'statusChanged'
        : m === 0
          ? FIRST_TOUCH[profile.source]
          : rand.weighted(FOLLOW_UP);
      const delta = SCORE_DELTA[type];
      yield {
        id: ctx.id('leadActivity', index++),
        ownerId,
        createdAt: ctx.clock.iso(at),
        leadId,
        type,
        ...detailsOf(rand, type, ending),
        occurredAt: ctx.clock.iso(at),
        ...(delta === undefined ? {} : { scoreDelta: delta }),
      };
    }
  }
}
