import { DAY_MS, type DemoContext } from './demo-context';
import type { DemoInput, DemoRecords } from './demo-record';
import { contactPlan } from './plan-contacts';
import { leadProfile } from './plan-leads';
import { commPlan } from './records-communications';
import { settingsTime } from './records-settings';

/**
 * Consents consistent with the demo's communications (src-shared/consent/consent-rules.ts): every
 * person sent an email or SMS has a grant for that channel dated when they came in, before the
 * first message; nobody who was emailed, texted or called has withdrawn that channel, so the demo
 * never shows a communication its own rule would block. Besides those, some people granted email
 * without being written to yet, some granted and later withdrew it, and a few objected to calls.
 */

type Person = 'contact' | 'lead';
const EMAIL = 1;
const SMS = 2;
const PHONE = 4;
const CHANNEL_BIT = { email: EMAIL, sms: SMS, call: PHONE } as const;

interface Reached {
  /** Channel bits per person. */
  channels: Record<Person, Uint8Array>;
  /** When the person was first written to or called (Infinity: never). */
  firstMs: Record<Person, Float64Array>;
}

/** Which channels outbound communications used per person, and when first: one pass over the cheap plans. */
function reached(ctx: DemoContext): Reached {
  return ctx.memo('consent.reached', () => {
    const { contact, lead } = ctx.counts;
    const out: Reached = {
      channels: { contact: new Uint8Array(contact), lead: new Uint8Array(lead) },
      firstMs: { contact: new Float64Array(contact).fill(Infinity), lead: new Float64Array(lead).fill(Infinity) },
    };
    const mark = (kind: Person, index: number | undefined, bit: number, atMs: number) => {
      if (index === undefined) return;
      out.channels[kind][index] = (out.channels[kind][index] ?? 0) | bit;
      out.firstMs[kind][index] = Math.min(out.firstMs[kind][index] ?? Infinity, atMs);
    };
    for (let k = 0; k < ctx.counts.communication; k++) {
      const plan = commPlan(ctx, k);
      const bit = plan.type in CHANNEL_BIT ? CHANNEL_BIT[plan.type as keyof typeof CHANNEL_BIT] : 0;
      if (plan.inbound || bit === 0) continue;
      mark('contact', plan.subject.contactIndex, bit, plan.atMs);
      mark('lead', plan.subject.leadIndex, bit, plan.atMs);
    }
    return out;
  });
}

const LEAD_SOURCE_TEXT: Readonly<Record<string, string>> = {
  website: 'Website contact form',
  webinar: 'Webinar registration form',
  event: 'Event badge scan and sign-up sheet',
  content: 'Content download form',
  paidAds: 'Landing page form',
  social: 'Social media lead form',
};

type Consent = DemoInput<'consent'>;

export function* consentRecords(ctx: DemoContext): DemoRecords<'consent'> {
  const reach = reached(ctx);
  const stream = ctx.stream('consent');
  let n = 0;
  for (const kind of ['contact', 'lead'] as const satisfies readonly Person[]) {
    const count = kind === 'contact' ? ctx.counts.contact : ctx.counts.lead;
    for (let i = 0; i < count; i++) {
      const used = reach.channels[kind][i] ?? 0;
      const { rand } = stream.at(i, kind === 'contact' ? 0 : 1);
      const lead = kind === 'lead' ? leadProfile(ctx, i) : undefined;
      const plan = kind === 'contact' ? contactPlan(ctx, i) : undefined;
      // A contact at a company can be emailed as the company's before the demo dates the contact itself.
      const cameMs = Math.min(
        lead?.createdMs ?? plan?.createdMs ?? ctx.clock.startMs,
        reach.firstMs[kind][i] ?? Infinity,
      );
      const ownerIndex = lead?.ownerIndex ?? plan?.ownerIndex ?? 0;
      const source =
        (lead && LEAD_SOURCE_TEXT[lead.source]) ?? (kind === 'contact' ? 'Signed order form' : 'Sales call');
      const base = (channel: Consent['channel'], status: Consent['status'], atMs: number): Consent => ({
        id: ctx.id('consent', n++),
        ownerId: ctx.id('user', ownerIndex),
        createdAt: ctx.clock.iso(atMs),
        subjectType: kind,
        subjectId: ctx.id(kind, i),
        channel,
        status,
        legalBasis: 'consent',
        source,
        at: ctx.clock.iso(atMs),
      });
      const proof = (channel: string) =>
        `Ticked "Send me product news by ${channel}" on ${source.toLowerCase()} (form version 3)`;
      // Customers' contacts receive account emails under their contract; everyone else opted in.
      const contract = kind === 'contact' && plan?.company !== undefined && rand.chance(0.3);
      if (used & EMAIL || rand.chance(0.3)) {
        yield contract
          ? { ...base('email', 'granted', cameMs), legalBasis: 'contract', source: 'Customer agreement' }
          : { ...base('email', 'granted', cameMs), proofText: proof('email') };
        // Some withdrew later: only people never emailed, so no sent email contradicts it.
        if (!(used & EMAIL) && rand.chance(0.25)) {
          const atMs = ctx.clock.between(rand.next(), cameMs + DAY_MS, ctx.clock.nowMs);
          yield {
            ...base('email', 'withdrawn', atMs),
            source: 'Unsubscribe link',
            proofUrl: 'https://example.com/unsubscribe',
          };
        }
      }
      if (used & SMS) yield { ...base('sms', 'granted', cameMs), proofText: proof('SMS') };
      // Calls rest on legitimate interest until the person objects (GDPR Art. 21).
      if (!(used & PHONE) && rand.chance(0.02)) {
        const atMs = ctx.clock.between(rand.next(), cameMs + DAY_MS, ctx.clock.nowMs);
        yield {
          ...base('phone', 'withdrawn', atMs),
          legalBasis: 'legitimateInterest',
          source: 'Asked on a call not to be called',
        };
      }
    }
  }
}

/** Two policies an administrator might start from, switched off: a demo never deletes on its own. */
export function* retentionPolicyRecords(ctx: DemoContext): DemoRecords<'retentionPolicy'> {
  const policies: Omit<DemoInput<'retentionPolicy'>, 'id' | 'ownerId' | 'createdAt'>[] = [
    {
      name: 'Delete lost leads after 2 years',
      target: 'lead',
      status: 'lost',
      age: 24,
      ageUnit: 'months',
      action: 'delete',
      enabled: false,
      description: 'Leads we lost have no purpose after two sales cycles (GDPR Art. 5(1)(e), storage limitation).',
    },
    {
      name: 'Anonymise communications after 6 years',
      target: 'communication',
      age: 6,
      ageUnit: 'years',
      action: 'anonymise',
      enabled: false,
      description: 'Kept for the limitation period of contract claims, then stripped of personal data.',
    },
  ];
  for (const [i, policy] of policies.entries()) {
    yield {
      id: ctx.id('retentionPolicy', i),
      ownerId: ctx.id('user', 0),
      createdAt: settingsTime(ctx, 20 + i),
      ...policy,
    };
  }
}
