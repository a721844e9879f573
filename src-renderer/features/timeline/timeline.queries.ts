import { combineLatest, map, type Observable, of } from 'rxjs';
import type { EntityRecord } from '../../../src-shared/schema/define-entity';
import type { Repositories } from '../../db/repositories';

/** The kinds of record a timeline can be about (SUBJECT_TYPES of the registry). */
export type TimelineSubjectType = 'contact' | 'company' | 'lead' | 'deal';

export type TimelineKind = 'communication' | 'note' | 'task' | 'leadActivity' | 'contentInteraction' | 'stageChange';

type Comm = EntityRecord<Repositories['communication']['entity']>;
type Note = EntityRecord<Repositories['note']['entity']>;
type Task = EntityRecord<Repositories['task']['entity']>;
type LeadActivity = EntityRecord<Repositories['leadActivity']['entity']>;
type Interaction = EntityRecord<Repositories['contentInteraction']['entity']>;
type StageChange = EntityRecord<Repositories['dealStageHistory']['entity']>;
type Attachment = EntityRecord<Repositories['communicationAttachment']['entity']>;

/** One entry of a timeline: what happened, when, and the record behind it. */
export interface TimelineItem {
  /** `<kind>:<id>`, unique across kinds. */
  readonly key: string;
  readonly kind: TimelineKind;
  /** The record's id, to open it. */
  readonly id: string;
  /** ISO time the entry is placed at (when it happened, else when it was recorded). */
  readonly at: string;
  /** The record's own type (email, call, note type, interaction…), for the icon and the badge. */
  readonly type: string;
  readonly title: string;
  readonly detail?: string;
  /** Status shown as a badge (task status, communication status). */
  readonly status?: string;
  /** A referenced record worth naming (the content of an interaction). */
  readonly ref?: { readonly entity: string; readonly id: string };
}

export type CommunicationItem = TimelineItem & { readonly kind: 'communication' };

/** `formSubmitted` → `Form submitted`. */
export function sentence(value: string): string {
  const words = value.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return `${words.charAt(0).toUpperCase()}${words.slice(1)}`;
}

