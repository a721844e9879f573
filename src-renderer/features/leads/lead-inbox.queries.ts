import { combineLatest, map, type Observable, of } from 'rxjs';
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

/** At most this many leads are read per status; the inbox of one device holds far fewer. */
export const INBOX_CAP = 20_000;

const ALL_STATUSES = leadEntity.fields.status.values as readonly LeadStatus[];

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

/**
 * The live inbox: each of inboxQueries' filters read in the repository's `score` order (the lead's
 * derived scoreRank, SCORE_MAX - score, then newest), merged by that order, then narrowed by
 * source and list (keepMatching). A status alone, or no filter, is served in that order straight
 * from the [status, isDeleted, scoreRank, newest] / [isDeleted, scoreRank, newest] index; with an
 * owner the [ownerId, status, …] index has no scoreRank, so the repository sorts those in memory
 * (one owner's leads of one status, few). Each query has a limit (INBOX_CAP); the storage reads a
 * fully index-answered page with one getAll per range (page-query-storage.ts) and RxDB's
 * event-reduce keeps the results current without reading them again. A list filter reads the
 * list's members from their [leadListId] index the same way and intersects.
 *
 * Measured before the score index (in-memory sort of the status ranges), on this shared 2-core
 * machine. fake-indexeddb, 2k leads: the open inbox 0.4 s by ranges, one owner's 17 ms. Chromium,
 * 10k leads (7.5k open): open inbox 0.3-1.1 s cold (RxDB builds a document per row: ~0.15 ms
 * each), 0.12-0.27 s warm; the sort itself was ~5 ms.
 */
export function observeInbox(repos: Repositories, filter: InboxFilter): Observable<Lead[]> {
  const leads$ = combineLatest(
    inboxQueries(filter).map((where) => repos.lead.observe({ where, order: 'score', limit: INBOX_CAP })),
  ).pipe(map((parts) => mergeSorted(parts, compareInbox)));
  const members$: Observable<ReadonlySet<string> | undefined> = filter.listId
    ? repos.leadListMember
        .observe({ where: { leadListId: filter.listId }, limit: INBOX_CAP })
        .pipe(map((members) => new Set(members.map((m) => m.leadId))))
    : of(undefined);
  return combineLatest([leads$, members$]).pipe(map(([leads, members]) => keepMatching(leads, filter, members)));
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
