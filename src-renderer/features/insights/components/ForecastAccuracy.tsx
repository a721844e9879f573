import { useMemo, useState } from 'react';
import { forecastAccuracy } from '../../../../src-shared/ai/forecast';
import { closedDealHistory, stageProbability } from '../../../../src-shared/ai/forecast-history';
import { useRepos } from '../../../app/crm-context';
import { useObservable } from '../../../ui/useObservable';
import { type Converter, convertOf, formatMinor } from '../money';

/** How far ahead the forecast is judged: what it said this many days before each deal closed. */
const LEAD_DAYS = 30;
/** Closed months shown, newest last. */
const MONTHS = 12;

const monthName = new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric', timeZone: 'UTC' });
const percent = (n: number) => `${Math.round(n * 100)}%`;

/**
 * The weighted forecast's accuracy on closed months (forecastAccuracy, the AI-forecast bench's
 * figure): per month, Σ amount × the stage probability each deal had 30 days before it closed,
 * against what was won. The stage history is read only once asked for: it is the largest table a
 * manager's device holds.
 */
export function ForecastAccuracy({ book, currency, ownerId }: { book: Converter; currency: string; ownerId?: string }) {
  const [open, setOpen] = useState(false);
  return (
    <section className="insight-accuracy" aria-label="Forecast accuracy">
      {open ? (
        <AccuracyTable book={book} currency={currency} {...(ownerId ? { ownerId } : {})} />
      ) : (
        <button type="button" className="link" onClick={() => setOpen(true)}>
          Show accuracy on closed months
        </button>
      )}
    </section>
  );
}

function AccuracyTable({ book, currency, ownerId }: { book: Converter; currency: string; ownerId?: string }) {
  const repos = useRepos();
  const deals = useObservable(
    () => repos.deal.observe({ ...(ownerId ? { where: { ownerId } } : {}), limit: 50_000 }),
    undefined,
    [repos, ownerId],
  );
  const moves = useObservable(() => repos.dealStageHistory.observe({ limit: 500_000 }), undefined, [repos]);
  const result = useMemo(() => {
    if (!deals || !moves) return undefined;
    const history = closedDealHistory(
      deals as unknown as Record<string, unknown>[],
      moves as unknown as Record<string, unknown>[],
    );
    const accuracy = forecastAccuracy(history, {
      currency,
      convert: convertOf(book),
      leadDays: LEAD_DAYS,
      probabilityAt: (stage) => stageProbability(stage),
    });
    return { ...accuracy, months: accuracy.months.slice(-MONTHS) };
  }, [deals, moves, book, currency]);
  if (result === undefined) return <p className="muted">Reading closed deals…</p>;
  if (result.months.length === 0) return <p className="muted">No closed deals yet to measure the forecast on.</p>;
  const money = (n: number) => formatMinor(n, currency, book.decimalsOf(currency), true);
  const scored = result.months.flatMap((m) => (m.error === undefined ? [] : [m.error]));
  const mean = scored.length > 0 ? scored.reduce((a, b) => a + b, 0) / scored.length : undefined;
  return (
    <>
      <h3>Accuracy on closed months</h3>
      <table className="insight-table">
        <caption className="sr-only">Forecast {LEAD_DAYS} days ahead against won, by month closed</caption>
        <thead>
          <tr>
            <th scope="col">Month closed</th>
            <th scope="col">Forecast {LEAD_DAYS} days before</th>
            <th scope="col">Won</th>
            <th scope="col">Error</th>
          </tr>
        </thead>
        <tbody>
          {result.months.map((m) => (
            <tr key={m.month}>
              <th scope="row">{monthName.format(new Date(`${m.month}-01T00:00:00Z`))}</th>
              <td className="num">{money(m.forecast)}</td>
              <td className="num">{money(m.won)}</td>
              <td className="num">{m.error === undefined ? '—' : percent(m.error)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted insight-foot">
        {mean === undefined
          ? 'Nothing was won in these months, so there is no error to measure.'
          : `Mean absolute error ${percent(mean)} over the last ${scored.length} months with wins`}
        {mean !== undefined &&
          `: each month's closed deals weighted by the stage probability they had ${LEAD_DAYS} days before closing, against the amounts won. A deal opened later than that counts as not forecast.`}
      </p>
    </>
  );
}
