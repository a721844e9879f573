import { combineLatest, concatMap, defer, filter as keepIf, map, merge, NEVER, type Observable } from 'rxjs';
import { leadEntity } from '../../../src-shared/entities/lead.entity';
import type { EntityByName } from '../../../src-shared/entities/registry';
import type { EntityRecord } from '../../../src-shared/schema/define-entity';
import type { Equality } from '../../db/entity-repository';
import type { Repositories } from '../../db/repositories';
import { mergeSorted, rowComparator } from '../../ui/live-pages';
import { readModelFactors } from '../insights';

export type Lead = EntityRecord<EntityByName<'lead'>>;
export type LeadStatus = Lead['status'];

/** Statuses a rep still works on; the inbox shows these unless another status is chosen. */
export const OPEN_STATUSES: readonly LeadStatus[] = ['new', 'contacted', 'nurturing', 'qualified'];

export interface InboxFilter {
  /** A status, 'open' (every status still worked on) or '' (all). */
  status: LeadStatus | 'open' | '';
  source: string;
  ownerId: string;
  /** A lead list's id: only its members. */
  listId: string;
}

export const DEFAULT_FILTER: InboxFilter = { status: 'open', source: '', ownerId: '', listId: '' };

/** At most this many leads are read per status by observeInbox, and members per list. */
export const INBOX_CAP = 20_000;

/** Every status a lead may have, in the field's order (the status filter's choices). */
export const ALL_STATUSES = leadEntity.fields.status.values as readonly LeadStatus[];

/**
 * The repository queries behind a filter, each answered by one index range: [status] or
 * [ownerId, status] (one query per status, as no index starts with the owner alone), or
 * [isDeleted] for everything. Source and list are not indexed with these, so they are applied
 * in memory (keepMatching).
 */
export function inboxQueries(filter: InboxFilter): Record<string, Equality>[] {
  const statuses = filter.status === 'open' ? OPEN_STATUSES : filter.status ? [filter.status] : undefined;
  const query = (status: LeadStatus): Record<string, Equality> =>
    filter.ownerId ? { status, ownerId: filter.ownerId } : { status };
  if (!statuses) return filter.ownerId ? ALL_STATUSES.map(query) : [{}];
  return statuses.map(query);
}

/** The inbox order, the repository's `score` order: highest score first, then newest, then id. */
export const compareInbox: (a: Lead, b: Lead) => number = rowComparator('score');

/**
 * The filters the indexes did not apply: status ('open'), source and list membership. Keeps the
 * order it is given.
 */
export function keepMatching(
  leads: readonly Lead[],
  filter: Pick<InboxFilter, 'status' | 'source'>,
  memberIds?: ReadonlySet<string>,
): Lead[] {
  const statuses = filter.status === 'open' ? new Set<string>(OPEN_STATUSES) : undefined;
  return leads.filter(
    (lead) =>
      (!statuses || statuses.has(lead.status)) &&
      (filter.status === '' || filter.status === 'open' || lead.status === filter.status) &&
      (!filter.source || lead.source === filter.source) &&
      (!memberIds || memberIds.has(lead.id)),
  );
}

/** The lead is one the filter shows (a list's membership aside). */
export function matchesInbox(lead: Lead, filter: InboxFilter): boolean {
  return (
    !lead.isDeleted && (!filter.ownerId || lead.ownerId === filter.ownerId) && keepMatching([lead], filter).length > 0
  );
}

/**
 * Every lead the filter matches, in inbox order, live: the whole set, not a page. The inbox
 * shows pages (InboxPages, lead-inbox-pages.queries.ts); this is what a lead list's export and
 * count take, and what the pages are checked against in tests.
 *
 * With a list, its members are read by id (observeListLeads): the cost is the list's size,
 * whatever the size of the inbox. Without one, each of inboxQueries' filters is read in the
 * repository's `score` order (at most INBOX_CAP each), merged, then narrowed by source
 * (keepMatching). `leadChanges$` (ids of leads written, see leadChanges) keeps a list's leads
 * current; without it they are read once per change of the list's members.
 */
export function observeInbox(
  repos: Repositories,
  filter: InboxFilter,
  leadChanges$: Observable<readonly string[]> = NEVER,
): Observable<Lead[]> {
  if (filter.listId) return observeListLeads(repos, filter, leadChanges$);
  return combineLatest(
    inboxQueries(filter).map((where) => repos.lead.observe({ where, order: 'score', limit: INBOX_CAP })),
  ).pipe(map((parts) => keepMatching(mergeSorted(parts, compareInbox), filter)));
}

/**
 * A lead list's leads that pass the other filters, in inbox order, live. Membership is not a field
 * of the lead, so no index of the leads answers it: walking the score order and dropping
 * non-members would read the whole inbox for a small list. Instead the list's members (their
 * [leadListId] index, at most INBOX_CAP) are read by id in one storage read, filtered and sorted
 * in memory; the cost is bounded by the list, not by the inbox. Afterwards only what changes is
 * read again: members added (their leads), and leads of the list written since (`leadChanges$`).
 */
