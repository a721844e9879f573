import { DAY_MS, type DemoContext } from './demo-context';
import { slug } from './demo-geo';
import type { DemoInput, DemoRecords, EnumValue } from './demo-record';
import { contentTitle, PAIN_POINTS } from './demo-text';
import { contactPlan } from './plan-contacts';
import { leadEndMs, leadProfile } from './plan-leads';
import { ORG_DOMAIN } from './plan-users';
import { conversions } from './plan-world';
import { type Rand, weightTable } from './random';

type ContentType = EnumValue<'content', 'type'>;
type InteractionType = EnumValue<'contentInteraction', 'type'>;

const TYPE_MIX = weightTable<ContentType>({
  blogPost: 30,
  whitepaper: 10,
  ebook: 6,
  caseStudy: 12,
  video: 10,
  webinar: 10,
  infographic: 5,
  presentation: 5,
  email: 7,
  landingPage: 5,
});
const FILES: Partial<Record<ContentType, [string, string]>> = {
  whitepaper: ['pdf', 'application/pdf'],
  ebook: ['pdf', 'application/pdf'],
  caseStudy: ['pdf', 'application/pdf'],
  infographic: ['png', 'image/png'],
  presentation: ['pptx', 'application/vnd.openxmlformats-officedocument.presentationml.presentation'],
  video: ['mp4', 'video/mp4'],
};
const PERSONAS = ['Sales leader', 'RevOps', 'IT buyer', 'Founder', 'Marketing lead'];

interface ContentPlan {
  index: number;
  type: ContentType;
  status: 'draft' | 'published' | 'archived';
  createdMs: number;
  publishedMs: number | undefined;
  authorIndex: number;
}

/** Two in five assets were published in the first ten days (the launch library), the rest over time. */
function contentPlan(ctx: DemoContext, index: number): ContentPlan {
  const { clock } = ctx;
  const rand = ctx.stream('content.plan').at(index).rand;
  const type = rand.weighted(TYPE_MIX);
  const status = rand.chance(0.85) ? 'published' : rand.chance(0.66) ? 'draft' : 'archived';
  const launch = index < ctx.counts.content * 0.4;
  const publishMs = launch
    ? clock.startMs + rand.float(3, 10) * DAY_MS
    : clock.between(rand.next(), clock.startMs + 10 * DAY_MS, clock.nowMs - DAY_MS);
  return {
    index,
    type,
    status,
    createdMs: Math.round(Math.max(clock.startMs + DAY_MS, publishMs - rand.int(1, 10) * DAY_MS)),
    publishedMs: status === 'draft' ? undefined : Math.round(publishMs),
    authorIndex: rand.int(0, ctx.counts.user - 1),
  };
}

function publishedContent(ctx: DemoContext): readonly ContentPlan[] {
  return ctx.memo('publishedContent', () =>
    Array.from({ length: ctx.counts.content }, (_, c) => contentPlan(ctx, c)).filter((c) => c.status === 'published'),
  );
}

export function* contentRecords(ctx: DemoContext): DemoRecords<'content'> {
  const stream = ctx.stream('content');
  for (let c = 0; c < ctx.counts.content; c++) {
    const plan = contentPlan(ctx, c);
    const { rand, faker } = stream.at(c);
    const title = contentTitle(faker, rand, plan.type);
    const file = FILES[plan.type];
    const topic = rand.pick(PAIN_POINTS);
    yield {
      id: ctx.id('content', c),
      ownerId: ctx.id('user', plan.authorIndex),
      createdAt: ctx.clock.iso(plan.createdMs),
      title,
      type: plan.type,
      status: plan.status,
      url: `https://www.${ORG_DOMAIN}/resources/${slug(title).slice(0, 80)}-${c}`,
      summary: `${title}. For ${rand.pick(PERSONAS).toLowerCase()}s dealing with ${topic}.`,
      topic,
      persona: rand.pick(PERSONAS),
      language: 'en',
      authorId: ctx.id('user', plan.authorIndex),
      ...(plan.publishedMs === undefined ? {} : { publishedAt: ctx.clock.iso(plan.publishedMs) }),
      ...(file
        ? {
            fileName: `${slug(title).slice(0, 60)}.${file[0]}`,
            mimeType: file[1],
            sizeBytes: rand.int(200_000, 40_000_000),
          }
        : {}),
      tags: [plan.type, slug(topic).split('-')[0] ?? 'crm'],
    };
  }
}

