import { combineLatest, map, type Observable } from 'rxjs';
import type { EntityRecord } from '../../../src-shared/schema/define-entity';
import type { Repositories } from '../../db/repositories';

type Task = EntityRecord<Repositories['task']['entity']>;
type Deal = EntityRecord<Repositories['deal']['entity']>;

export const OPEN_TASK_STATUSES = ['open', 'inProgress', 'waiting'] as const;

/** Earliest due first; undated last; then newest made. */
export function byDue(a: Task, b: Task): number {
  if (a.dueAt !== b.dueAt) {
    if (a.dueAt === undefined) return 1;
    if (b.dueAt === undefined) return -1;
    return a.dueAt < b.dueAt ? -1 : 1;
  }
  return a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0;
}

/**
 * A record's open tasks, soonest due first. One query per open status, each on the tasks'
 * `[status, isDeleted, newest]` index (tasks declare no subjectId index, so the subject is
 * matched within each status's range rather than across every task ever made).
 */
export function observeOpenTasks(repos: Repositories, subjectId: string, limit = 50): Observable<Task[]> {
  return combineLatest(
    OPEN_TASK_STATUSES.map((status) => repos.task.observe({ where: { status, subjectId }, limit })),
  ).pipe(map((lists) => lists.flat().sort(byDue).slice(0, limit)));
}

/** Deals whose company or primary contact is the record, newest first. */
export function observeDeals(
  repos: Repositories,
  where: { companyId: string } | { contactId: string },
  limit = 200,
): Observable<Deal[]> {
  return repos.deal.observe({ where, limit });
}

export interface CurrencyTotals {
  readonly currency: string;
  /** Minor units of deals still open. */
  readonly open: number;
  readonly won: number;
  readonly lost: number;
  readonly count: number;
}

/** Open, won and lost amounts per currency (amounts in different currencies are never added together). */
export function dealTotals(deals: readonly Deal[]): CurrencyTotals[] {
  const by = new Map<string, { open: number; won: number; lost: number; count: number }>();
  for (const deal of deals) {
    const t = by.get(deal.currency) ?? { open: 0, won: 0, lost: 0, count: 0 };
    t.count += 1;
    if (deal.stage === 'closedWon') t.won += deal.amount;
    else if (deal.stage === 'closedLost') t.lost += deal.amount;
    else t.open += deal.amount;
    by.set(deal.currency, t);
  }
  return [...by.entries()]
    .map(([currency, t]) => ({ currency, ...t }))
    .sort((a, b) => b.open + b.won - (a.open + a.won) || a.currency.localeCompare(b.currency));
}
