/** People reports: activity per rep, team leaderboard, content engagement. */
import {
  inRange,
  ownedBy,
  type ReportData,
  type ReportFilter,
  type ReportResult,
  type ReportRow,
  RowBuilder,
  rate,
  userNames,
} from './report-types';

const COMM_SERIES: Record<string, string> = { call: 'calls', email: 'emails', meeting: 'meetings' };

/** Per rep: communications logged in the range by kind, and tasks completed in the range. */
export function activityReport(
  data: Pick<ReportData, 'communications' | 'tasks' | 'users'>,
  filter: ReportFilter,
): ReportResult {
  const name = userNames(data.users);
  const rows = new RowBuilder(() => ({ calls: 0, emails: 0, meetings: 0, otherComms: 0, tasksDone: 0 }));
  for (const c of data.communications) {
    if (!ownedBy(c.ownerId, filter) || !inRange(c.occurredAt, filter.from, filter.to)) continue;
    const series = COMM_SERIES[c.type] ?? 'otherComms';
    rows.add(c.ownerId, name(c.ownerId), c.id, { [series]: 1 }, [series]);
  }
  for (const t of data.tasks) {
    if (t.status !== 'completed' || !ownedBy(t.ownerId, filter) || !inRange(t.completedAt, filter.from, filter.to))
      continue;
    const row = rows.row(t.ownerId, name(t.ownerId));
    row.values.tasksDone++;
    const list = row.idsBy.tasksDone;
    if (list) list.push(t.id);
    else row.idsBy.tasksDone = [t.id];
  }
  return {
    entity: 'communication',
    chart: 'bar',
    unconvertible: [],
    rows: rows
      .build((v) => ({ total: v.calls + v.emails + v.meetings + v.otherComms + v.tasksDone }))
      .sort((a, b) => (b.values.total ?? 0) - (a.values.total ?? 0)),
    series: [
      { key: 'calls', label: 'Calls', kind: 'count', chart: true, stack: 'a' },
      { key: 'emails', label: 'Emails', kind: 'count', chart: true, stack: 'a' },
      { key: 'meetings', label: 'Meetings', kind: 'count', chart: true, stack: 'a' },
      { key: 'otherComms', label: 'Other', kind: 'count', chart: true, stack: 'a' },
      { key: 'tasksDone', label: 'Tasks completed', kind: 'count', chart: true, stack: 'a', entity: 'task' },
      { key: 'total', label: 'Total', kind: 'count' },
    ],
  };
}

/**
 * Reps (or teams: a userGroup and its members) ranked by the amount won in the range, with win
 * rate (won of closed) and activities (communications + tasks completed) per rep.
 */
