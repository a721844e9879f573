/** Deal reports: pipeline, forecast by month, win/loss, sales cycle and time in stage. */
import { DEAL_STAGES } from '../entities/enums';
import { SOURCE_LABELS } from './lead-reports';
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

export const OPEN_STAGES = DEAL_STAGES.filter((s) => s !== 'closedWon' && s !== 'closedLost');
export const STAGE_LABELS: Record<string, string> = {
  prospecting: 'Prospecting',
  qualification: 'Qualification',
  proposal: 'Proposal',
  negotiation: 'Negotiation',
  closedWon: 'Won',
  closedLost: 'Lost',
};
const isOpen = (stage: string) => stage !== 'closedWon' && stage !== 'closedLost';
const DAY = 86_400_000;

/**
 * Open pipeline by stage (amount, weighted, count) or by owner (amount stacked by stage). Open deals
 * whose expected close falls in the range; converted at the latest rates (money not yet moved).
 */
export function pipelineReport(
  data: Pick<ReportData, 'deals' | 'users'>,
  filter: ReportFilter,
  groupBy: 'stage' | 'owner',
): ReportResult {
  const name = userNames(data.users);
  const unconvertible: string[] = [];
  const empty = () =>
    Object.fromEntries([['amount', 0], ['weighted', 0], ['deals', 0], ...OPEN_STAGES.map((s) => [s, 0])]);
  const rows = new RowBuilder<Record<string, number>>(empty);
  if (groupBy === 'stage') for (const s of OPEN_STAGES) rows.row(s, STAGE_LABELS[s] ?? s);
  for (const d of data.deals) {
    if (!isOpen(d.stage) || !ownedBy(d.ownerId, filter) || !inRange(d.expectedCloseDate, filter.from, filter.to))
      continue;
    const amount = filter.convert(d.amount, d.currency, filter.currency);
    if (amount === undefined) {
      unconvertible.push(d.id);
      continue;
    }
    const values = { amount, weighted: Math.round((amount * d.probability) / 100), deals: 1, [d.stage]: amount };
    if (groupBy === 'stage') rows.add(d.stage, STAGE_LABELS[d.stage] ?? d.stage, d.id, values);
    else rows.add(d.ownerId, name(d.ownerId), d.id, values, [d.stage]);
  }
  const built = rows.build();
  return {
    entity: 'deal',
    chart: 'bar',
    unconvertible,
    rows: groupBy === 'stage' ? built : built.sort((a, b) => (b.values.amount ?? 0) - (a.values.amount ?? 0)),
    series:
      groupBy === 'stage'
        ? [
            { key: 'amount', label: 'Pipeline', kind: 'money', chart: true },
            { key: 'weighted', label: 'Weighted', kind: 'money', chart: true },
            { key: 'deals', label: 'Deals', kind: 'count' },
          ]
        : [
            ...OPEN_STAGES.map((s) => ({
              key: s,
              label: STAGE_LABELS[s] ?? s,
              kind: 'money' as const,
              chart: true,
              stack: 'stage',
            })),
            { key: 'amount', label: 'Pipeline', kind: 'money' },
            { key: 'weighted', label: 'Weighted', kind: 'money' },
            { key: 'deals', label: 'Deals', kind: 'count' },
          ],
  };
}

/**
 * The forecast by month of expected close (open deals) or of closing (won deals), each deal
 * converted with the rate on its date: won, commit, best case, pipeline and weighted. A deal whose
 * currency has no rate on its date is listed as unconvertible, not dropped silently.
 */
