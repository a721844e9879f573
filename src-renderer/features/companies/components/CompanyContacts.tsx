import { getEntity } from '../../../../src-shared/entities/registry';
import { useRepos } from '../../../app/crm-context';
import { formatValue } from '../../../ui/format';
import { useObservable } from '../../../ui/useObservable';
import { RecordLink } from '../../timeline';

const contact = getEntity('contact');

/** The people at a company, newest first, each a link to their own 360. */
export function CompanyContacts({ companyId, limit = 50 }: { companyId: string; limit?: number }) {
  const repos = useRepos();
  const people = useObservable(() => repos.contact.observe({ where: { companyId }, limit: limit + 1 }), undefined, [
    repos,
    companyId,
    limit,
  ]);
  const shown = people?.slice(0, limit);
  return (
    <section className="section card-360 company-contacts" aria-labelledby={`people-${companyId}`}>
      <header className="card-360-head">
        <h3 id={`people-${companyId}`}>
          Contacts{' '}
          {people?.length ? (
            <span className="muted count-360">{people.length > limit ? `${limit}+` : people.length}</span>
          ) : null}
        </h3>
      </header>
      {shown === undefined ? (
        <p className="muted">Loading…</p>
      ) : shown.length === 0 ? (
        <p className="muted">No contacts at this company yet.</p>
      ) : (
        <table className="table-360">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Job title</th>
              <th scope="col">Stage</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((p) => (
              <tr key={p.id}>
                <td>
                  <RecordLink entity="contact" id={p.id}>
                    {[p.firstName, p.lastName].filter(Boolean).join(' ')}
                  </RecordLink>
                </td>
                <td className="muted">{p.jobTitle ?? ''}</td>
                <td>
                  {p.lifecycleStage && (
                    <span className={`badge badge-${p.lifecycleStage}`}>
                      {formatValue(contact.fields.lifecycleStage, p.lifecycleStage, p)}
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
