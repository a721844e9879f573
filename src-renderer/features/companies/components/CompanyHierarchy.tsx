import { useRepos } from '../../../app/crm-context';
import { useObservable } from '../../../ui/useObservable';
import { RecordLink } from '../../timeline';
import { type Hierarchy, observeHierarchy } from '../companies.queries';

/** Where the company sits: the chain of parents above it (each a link) and its subsidiaries. */
export function CompanyHierarchy({ id, name }: { id: string; name: string }) {
  const repos = useRepos();
  const tree = useObservable<Hierarchy | undefined>(() => observeHierarchy(repos, id), undefined, [repos, id]);
  return (
    <section className="section card-360 company-hierarchy" aria-labelledby={`hierarchy-${id}`}>
      <header className="card-360-head">
        <h3 id={`hierarchy-${id}`}>Hierarchy</h3>
      </header>
      {tree === undefined ? (
        <p className="muted">Loading…</p>
      ) : tree.ancestors.length === 0 && tree.children.length === 0 ? (
        <p className="muted">No parent or subsidiaries.</p>
      ) : (
        <ol className="hierarchy-360" aria-label="Company hierarchy">
          {tree.ancestors.map((a, depth) => (
            <li key={a.id} style={{ paddingLeft: `${depth * 1.1}rem` }} className="hierarchy-ancestor">
              <span aria-hidden="true">{depth === 0 ? '▦' : '└'}</span>{' '}
              <RecordLink entity="company" id={a.id}>
                {a.name}
              </RecordLink>
              {depth === tree.ancestors.length - 1 && <span className="muted"> parent</span>}
            </li>
          ))}
          <li
            style={{ paddingLeft: `${tree.ancestors.length * 1.1}rem` }}
            className="hierarchy-current"
            aria-current="true"
          >
            <span aria-hidden="true">{tree.ancestors.length === 0 ? '▦' : '└'}</span> <strong>{name}</strong>
          </li>
          {tree.children.map((c) => (
            <li
              key={c.id}
              style={{ paddingLeft: `${(tree.ancestors.length + 1) * 1.1}rem` }}
              className="hierarchy-child"
            >
              <span aria-hidden="true">└</span>{' '}
              <RecordLink entity="company" id={c.id}>
                {c.name}
              </RecordLink>
              {c.city && <span className="muted"> · {c.city}</span>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