export function leaderboardReport(data: ReportData, filter: ReportFilter, by: 'rep' | 'team'): ReportResult {
  const name = userNames(data.users);
  const groupName = new Map(data.groups.map((g) => [g.id, g.name]));
  const teamsOf = new Map<string, string[]>();
  for (const m of data.members) teamsOf.set(m.userId, [...(teamsOf.get(m.userId) ?? []), m.groupId]);
  const keysOf = (userId: string): [string, string][] =>
    by === 'rep'
      ? [[userId, name(userId)]]
      : (teamsOf.get(userId) ?? ['none']).map((g) => [g, groupName.get(g) ?? 'No team']);
  const unconvertible: string[] = [];
  const rows = new RowBuilder(() => ({ wonAmount: 0, won: 0, lost: 0, activities: 0, reps: 0 }));
  const repsIn = new Map<string, Set<string>>();
  const touch = (key: string, label: string, userId: string) => {
    rows.row(key, label);
    const set = repsIn.get(key) ?? new Set<string>();
    set.add(userId);
    repsIn.set(key, set);
  };
  for (const d of data.deals) {
    if (d.stage !== 'closedWon' && d.stage !== 'closedLost') continue;
    if (!ownedBy(d.ownerId, filter) || !inRange(d.closedAt, filter.from, filter.to)) continue;
    const won = d.stage === 'closedWon';
    let amount = 0;
    if (won) {
      const converted = filter.convert(d.amount, d.currency, filter.currency, d.closedAt);
      if (converted === undefined) unconvertible.push(d.id);
      else amount = converted;
    }
    for (const [key, label] of keysOf(d.ownerId)) {
      touch(key, label, d.ownerId);
      rows.add(key, label, d.id, { wonAmount: amount, won: won ? 1 : 0, lost: won ? 0 : 1 }, [
        won ? 'wonAmount' : 'lost',
      ]);
    }
  }
  const activity = (ownerId: string, when: string | undefined) => {
    if (!ownedBy(ownerId, filter) || !inRange(when, filter.from, filter.to)) return;
    for (const [key, label] of keysOf(ownerId)) {
      touch(key, label, ownerId);
      rows.row(key, label).values.activities++;
    }
  };
  for (const c of data.communications) activity(c.ownerId, c.occurredAt);
  for (const t of data.tasks) if (t.status === 'completed') activity(t.ownerId, t.completedAt);
  return {
    entity: 'deal',
    chart: 'bar',
    unconvertible,
    rows: rows
      .build((v) => ({ winRate: rate(v.won, v.won + v.lost) }))
      .map((r): ReportRow => {
        const reps = repsIn.get(r.key)?.size ?? 1;
        return {
          ...r,
          values: { ...r.values, reps, activitiesPerRep: Math.round((r.values.activities ?? 0) / reps) },
        };
      })
      .sort((a, b) => (b.values.wonAmount ?? 0) - (a.values.wonAmount ?? 0)),
    series: [
      { key: 'wonAmount', label: 'Won amount', kind: 'money', chart: true },
      { key: 'won', label: 'Deals won', kind: 'count' },
      { key: 'winRate', label: 'Win rate', kind: 'percent' },
      { key: 'activitiesPerRep', label: 'Activities per rep', kind: 'count' },
      ...(by === 'team' ? [{ key: 'reps', label: 'Reps', kind: 'count' as const }] : []),
    ],
  };
}

/**
 * Content by engagement in the range: views, downloads, shares, other, people reached, completion.
 * A row's record is the content itself.
 */
export function contentReport(data: Pick<ReportData, 'content' | 'interactions'>, filter: ReportFilter): ReportResult {
  const title = new Map(data.content.map((c) => [c.id, c.title]));
  const people = new Map<string, Set<string>>();
  const completion = new Map<string, { sum: number; n: number }>();
  const rows = new RowBuilder(() => ({ views: 0, downloads: 0, shares: 0, other: 0, total: 0 }));
  for (const i of data.interactions) {
    if (!inRange(i.occurredAt, filter.from, filter.to)) continue;
    const series =
      i.type === 'view' ? 'views' : i.type === 'download' ? 'downloads' : i.type === 'share' ? 'shares' : 'other';
    // The row's record is the content (ids set below): the interactions' ids are not kept.
    const row = rows.row(i.contentId, title.get(i.contentId) ?? 'Unknown content');
    row.values[series]++;
    row.values.total++;
    const set = people.get(i.contentId) ?? new Set<string>();
    set.add(i.subjectId);
    people.set(i.contentId, set);
    if (i.completionPercent !== undefined) {
      const c = completion.get(i.contentId) ?? { sum: 0, n: 0 };
      c.sum += i.completionPercent;
      c.n++;
      completion.set(i.contentId, c);
    }
  }
  return {
    entity: 'content',
    chart: 'bar',
    unconvertible: [],
    rows: rows
      .build()
      .map((r): ReportRow => {
        const c = completion.get(r.key);
        return {
          ...r,
          ids: [r.key],
          values: {
            ...r.values,
            people: people.get(r.key)?.size ?? 0,
            completion: c ? Math.round(c.sum / c.n) : undefined,
          },
        };
      })
      .sort((a, b) => (b.values.total ?? 0) - (a.values.total ?? 0))
      .slice(0, 25),
    series: [
      { key: 'views', label: 'Views', kind: 'count', chart: true, stack: 'e' },
      { key: 'downloads', label: 'Downloads', kind: 'count', chart: true, stack: 'e' },
      { key: 'shares', label: 'Shares', kind: 'count', chart: true, stack: 'e' },
      { key: 'other', label: 'Other', kind: 'count', chart: true, stack: 'e' },
      { key: 'people', label: 'People reached', kind: 'count' },
      { key: 'completion', label: 'Avg completion', kind: 'percent' },
    ],
  };
}