export function observeListLeads(
  repos: Repositories,
  filter: InboxFilter,
  leadChanges$: Observable<readonly string[]>,
): Observable<Lead[]> {
  return defer(() => {
    const loaded = new Map<string, Lead | undefined>();
    let members = new Set<string>();
    const read = async (ids: readonly string[]) => {
      const found = new Map((await repos.lead.getMany(ids)).map((lead) => [lead.id, lead]));
      for (const id of ids) loaded.set(id, found.get(id));
    };
    const matching = () => {
      const leads: Lead[] = [];
      for (const id of members) {
        const lead = loaded.get(id);
        if (lead && !lead.isDeleted && (!filter.ownerId || lead.ownerId === filter.ownerId)) leads.push(lead);
      }
      return keepMatching(leads, filter).sort(compareInbox);
    };
    const memberIds$ = repos.leadListMember
      .observe({ where: { leadListId: filter.listId }, limit: INBOX_CAP })
      .pipe(map((rows) => ({ members: new Set(rows.map((m) => m.leadId)) })));
    const written$ = leadChanges$.pipe(map((ids) => ({ written: ids })));
    return merge(memberIds$, written$).pipe(
      // One at a time, in order: a write read before the members that make it count would be lost.
      concatMap(async (change) => {
        if ('members' in change) {
          members = change.members;
          for (const id of loaded.keys()) if (!members.has(id)) loaded.delete(id);
          await read([...members].filter((id) => !loaded.has(id)));
          return true;
        }
        const ours = change.written.filter((id) => members.has(id));
        if (ours.length === 0) return false;
        await read(ours);
        return true;
      }),
      keepIf((changed) => changed),
      map(matching),
    );
  });
}

export interface ScoreReason {
  factor: string;
  label: string;
  /** The factor's strength, 0–100. */
  value: number;
  /** How far it pushes the score: positive raises it, negative holds it back. */
  impact: number;
  /** The strength as shown beside the reason (default: `value`). */
  display?: string;
}

const FACTORS: Record<string, { up: string; down: string }> = {
  engagement: { up: 'Highly engaged', down: 'Little engagement' },
  sourceQuality: { up: 'Strong source', down: 'Weak source' },
  fit: { up: 'Good company fit', down: 'Poor company fit' },
};

/** A strength within this distance of the midpoint (50) explains nothing either way. */
const NEUTRAL_BAND = 10;

const words = (key: string) => key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());

/**
 * The reasons behind a score from the lead's `scoreFactors`: an object of factor → strength on
 * 0–100 (the scoring model's output, as the demo generator writes it: engagement, sourceQuality,
 * fit), 50 being neutral. Signed values (any below zero) are read as points added or taken away.
 * Anything that is not a finite number is ignored, so a malformed value shows no reasons. The
 * on-device model's shape ({ basis, model, positive, negative }, see features/insights) is read
 * as its factors, strongest first.
 */
export function scoreReasons(factors: unknown): { positive: ScoreReason[]; negative: ScoreReason[] } {
  const model = readModelFactors(factors);
  if (model) return modelReasons(model.positive, model.negative);
  const positive: ScoreReason[] = [];
  const negative: ScoreReason[] = [];
  if (typeof factors !== 'object' || factors === null || Array.isArray(factors)) return { positive, negative };
  const entries = Object.entries(factors).filter((e): e is [string, number] => Number.isFinite(e[1]));
  const signed = entries.some(([, v]) => v < 0);
  for (const [factor, value] of entries) {
    const impact = signed ? value : value - 50;
    if (!signed && Math.abs(impact) < NEUTRAL_BAND) continue;
    if (impact === 0) continue;
    const names = FACTORS[factor] ?? { up: words(factor), down: words(factor) };
    const reason = { factor, label: impact > 0 ? names.up : names.down, value, impact };
    (impact > 0 ? positive : negative).push(reason);
  }
  positive.sort((a, b) => b.impact - a.impact);
  negative.sort((a, b) => a.impact - b.impact);
  return { positive, negative };
}

/**
 * Reasons in the on-device model's shape (features/insights lead-scores.ts): each factor's effect
 * on the log-odds, shown as the factor it multiplies the odds by; the bar is the effect against a
 * strong push of 2 (×7.4 odds).
 */
function modelReasons(
  up: readonly { label: string; effect: number }[],
  down: readonly { label: string; effect: number }[],
): { positive: ScoreReason[]; negative: ScoreReason[] } {
  const reason = (f: { label: string; effect: number }): ScoreReason => ({
    factor: f.label,
    label: f.label,
    value: Math.round(Math.min(100, (Math.abs(f.effect) / 2) * 100)),
    impact: f.effect,
    display: `×${Math.exp(f.effect).toFixed(f.effect > -0.7 && f.effect < 0.7 ? 2 : 1)} odds`,
  });
  return {
    positive: up.filter((f) => f.effect > 0).map(reason),
    negative: down.filter((f) => f.effect < 0).map(reason),
  };
}

/** The band a score falls in, for its colour; the same cut-offs as the lead's rating. */
export function scoreBand(score: number): 'hot' | 'warm' | 'cold' {
  return score >= 70 ? 'hot' : score >= 40 ? 'warm' : 'cold';
}
