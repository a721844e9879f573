import '../insights.css';
import { useMemo, useState } from 'react';
import { type ForecastDeal, type ForecastGroup, forecast } from '../../../../src-shared/ai/forecast';
import { useRepos } from '../../../app/crm-context';
import { useObservable } from '../../../ui/useObservable';
import { useDealModel } from '../hooks/useDealModel';
import { type Converter, convertOf, formatMinor } from '../money';
import { ForecastAccuracy } from './ForecastAccuracy';

const monthName = new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric', timeZone: 'UTC' });
const label = (key: string) => (/^\d{4}-\d{2}$/.test(key) ? monthName.format(new Date(`${key}-01T00:00:00Z`)) : key);

/** Users' names and the team (group) each belongs to, live, for grouping by owner or team. */
function usePeople() {
  const repos = useRepos();
  const users = useObservable(() => repos.user.observe(), [], [repos]);
  const groups = useObservable(() => repos.userGroup.observe(), [], [repos]);
  const members = useObservable(() => repos.userGroupMember.observe(), [], [repos]);
  return useMemo(() => {
    const names = new Map(users.map((u) => [u.id, [u.firstName, u.lastName].filter(Boolean).join(' ')]));
    const groupNames = new Map(groups.map((g) => [g.id, g.name]));
    const teams = new Map(members.map((m) => [m.userId, groupNames.get(m.groupId)]));
    return { nameOf: (id: string) => names.get(id) ?? id, teamOf: (id: string) => teams.get(id) };
  }, [users, groups, members]);
}

const GROUPS: readonly { id: ForecastGroup; label: string }[] = [
  { id: 'month', label: 'Month' },
  { id: 'owner', label: 'Owner' },
  { id: 'team', label: 'Team' },
];

/** The first day of this month and of the month `months` later (ISO dates). */
export function forecastWindow(today: Date, months: number): { from: string; to: string } {
  const y = today.getUTCFullYear();
  const m = today.getUTCMonth();
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  return { from: iso(new Date(Date.UTC(y, m, 1))), to: iso(new Date(Date.UTC(y, m + months, 1))) };
}

/**
 * Commit, best case, pipeline and weighted by month of expected close (won deals by month closed),
 * in the display currency; deals whose currency has no rate are counted, not guessed.
 */
export function ForecastPanel({
  book,
  currency,
  ownerId,
  months = 6,
}: {
  book: Converter;
  currency: string;
  ownerId?: string;
  months?: number;
}) {
  const repos = useRepos();
  const [groupBy, setGroupBy] = useState<ForecastGroup>('month');
  const people = usePeople();
  const { probabilityOf, model } = useDealModel(book);
  const byModel = model !== undefined && model.signal === 'strong';
  const deals = useObservable(
    () => repos.deal.observe({ ...(ownerId ? { where: { ownerId } } : {}), limit: 50_000 }),
    undefined,
    [repos, ownerId],
  );
  const result = useMemo(() => {
    if (!deals) return undefined;
    const rows: ForecastDeal[] = deals.map((d) => ({
      id: d.id,
      ownerId: d.ownerId,
      stage: d.stage,
      amount: d.amount,
      currency: d.currency,
      probability: d.probability,
      forecastCategory: d.forecastCategory,
      expectedCloseDate: d.expectedCloseDate,
      closedAt: d.closedAt,
    }));
    const byId = new Map(deals.map((d) => [d.id, d]));
    return forecast(rows, {
      currency,
      convert: convertOf(book),
      groupBy,
      teamOf: people.teamOf,
      ...forecastWindow(new Date(), months),
      probabilityOf: (row) => {
        const deal = byId.get(row.id);
        return deal ? probabilityOf(deal) : undefined;
      },
    });
  }, [deals, book, currency, months, probabilityOf, groupBy, people]);
  const money = (n: number) => formatMinor(n, currency, book.decimalsOf(currency), true);
  const unconverted = Object.entries(result?.unconverted ?? {});
  return (
    <section className="insight-forecast" aria-label="Forecast">
      <div className="view-switch" role="tablist" aria-label="Group by">
        {GROUPS.map((g) => (
          <button
            key={g.id}
            type="button"
            role="tab"
            aria-selected={groupBy === g.id}
            className={groupBy === g.id ? 'active' : undefined}
            onClick={() => setGroupBy(g.id)}
          >
            {g.label}
          </button>
        ))}
      </div>
      {result === undefined ? (
        <p className="muted">Loading…</p>
      ) : result.rows.length === 0 ? (
        <p className="empty">No deals expected to close in the next {months} months.</p>
      ) : (
        <table className="insight-table">
          <caption className="sr-only">
            Forecast by {groupBy} in {currency}
          </caption>
          <thead>
            <tr>
              <th scope="col">{GROUPS.find((g) => g.id === groupBy)?.label}</th>
              <th scope="col">Won</th>
              <th scope="col">Commit</th>
              <th scope="col">Best case</th>
              <th scope="col">Pipeline</th>
              <th scope="col">Weighted</th>
              <th scope="col">Deals</th>
            </tr>
          </thead>
          <tbody>
            {result.rows.map((r) => (
              <tr key={r.key}>
                <th scope="row">{groupBy === 'owner' ? people.nameOf(r.key) : label(r.key)}</th>
                <td className="num">{money(r.won)}</td>
                <td className="num">{money(r.commit)}</td>
                <td className="num">{money(r.bestCase)}</td>
                <td className="num">{money(r.pipeline)}</td>
                <td className="num">{money(r.weighted)}</td>
                <td className="num">{r.deals}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="muted insight-foot">
        Commit: committed deals (or in negotiation) plus won. Best case adds best-case deals. Weighted: each open deal's
        amount × {byModel ? "the model's win probability" : 'its stage probability'}. In {currency} at each deal's rate.
        {unconverted.length > 0 &&
          ` Left out for want of a rate: ${unconverted.map(([c, n]) => `${n} in ${c}`).join(', ')}.`}
      </p>
      <ForecastAccuracy book={book} currency={currency} {...(ownerId ? { ownerId } : {})} />
    </section>
  );
}