function clip(text: string | undefined, max = 240): string | undefined {
  if (!text) return undefined;
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** What every entry starts with: its kind, its record's id, and the key made of the two. */
function entry<K extends TimelineKind>(kind: K, id: string): { key: string; kind: K; id: string } {
  return { key: `${kind}:${id}`, kind, id };
}

export function communicationItem(c: Comm): TimelineItem {
  const parts = [
    c.direction === 'inbound' ? 'Inbound' : 'Outbound',
    c.durationMinutes === undefined ? undefined : `${c.durationMinutes} min`,
    c.outcome,
  ].filter(Boolean);
  return {
    ...entry('communication', c.id),
    at: c.occurredAt,
    type: c.type,
    title: c.subject || sentence(c.type),
    detail: [parts.join(' · '), clip(c.body, 160)].filter(Boolean).join(' — '),
    status: c.status,
  };
}

export function noteItem(n: Note): TimelineItem {
  return {
    ...entry('note', n.id),
    at: n.createdAt,
    type: n.noteType,
    title: n.title || 'Note',
    ...(n.body ? { detail: clip(n.body) } : {}),
  };
}

const dueFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

export function taskItem(t: Task): TimelineItem {
  return {
    ...entry('task', t.id),
    // A done task sits where it was done; an open one where it was made (its due date is in the detail).
    at: t.completedAt ?? t.createdAt,
    type: t.type,
    title: t.title,
    ...(t.description || (t.dueAt && !t.completedAt)
      ? {
          detail: [t.dueAt && !t.completedAt ? `Due ${dueFormat.format(new Date(t.dueAt))}` : '', clip(t.description)]
            .filter(Boolean)
            .join(' — '),
        }
      : {}),
    status: t.status,
  };
}

export function leadActivityItem(a: LeadActivity): TimelineItem {
  return {
    ...entry('leadActivity', a.id),
    at: a.occurredAt,
    type: a.type,
    title: a.subject || sentence(a.type),
    ...(a.description || a.outcome ? { detail: clip([a.outcome, a.description].filter(Boolean).join(' — ')) } : {}),
  };
}

export function interactionItem(i: Interaction): TimelineItem {
  return {
    ...entry('contentInteraction', i.id),
    at: i.occurredAt,
    type: i.type,
    title: `Content ${sentence(i.type).toLowerCase()}`,
    ...(i.completionPercent === undefined ? {} : { detail: `${i.completionPercent} % completed` }),
    ref: { entity: 'content', id: i.contentId },
  };
}

export function stageChangeItem(s: StageChange): TimelineItem {
  return {
    ...entry('stageChange', s.id),
    at: s.changedAt,
    type: s.toStage,
    title: s.fromStage ? `${sentence(s.fromStage)} → ${sentence(s.toStage)}` : `Entered ${sentence(s.toStage)}`,
    ...(s.daysInPreviousStage === undefined
      ? {}
      : { detail: `${Math.round(s.daysInPreviousStage)} days in the previous stage` }),
  };
}

/** Newest first; equal times in a fixed order (by key) so the list never shuffles between renders. */
export function compareItems(a: TimelineItem, b: TimelineItem): number {
  if (a.at !== b.at) return a.at < b.at ? 1 : -1;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

export interface TimelinePage {
  readonly items: readonly TimelineItem[];
  /** Whether older entries exist beyond `limit`. */
  readonly hasMore: boolean;
}

/**
 * Merges the sources' newest pages into one page of `limit`, newest first. A source that returned a
 * full page may hold older entries than it gave, so the page says there is more; entries of one
 * record (the same key) appear once.
 */
export function mergeTimeline(
  sources: readonly { readonly items: readonly TimelineItem[]; readonly full: boolean }[],
  limit: number,
): TimelinePage {
  const byKey = new Map<string, TimelineItem>();
  for (const source of sources) for (const item of source.items) byKey.set(item.key, item);
  const all = [...byKey.values()].sort(compareItems);
  return { items: all.slice(0, limit), hasMore: all.length > limit || sources.some((s) => s.full) };
}

/** Which kinds a subject's timeline draws from. */
export function timelineKinds(subjectType: TimelineSubjectType): TimelineKind[] {
  const common: TimelineKind[] = ['communication', 'note', 'task'];
  switch (subjectType) {
    case 'lead':
      return [...common, 'leadActivity', 'contentInteraction'];
    case 'contact':
      return [...common, 'contentInteraction'];
    case 'deal':
      return [...common, 'stageChange'];
    default:
      return common;
  }
}

type Source = Observable<{ items: TimelineItem[]; full: boolean }>;

/**
 * Each kind's newest `limit` records about the subject, each read from that kind's own
 * `[subjectId|leadId|dealId, isDeleted, newest]` index (the repository names it), merged.
 */
function sourceOf(repos: Repositories, kind: TimelineKind, subjectId: string, limit: number): Source {
  const page = <R>(records: Observable<R[]>, toItem: (r: R) => TimelineItem): Source =>
    records.pipe(map((rows) => ({ items: rows.map(toItem), full: rows.length >= limit })));
  switch (kind) {
    case 'communication':
      return page(repos.communication.observe({ where: { subjectId }, limit }), communicationItem);
    case 'note':
      return page(repos.note.observe({ where: { subjectId }, limit }), noteItem);
    case 'task':
      return page(repos.task.observe({ where: { subjectId }, limit }), taskItem);
    case 'leadActivity':
      return page(repos.leadActivity.observe({ where: { leadId: subjectId }, limit }), leadActivityItem);
    case 'contentInteraction':
      return page(repos.contentInteraction.observe({ where: { subjectId }, limit }), interactionItem);
    case 'stageChange':
      return page(repos.dealStageHistory.observe({ where: { dealId: subjectId }, limit }), stageChangeItem);
  }
}

/** The subject's timeline, live: the newest `limit` entries of every kind it draws from, merged. */
export function observeTimeline(
  repos: Repositories,
  subjectType: TimelineSubjectType,
  subjectId: string,
  limit: number,
  kinds: readonly TimelineKind[] = timelineKinds(subjectType),
): Observable<TimelinePage> {
  if (kinds.length === 0) return of({ items: [], hasMore: false });
  return combineLatest(kinds.map((kind) => sourceOf(repos, kind, subjectId, limit))).pipe(
    map((sources) => mergeTimeline(sources, limit)),
  );
}

/** The file names attached to each of the given communications, live (one index read per communication). */
export function observeAttachments(
  repos: Repositories,
  communicationIds: readonly string[],
): Observable<ReadonlyMap<string, readonly Attachment[]>> {
  if (communicationIds.length === 0) return of(new Map());
  return combineLatest(
    communicationIds.map((communicationId) => repos.communicationAttachment.observe({ where: { communicationId } })),
  ).pipe(map((lists) => new Map(communicationIds.map((id, i) => [id, lists[i] ?? []]))));
}
