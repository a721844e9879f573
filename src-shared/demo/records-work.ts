import { DAY_MS, type DemoContext } from './demo-context';
import type { DemoRecords, EnumValue } from './demo-record';
import { NEXT_STEPS, noteBody } from './demo-text';
import { type SubjectRef, type SubjectType, subjectPerson, subjectRef } from './plan-subjects';
import { pickOwner } from './plan-users';
import { type Rand, weightTable } from './random';
import { STALLED_DEALS_WORKFLOW } from './records-settings';

type TaskType = EnumValue<'task', 'type'>;
type TaskStatus = EnumValue<'task', 'status'>;
type NoteType = EnumValue<'note', 'noteType'>;

const TASK_SUBJECT = weightTable<SubjectType | 'none'>({ deal: 35, contact: 25, lead: 25, company: 5, none: 10 });
const TASK_TYPE = weightTable<TaskType>({ call: 25, email: 25, followUp: 20, meeting: 12, todo: 12, demo: 6 });
const PRIORITY = weightTable({ low: 15, normal: 60, high: 20, urgent: 5 });
const DONE = weightTable<TaskStatus>({ completed: 75, cancelled: 10, open: 15 });
const PENDING = weightTable<TaskStatus>({ open: 60, inProgress: 25, waiting: 15 });
const NOTE_SUBJECT = weightTable<SubjectType>({ contact: 35, deal: 30, lead: 20, company: 15 });
const NOTE_TYPE = weightTable<NoteType>({ general: 40, meeting: 25, call: 25, internal: 10 });

function taskTitle(rand: Rand, type: TaskType, name: string, company: string | undefined): string {
  switch (type) {
    case 'call':
      return `Call ${name}`;
    case 'email':
      return `Email ${name} the ${rand.pick(['proposal', 'case study', 'pricing', 'recap'])}`;
    case 'meeting':
      return `Prepare meeting with ${name}`;
    case 'demo':
      return `Demo for ${company ?? name}`;
    case 'followUp':
      return `Follow up with ${name}`;
    default:
      return rand.pick(NEXT_STEPS);
  }
}

/** Tasks due after they were made; past-due ones mostly done, a few overdue; the stalled-deal workflow made some. */
export function* taskRecords(ctx: DemoContext): DemoRecords<'task'> {
  const { clock } = ctx;
  const stream = ctx.stream('task');
  for (let t = 0; t < ctx.counts.task; t++) {
    const { rand } = stream.at(t);
    const kind = rand.weighted(TASK_SUBJECT);
    const subject: SubjectRef | undefined = kind === 'none' ? undefined : subjectRef(ctx, kind, rand.next());
    const ownerIndex = subject?.ownerIndex ?? pickOwner(ctx, rand);
    const createdMs = clock.between(
      rand.next(),
      subject?.fromMs ?? clock.startMs + DAY_MS,
      subject?.toMs ?? clock.nowMs,
    );
    const dueMs = createdMs + rand.float(1, 14) * DAY_MS;
    const fromWorkflow = subject?.type === 'deal' && subject.open && rand.chance(0.25);
    const status = dueMs < clock.nowMs - 2 * DAY_MS ? rand.weighted(DONE) : rand.weighted(PENDING);
    const type = fromWorkflow ? 'followUp' : rand.weighted(TASK_TYPE);
    const person = subject ? subjectPerson(ctx, subject) : undefined;
    const title = fromWorkflow
      ? 'Follow up on stalled deal'
      : taskTitle(rand, type, person?.who ?? 'the team', person?.companyName);
    yield {
      id: ctx.id('task', t),
      ownerId: ctx.id('user', ownerIndex),
      createdAt: clock.iso(createdMs),
      title,
      ...(rand.chance(0.4) ? { description: `${rand.pick(NEXT_STEPS)}.` } : {}),
      type,
      status,
      priority: fromWorkflow ? 'high' : rand.weighted(PRIORITY),
      dueAt: clock.iso(dueMs),
      ...(status === 'open' && dueMs > clock.nowMs && rand.chance(0.4)
        ? { reminderAt: clock.iso(dueMs - 3_600_000) }
        : {}),
      ...(status === 'completed'
        ? { completedAt: clock.iso(clock.between(rand.next(), createdMs, dueMs + DAY_MS)) }
        : {}),
      ...(subject ? { subjectType: subject.type, subjectId: subject.id } : {}),
      ...(fromWorkflow ? { workflowId: ctx.id('workflow', STALLED_DEALS_WORKFLOW) } : {}),
    };
  }
}

export function* noteRecords(ctx: DemoContext): DemoRecords<'note'> {
  const stream = ctx.stream('note');
  for (let n = 0; n < ctx.counts.note; n++) {
    const { rand, faker } = stream.at(n);
    const subject = subjectRef(ctx, rand.weighted(NOTE_SUBJECT), rand.next());
    const person = subjectPerson(ctx, subject);
    const noteType = rand.weighted(NOTE_TYPE);
    const createdMs = ctx.clock.between(rand.next(), subject.fromMs, subject.toMs);
    yield {
      id: ctx.id('note', n),
      ownerId: ctx.id('user', subject.ownerIndex),
      createdAt: ctx.clock.iso(createdMs),
      subjectType: subject.type,
      subjectId: subject.id,
      title: `${noteType === 'general' ? 'Note' : noteType === 'internal' ? 'Internal' : noteType === 'call' ? 'Call' : 'Meeting'}: ${person.label}`,
      body: noteBody(faker, rand, noteType, person.who),
      noteType,
      pinned: rand.chance(0.05),
    };
  }
}
