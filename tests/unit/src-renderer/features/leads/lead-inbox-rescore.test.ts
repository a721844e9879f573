import { BehaviorSubject, NEVER, type Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { ListOptions } from '../../../../../src-renderer/db/entity-repository';
import { DEFAULT_FILTER, type Lead } from '../../../../../src-renderer/features/leads/lead-inbox.queries';
import {
  type InboxSnapshot,
  type LeadSource,
  openInbox,
} from '../../../../../src-renderer/features/leads/lead-inbox-pages.queries';
import { SCORE_MAX } from '../../../../../src-shared/schema/define-entity';

/** A lead as the repository gives it: only the fields the inbox orders by. */
function lead(id: string, score: number, newest: number): Lead {
  return { id, score, scoreRank: SCORE_MAX - score, newest, status: 'new' } as unknown as Lead;
}

/** `l` with its new score, as the repository gives it (scoreRank is derived from the score). */
const rescored = (l: Lead, score: number) => lead(l.id, score, (l as Lead & { newest: number }).newest);

/**
 * A lead source whose score ranks answer one at a time, as RxDB's live queries do: a lead re-scored
 * from one rank into another leaves the first query and enters the second in two separate emissions.
 */
function rankedSource(leads: Lead[]) {
  const ranks = new Map<number, BehaviorSubject<Lead[]>>();
  const rank = (r: number) => {
    let subject = ranks.get(r);
    if (!subject) {
      subject = new BehaviorSubject(leads.filter((l) => SCORE_MAX - l.score === r));
      ranks.set(r, subject);
    }
    return subject;
  };
  const source: LeadSource = {
    observe(options: ListOptions): Observable<Lead[]> {
      const where = options.where as { scoreRank?: number } | undefined;
      return rank(Number(where?.scoreRank));
    },
    observeCount: () => NEVER,
  };
  return { source, rank };
}

function opened(leads: Lead[]) {
  const { source, rank } = rankedSource(leads);
  let latest: InboxSnapshot = { rows: undefined, hasMore: true, loading: true };
  const reader = openInbox(source, { ...DEFAULT_FILTER, status: '' }, (s) => {
    latest = s;
  });
  return { rank, rows: () => latest.rows?.map((l) => `${l.id}:${l.score}`), close: () => reader.close() };
}

describe('the lead inbox while leads are re-scored', () => {
  const a = lead('a', 80, 3);
  const b = lead('b', 80, 2);
  const c = lead('c', 75, 1);

  it('shows a lead once while its new rank has it and its old one still does', () => {
    const inbox = opened([a, b, c]);
    expect(inbox.rows()).toEqual(['a:80', 'b:80', 'c:75']);
    // a goes 80 → 70: rank 30 answers first.
    inbox.rank(30).next([rescored(a, 70)]);
    const rows = inbox.rows() ?? [];
    expect(new Set(rows.map((r) => r.split(':')[0])).size).toBe(rows.length);
    inbox.rank(20).next([b]);
    expect(inbox.rows()).toEqual(['b:80', 'c:75', 'a:70']);
    inbox.close();
  });

  it('keeps the rows in score order while an old rank still holds a re-scored lead', () => {
    const inbox = opened([a, b, c]);
    // The old rank's answer carries the lead's new values before the query drops it.
    inbox.rank(20).next([rescored(a, 70), b]);
    const scores = (inbox.rows() ?? []).map((r) => Number(r.split(':')[1]));
    expect(scores).toEqual(scores.toSorted((x, y) => y - x));
    inbox.rank(30).next([rescored(a, 70)]);
    expect(inbox.rows()).toEqual(['b:80', 'c:75', 'a:70']);
    inbox.close();
  });
});