const INTERACTION_BY_TYPE: Partial<Record<ContentType, readonly InteractionType[]>> = {
  video: ['watch', 'watch', 'share'],
  webinar: ['watch', 'formSubmit'],
  whitepaper: ['download', 'view'],
  ebook: ['download', 'view'],
  caseStudy: ['download', 'view', 'share'],
  email: ['click'],
  landingPage: ['view', 'formSubmit'],
  blogPost: ['view', 'view', 'like', 'share', 'comment'],
};
const VIEW_ONLY: readonly InteractionType[] = ['view'];
const REFERRERS = ['https://www.google.com/', 'https://www.linkedin.com/feed/', 'https://news.ycombinator.com/'];

interface Subject {
  type: 'lead' | 'contact';
  id: string;
  ownerId: string;
  from: number;
  to: number;
}

function interaction(ctx: DemoContext, rand: Rand, subject: Subject, index: number): DemoInput<'contentInteraction'> {
  const published = publishedContent(ctx);
  let content = rand.pick(published);
  for (let attempt = 0; (content.publishedMs ?? 0) > subject.to && attempt < 4; attempt++)
    content = rand.pick(published);
  const type = rand.pick(INTERACTION_BY_TYPE[content.type] ?? VIEW_ONLY);
  const at = ctx.clock.between(rand.next(), Math.max(subject.from, content.publishedMs ?? 0), subject.to);
  return {
    id: ctx.id('contentInteraction', index),
    ownerId: subject.ownerId,
    createdAt: ctx.clock.iso(at),
    contentId: ctx.id('content', content.index),
    subjectType: subject.type,
    subjectId: subject.id,
    type,
    occurredAt: ctx.clock.iso(at),
    ...(type === 'watch' ? { durationSeconds: rand.int(60, 3600), completionPercent: rand.int(10, 100) } : {}),
    ...(type === 'view' ? { durationSeconds: rand.int(15, 600) } : {}),
    channel: rand.pick(['email', 'web', 'social', 'paid']),
    ...(rand.chance(0.3) ? { referrer: rand.pick(REFERRERS) } : {}),
  };
}

/** Leads interact as often as their engagement says; one contact in four has read something too. */
export function* contentInteractionRecords(ctx: DemoContext): DemoRecords<'contentInteraction'> {
  if (publishedContent(ctx).length === 0) return;
  const world = conversions(ctx);
  const stream = ctx.stream('contentInteraction');
  let index = 0;
  for (let i = 0; i < ctx.counts.lead; i++) {
    const profile = leadProfile(ctx, i);
    const converted = (world.leadContact[i] ?? -1) >= 0;
    const subject: Subject = {
      type: 'lead',
      id: ctx.id('lead', i),
      ownerId: ctx.id('user', profile.ownerIndex),
      from: profile.createdMs,
      to: leadEndMs(ctx, profile, converted),
    };
    for (let m = 0; m < profile.interactionCount; m++) yield interaction(ctx, stream.at(i, m).rand, subject, index++);
  }
  const contactStream = ctx.stream('contentInteraction.contact');
  for (let j = 0; j < ctx.counts.contact; j++) {
    const { rand } = contactStream.at(j);
    const count = rand.chance(0.25) ? rand.int(1, 2) : 0;
    if (count === 0) continue;
    const plan = contactPlan(ctx, j);
    const subject: Subject = {
      type: 'contact',
      id: plan.id,
      ownerId: ctx.id('user', plan.ownerIndex),
      from: plan.createdMs,
      to: ctx.clock.nowMs,
    };
    for (let m = 0; m < count; m++) yield interaction(ctx, contactStream.at(j, m + 1).rand, subject, index++);
  }
}