export function forecastReport(data: Pick<ReportData, 'deals'>, filter: ReportFilter): ReportResult {
  const unconvertible: string[] = [];
  const rows = new RowBuilder(() => ({ won: 0, commit: 0, bestCase: 0, pipeline: 0, weighted: 0, deals: 0 }));
  for (const d of data.deals) {
    if (d.stage === 'closedLost' || !ownedBy(d.ownerId, filter)) continue;
    const when = isOpen(d.stage) ? d.expectedCloseDate : d.closedAt?.slice(0, 10);
    if (!when || !inRange(when, filter.from, filter.to)) continue;
    const amount = filter.convert(d.amount, d.currency, filter.currency, when);
    if (amount === undefined) {
      unconvertible.push(d.id);
      continue;
    }
    const month = when.slice(0, 7);
    if (d.stage === 'closedWon') {
      rows.add(month, month, d.id, { won: amount, commit: amount, bestCase: amount, deals: 1 }, ['won']);
      continue;
    }
    const committed =
      d.forecastCategory === 'commit' || (d.forecastCategory === undefined && d.stage === 'negotiation');
    const best = committed || d.forecastCategory === 'bestCase';
    rows.add(
      month,
      month,
      d.id,
      {
        pipeline: amount,
        weighted: Math.round((amount * d.probability) / 100),
        commit: committed ? amount : 0,
        bestCase: best ? amount : 0,
        deals: 1,
      },
      ['pipeline', 'weighted', ...(committed ? ['commit'] : []), ...(best ? ['bestCase'] : [])],
    );
  }
  return {
    entity: 'deal',
    chart: 'bar',
    unconvertible,
    rows: rows.build().sort((a, b) => a.key.localeCompare(b.key)),
    series: [
      { key: 'won', label: 'Won', kind: 'money', chart: true },
      { key: 'commit', label: 'Commit', kind: 'money', chart: true },
      { key: 'bestCase', label: 'Best case', kind: 'money', chart: true },
      { key: 'weighted', label: 'Weighted', kind: 'money', chart: true },
      { key: 'pipeline', label: 'Pipeline', kind: 'money' },
      { key: 'deals', label: 'Deals', kind: 'count' },
    ],
  };
}

export type WinLossGroup = 'source' | 'owner' | 'product';

/**
 * Closed deals (closed within the range) won and lost, win rate by count, and the amount won
 * (converted at the rate on the closing date). By product: each of a deal's line items' products
 * counts the deal once and its line totals as the amount; a deal without lines is "No product".
 */
export function winLossReport(
  data: Pick<ReportData, 'deals' | 'users' | 'dealProducts' | 'products'>,
  filter: ReportFilter,
  groupBy: WinLossGroup,
): ReportResult {
  const name = userNames(data.users);
  const productName = new Map(data.products.map((p) => [p.id, p.name]));
  const lines = new Map<string, typeof data.dealProducts>();
  if (groupBy === 'product')
    for (const l of data.dealProducts) {
      const list = lines.get(l.dealId);
      if (list) (list as (typeof l)[]).push(l);
      else lines.set(l.dealId, [l]);
    }
  const unconvertible = new Set<string>();
  const rows = new RowBuilder(() => ({ won: 0, lost: 0, wonAmount: 0 }));
  for (const d of data.deals) {
    if (isOpen(d.stage) || !ownedBy(d.ownerId, filter) || !inRange(d.closedAt, filter.from, filter.to)) continue;
    const won = d.stage === 'closedWon';
    const date = d.closedAt?.slice(0, 10);
    const parts: { key: string; label: string; amount: number; currency: string }[] =
      groupBy === 'product'
        ? (lines.get(d.id) ?? []).map((l) => ({
            key: l.productId,
            label: productName.get(l.productId) ?? 'Unknown product',
            amount: l.total,
            currency: l.currency,
          }))
        : groupBy === 'owner'
          ? [{ key: d.ownerId, label: name(d.ownerId), amount: d.amount, currency: d.currency }]
          : [
              {
                key: d.source ?? 'none',
                label: SOURCE_LABELS[d.source ?? 'none'] ?? d.source ?? 'No source',
                amount: d.amount,
                currency: d.currency,
              },
            ];
    if (parts.length === 0) parts.push({ key: 'none', label: 'No product', amount: d.amount, currency: d.currency });
    const seen = new Set<string>();
    for (const part of parts) {
      let wonAmount = 0;
      if (won) {
        const converted = filter.convert(part.amount, part.currency, filter.currency, date);
        if (converted === undefined) {
          unconvertible.add(d.id);
        } else wonAmount = converted;
      }
      const first = !seen.has(part.key);
      seen.add(part.key);
      const counts = first ? { won: won ? 1 : 0, lost: won ? 0 : 1 } : {};
      rows.add(part.key, part.label, d.id, { ...counts, wonAmount }, first ? [won ? 'won' : 'lost'] : []);
    }
  }
  const built = rows.build((v) => ({ closed: v.won + v.lost, winRate: rate(v.won, v.won + v.lost) }));
  for (const r of built) (r.ids as string[]).splice(0, r.ids.length, ...new Set(r.ids));
  return {
    entity: 'deal',
    chart: 'bar',
    unconvertible: [...unconvertible],
    rows: built.sort((a, b) => (b.values.winRate ?? -1) - (a.values.winRate ?? -1)),
    series: [
      { key: 'won', label: 'Won', kind: 'count', chart: true, stack: 'closed' },
      { key: 'lost', label: 'Lost', kind: 'count', chart: true, stack: 'closed' },
      { key: 'winRate', label: 'Win rate', kind: 'percent' },
      { key: 'wonAmount', label: 'Won amount', kind: 'money' },
      { key: 'closed', label: 'Closed', kind: 'count' },
    ],
  };
}

