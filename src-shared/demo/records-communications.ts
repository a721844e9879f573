import { DAY_MS, type DemoContext } from './demo-context';
import { slug } from './demo-geo';
import type { DemoRecords, EnumValue } from './demo-record';
import { emailSubject, messageBody, noteBody } from './demo-text';
import { type SubjectRef, type SubjectType, subjectPerson, subjectRef } from './plan-subjects';
import { demoUsers } from './plan-users';
import { type Rand, weightTable } from './random';

type CommType = EnumValue<'communication', 'type'>;
type Sentiment = 'positive' | 'neutral' | 'negative';

const SUBJECT_MIX = weightTable<SubjectType>({ contact: 40, deal: 25, lead: 25, company: 10 });
const TYPE_MIX = weightTable<CommType>({ email: 55, call: 25, meeting: 15, chat: 3, sms: 2 });
/** Planted: conversations on deals that were won read warmer than those on deals that were lost. */
const SENTIMENT: Record<'won' | 'lost' | 'other', ReturnType<typeof weightTable<Sentiment>>> = {
  won: weightTable({ positive: 60, neutral: 35, negative: 5 }),
  lost: weightTable({ positive: 15, neutral: 45, negative: 40 }),
  other: weightTable({ positive: 30, neutral: 55, negative: 15 }),
};

export interface CommPlan {
  index: number;
  subject: SubjectRef;
  type: CommType;
  inbound: boolean;
  atMs: number;
  createdMs: number;
  scheduled: boolean;
}

/** Communication `index`: cheap facts shared with its attachments. */
export function commPlan(ctx: DemoContext, index: number): CommPlan {
  const { rand } = ctx.stream('communication.plan').at(index);
  const subject = subjectRef(ctx, rand.weighted(SUBJECT_MIX), rand.next());
  const type = rand.weighted(TYPE_MIX);
  const inbound = rand.chance(type === 'email' ? 0.4 : 0.2);
  // A few calls and meetings on live records are booked for the next two weeks.
  const scheduled = subject.open && (type === 'call' || type === 'meeting') && rand.chance(0.06);
  const pastMs = ctx.clock.between(rand.next(), subject.fromMs, subject.toMs);
  const atMs = scheduled ? ctx.clock.nowMs + rand.float(1, 14) * DAY_MS : pastMs;
  return { index, subject, type, inbound, atMs: Math.round(atMs), createdMs: pastMs, scheduled };
}

function statusOf(rand: Rand, plan: CommPlan): EnumValue<'communication', 'status'> {
  if (plan.scheduled) return 'scheduled';
  if (plan.type === 'call') return rand.chance(0.8) ? 'completed' : 'missed';
  if (plan.type === 'meeting') return rand.chance(0.9) ? 'completed' : 'cancelled';
  return plan.inbound ? 'received' : 'sent';
}

export function* communicationRecords(ctx: DemoContext): DemoRecords<'communication'> {
  const users = demoUsers(ctx);
  const stream = ctx.stream('communication');
  for (let k = 0; k < ctx.counts.communication; k++) {
    const plan = commPlan(ctx, k);
    const { subject } = plan;
    const person = subjectPerson(ctx, subject);
    const owner = users[subject.ownerIndex];
    const { rand, faker } = stream.at(k);
    const status = statusOf(rand, plan);
    const happened = status === 'completed';
    const talk = plan.type === 'call' || plan.type === 'meeting';
    const ownerName = owner ? `${owner.firstName} ${owner.lastName}` : 'The team';
    const addresses = plan.type === 'email' && person.email && owner ? [owner.email, person.email] : undefined;
    const sentiment = rand.weighted(
      SENTIMENT[subject.dealOutcome === 'won' || subject.dealOutcome === 'lost' ? subject.dealOutcome : 'other'],
    );
    yield {
      id: ctx.id('communication', k),
      ownerId: ctx.id('user', subject.ownerIndex),
      createdAt: ctx.clock.iso(plan.createdMs),
      type: plan.type,
      direction: plan.inbound ? 'inbound' : 'outbound',
      status,
      subjectType: subject.type,
      subjectId: subject.id,
      ...(subject.contactIndex === undefined ? {} : { contactId: ctx.id('contact', subject.contactIndex) }),
      ...(subject.companyIndex === undefined ? {} : { companyId: ctx.id('company', subject.companyIndex) }),
      ...(subject.dealIndex === undefined ? {} : { dealId: ctx.id('deal', subject.dealIndex) }),
      ...(subject.leadIndex === undefined ? {} : { leadId: ctx.id('lead', subject.leadIndex) }),
      subject: talk
        ? `${plan.type === 'call' ? 'Call' : 'Meeting'} with ${person.label}`
        : emailSubject(faker, rand, person.companyName ?? person.label),
      body: talk
        ? noteBody(faker, rand, plan.type === 'call' ? 'call' : 'meeting', person.who)
        : messageBody(faker, rand, person.firstName, ownerName),
      occurredAt: ctx.clock.iso(plan.atMs),
      ...(talk && happened ? { durationMinutes: rand.pick([15, 30, 30, 45, 60]) } : {}),
      ...(addresses
        ? { fromAddress: addresses[plan.inbound ? 1 : 0], toAddresses: [addresses[plan.inbound ? 0 : 1] ?? ''] }
        : {}),
      ...(plan.type === 'call' && happened
        ? { outcome: rand.pick(['Interested', 'Follow-up booked', 'Not now', 'Needs proposal']) }
        : {}),
      ...(plan.scheduled || status === 'missed' || status === 'cancelled' ? {} : { sentiment }),
    };
  }
}

const FILES = [
  ['Proposal', 'pdf', 'application/pdf'],
  ['Pricing', 'xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  ['Meeting-notes', 'docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  ['Screenshot', 'png', 'image/png'],
  ['Security-questionnaire', 'pdf', 'application/pdf'],
] as const;

/** About one email or meeting in seven carries one or two files. */
export function* attachmentRecords(ctx: DemoContext): DemoRecords<'communicationAttachment'> {
  const stream = ctx.stream('communicationAttachment');
  let index = 0;
  for (let k = 0; k < ctx.counts.communication; k++) {
    let { rand } = stream.at(k);
    if (!rand.chance(0.15)) continue;
    const plan = commPlan(ctx, k);
    if (plan.type !== 'email' && plan.type !== 'meeting') continue;
    const count = rand.chance(0.8) ? 1 : 2;
    const commId = ctx.id('communication', k);
    for (let n = 0; n < count; n++) {
      ({ rand } = stream.at(k, n + 1));
      const [name, ext, mimeType] = rand.pick(FILES);
      const fileName = `${name}-${slug(plan.subject.id)}.${ext}`;
      yield {
        id: ctx.id('communicationAttachment', index++),
        ownerId: ctx.id('user', plan.subject.ownerIndex),
        createdAt: ctx.clock.iso(plan.createdMs),
        communicationId: commId,
        fileName,
        mimeType,
        sizeBytes: rand.int(20_000, 8_000_000),
        sha256: Array.from({ length: 8 }, () => rand.int(0, 0xffffffff).toString(16).padStart(8, '0')).join(''),
        storageKey: `attachments/${commId}/${fileName}`,
      };
    }
  }
}
