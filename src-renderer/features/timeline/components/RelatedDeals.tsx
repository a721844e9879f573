import { getEntity } from '../../../../src-shared/entities/registry';
import { useRepos } from '../../../app/crm-context';
import { formatValue } from '../../../ui/format';
import { useObservable } from '../../../ui/useObservable';
import { dealTotals, observeDeals } from '../related.queries';
import { sentence } from '../timeline.queries';
import { RecordLink } from './RecordLink';
import '../timeline.css';

const amountField = getEntity('deal').fields.amount;
const day = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const money = (amount: number, currency: string) => formatValue(amountField, amount, { currency });

/** The deals of a company or of a primary contact, with their open and won totals per currency. */
export function RelatedDeals({ where }: { where: { companyId: string } | { contactId: string } }) {
  const repos = useRepos();
  const key = JSON.stringify(where);
  const deals = useObservable(() => observeDeals(repos, where), undefined, [repos, key]);
  const totals = deals ? dealTotals(deals) : [];
  const headingId = `deals-${key.replace(/\W/g, '')}`;
  return (
    <section className="section card-360 related-deals" aria-labelledby={headingId}>
      <header className="card-360-head">
        <h3 id={headingId}>Deals {deals?.length ? <span className="muted count-360">{deals.length}</span> : null}</h3>
      </header>
      {totals.length > 0 && (
        <dl className="totals-360" aria-label="Deal totals">
          {totals.map((t) => (
            <div key={t.currency}>
              <dt>Open pipeline{totals.length > 1 ? ` (${t.currency})` : ''}</dt>
              <dd>{money(t.open, t.currency)}</dd>
              <dt>Won{totals.length > 1 ? ` (${t.currency})` : ''}</dt>
              <dd>{money(t.won, t.currency)}</dd>
              {t.lost > 0 && (
                <>
                  <dt>Lost{totals.length > 1 ? ` (${t.currency})` : ''}</dt>
                  <dd className="lost">{money(t.lost, t.currency)}</dd>
                </>
              )}
            </div>
          ))}
        </dl>
      )}
      {deals === undefined ? (
        <p className="muted">Loading…</p>
      ) : deals.length === 0 ? (
        <p className="muted">No deals yet.</p>
      ) : (
        <table className="table-360">
          <thead>
            <tr>
              <th scope="col">Deal</th>
              <th scope="col">Stage</th>
              <th scope="col" className="num">
                Amount
              </th>
              <th scope="col">Close</th>
            </tr>
          </thead>
          <tbody>
            {deals.map((deal) => (
              <tr key={deal.id}>
                <td>
                  <RecordLink entity="deal" id={deal.id}>
                    {deal.name}
                  </RecordLink>
                </td>
                <td>
                  <span className={`badge badge-${deal.stage}`}>{sentence(deal.stage)}</span>
                </td>
                <td className="num">{money(deal.amount, deal.currency)}</td>
                <td className="muted date">
                  {deal.closedAt
                    ? day.format(new Date(deal.closedAt))
                    : deal.expectedCloseDate
                      ? formatValue(getEntity('deal').fields.expectedCloseDate, deal.expectedCloseDate, deal)
                      : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