/** Days from creation to won, by owner: average and the slowest; deals won within the range. */
export function salesCycleReport(data: Pick<ReportData, 'deals' | 'users'>, filter: ReportFilter): ReportResult {
  const name = userNames(data.users);
  const rows = new RowBuilder(() => ({ deals: 0, totalDays: 0, longest: 0 }));
  const longest = new Map<string, number>();
  for (const d of data.deals) {
    if (d.stage !== 'closedWon' || !d.closedAt || !ownedBy(d.ownerId, filter)) continue;
    if (!inRange(d.closedAt, filter.from, filter.to)) continue;
    const days = Math.max(0, (Date.parse(d.closedAt) - Date.parse(d.createdAt)) / DAY);
    rows.add(d.ownerId, name(d.ownerId), d.id, { deals: 1, totalDays: days });
    longest.set(d.ownerId, Math.max(longest.get(d.ownerId) ?? 0, days));
  }
  return {
    entity: 'deal',
    chart: 'bar',
    unconvertible: [],
    rows: rows
      .build((v) => ({ averageDays: v.deals ? Math.round((10 * v.totalDays) / v.deals) / 10 : undefined }))
      .map((r): ReportRow => ({ ...r, values: { ...r.values, longest: Math.round(longest.get(r.key) ?? 0) } }))
      .sort((a, b) => (a.values.averageDays ?? 0) - (b.values.averageDays ?? 0)),
    series: [
      { key: 'averageDays', label: 'Average days to win', kind: 'days', chart: true },
      { key: 'longest', label: 'Longest', kind: 'days' },
      { key: 'deals', label: 'Deals won', kind: 'count' },
    ],
  };
}

/**
 * Average days deals spent in each stage, from the stage history: a move out of a stage measures
 * the time since the move into it (or the stored daysInPreviousStage). Moves within the range, of
 * the filtered owners' deals.
 */
export function timeInStageReport(
  data: Pick<ReportData, 'deals' | 'stageHistory'>,
  filter: ReportFilter,
): ReportResult {
  const owner = new Map(data.deals.map((d) => [d.id, d.ownerId]));
  const byDeal = new Map<string, (typeof data.stageHistory)[number][]>();
  for (const m of data.stageHistory) {
    const o = owner.get(m.dealId);
    if (o === undefined || !ownedBy(o, filter)) continue;
    const list = byDeal.get(m.dealId);
    if (list) list.push(m);
    else byDeal.set(m.dealId, [m]);
  }
  const rows = new RowBuilder(() => ({ moves: 0, totalDays: 0 }));
  for (const s of OPEN_STAGES) rows.row(s, STAGE_LABELS[s] ?? s);
  for (const [dealId, moves] of byDeal) {
    moves.sort((a, b) => (a.changedAt < b.changedAt ? -1 : a.changedAt > b.changedAt ? 1 : 0));
    moves.forEach((m, i) => {
      if (!m.fromStage || !isOpen(m.fromStage) || !inRange(m.changedAt, filter.from, filter.to)) return;
      const previous = moves[i - 1];
      const days =
        previous && previous.toStage === m.fromStage
          ? (Date.parse(m.changedAt) - Date.parse(previous.changedAt)) / DAY
          : m.daysInPreviousStage;
      if (days === undefined) return;
      rows.add(m.fromStage, STAGE_LABELS[m.fromStage] ?? m.fromStage, dealId, { moves: 1, totalDays: days });
    });
  }
  return {
    entity: 'deal',
    chart: 'bar',
    unconvertible: [],
    rows: rows
      .build((v) => ({ averageDays: v.moves ? Math.round((10 * v.totalDays) / v.moves) / 10 : undefined }))
      .map((r) => ({ ...r, ids: [...new Set(r.ids)] })),
    series: [
      { key: 'averageDays', label: 'Average days in stage', kind: 'days', chart: true },
      { key: 'moves', label: 'Deals moved on', kind: 'count' },
    ],
  };
}
