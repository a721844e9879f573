import { useState } from 'react';
import { useRepos } from '../../../app/crm-context';
import { useObservable } from '../../../ui/useObservable';
import { GenerateBriefButton } from '../../insights';
import { latestResearch, researchProvider, researchSources } from '../companies.queries';

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const SOURCE_LABEL: Record<string, string> = { ai: 'AI', manual: 'Manual', web: 'Web', import: 'Import' };
const word = (key: string) => key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());

/** The insights' lists and short values (pain points, signals, current tool…), as a person reads them. */
function Insights({ insights }: { insights: unknown }) {
  if (!insights || typeof insights !== 'object') return null;
  const entries = Object.entries(insights as Record<string, unknown>).filter(
    ([key, v]) =>
      key !== 'sources' &&
      key !== 'provider' &&
      (typeof v === 'string' || typeof v === 'number' || (Array.isArray(v) && v.every((x) => typeof x === 'string'))),
  );
  if (entries.length === 0) return null;
  return (
    <dl className="research-insights">
      {entries.map(([key, value]) => (
        <div key={key}>
          <dt>{word(key)}</dt>
          <dd>{Array.isArray(value) ? value.join(' · ') : String(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * The company's latest research brief: what it says, who made it (source, provider, model), when,
 * how sure, and the sources it cites; older briefs one click away. Empty until research exists.
 */
export function CompanyResearch({ companyId }: { companyId: string }) {
  const repos = useRepos();
  const records = useObservable(() => repos.companyResearch.observe({ where: { companyId }, limit: 20 }), undefined, [
    repos,
    companyId,
  ]);
  const [showOlder, setShowOlder] = useState(false);
  const briefs = records ? latestResearch(records) : undefined;
  const [latest, ...older] = briefs ?? [];
  return (
    <section className="section card-360 company-research" aria-labelledby={`research-${companyId}`}>
      <header className="card-360-head">
        <h3 id={`research-${companyId}`}>Company research</h3>
        <GenerateBriefButton companyId={companyId} />
      </header>
      {briefs === undefined ? (
        <p className="muted">Loading…</p>
      ) : latest === undefined ? (
        <p className="muted">
          No research on this company yet. Generate a brief from what the CRM knows, or write one; briefs appear here.
        </p>
      ) : (
        <article className="research-brief" aria-label="Latest research brief">
          <h4>{latest.title}</h4>
          <p className="research-meta">
            <span className="badge">{SOURCE_LABEL[latest.source] ?? latest.source}</span>
            {researchProvider(latest.insights) && <span>{researchProvider(latest.insights)}</span>}
            {latest.model && <code>{latest.model}</code>}
            <time dateTime={latest.researchedAt}>{when.format(new Date(latest.researchedAt))}</time>
            {latest.confidence !== undefined && <span>{latest.confidence} % confidence</span>}
            {latest.status !== 'final' && (
              <span className={`badge badge-${latest.status === 'stale' ? 'lost' : 'high'}`}>
                {word(latest.status)}
              </span>
            )}
          </p>
          <p className="research-summary">{latest.summary}</p>
          <Insights insights={latest.insights} />
          <div className="research-sources">
            <span className="muted">Sources: </span>
            {researchSources(latest.insights).length === 0 ? (
              <span className="muted">none cited</span>
            ) : (
              <ul>
                {researchSources(latest.insights).map((s) => (
                  <li key={`${s.label}${s.url ?? ''}`}>
                    {s.url ? (
                      <a href={s.url} target="_blank" rel="noreferrer noopener">
                        {s.label}
                      </a>
                    ) : (
                      s.label
                    )}
                  </li>
                ))}
              </ul>
            )}
          </div>
          {older.length > 0 && (
            <>
              <button
                type="button"
                className="more-360"
                onClick={() => setShowOlder((v) => !v)}
                aria-expanded={showOlder}
              >
                {showOlder ? 'Hide' : 'Show'} {older.length} earlier {older.length === 1 ? 'brief' : 'briefs'}
              </button>
              {showOlder && (
                <ul className="research-older">
                  {older.map((r) => (
                    <li key={r.id}>
                      <strong>{r.title}</strong>{' '}
                      <span className="muted">
                        {SOURCE_LABEL[r.source] ?? r.source} · {when.format(new Date(r.researchedAt))}
                      </span>
                      <p>{r.summary}</p>
                    </li>
                  ))}
                </ul>
              )}
            </>
          )}
        </article>
      )}
    </section>
  );
}
