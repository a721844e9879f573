import '../insights.css';
import { useEffect, useState } from 'react';
import { type ChurnRisk, churnRisk } from '../../../../src-shared/ai/churn-risk';
import { useRepos } from '../../../app/crm-context';
import { churnInputs } from '../company-signals';

const LEVEL_WORDS: Record<ChurnRisk['level'], string> = { low: 'Low risk', medium: 'Medium risk', high: 'High risk' };

/** A customer's churn risk (0–100) in its level's colour, with every signal behind it and its points. */
export function ChurnRiskCard({ companyId, className }: { companyId: string; className?: string }) {
  const repos = useRepos();
  const [risk, setRisk] = useState<ChurnRisk | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  useEffect(() => {
    let live = true;
    setRisk(undefined);
    churnInputs(repos, companyId, new Date()).then(
      (inputs) => live && setRisk(churnRisk(inputs)),
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [repos, companyId]);
  return (
    <section className={`section insight-card churn-risk ${className ?? ''}`} aria-label="Churn risk">
      <h3>Churn risk</h3>
      {error ? (
        <p className="insight-error">Could not assess: {error}</p>
      ) : risk === undefined ? (
        <p className="muted">Assessing…</p>
      ) : (
        <>
          <p className={`insight-level level-${risk.level}`}>
            <span className="insight-figure">{risk.risk}</span>
            <span>
              <strong>{LEVEL_WORDS[risk.level]}</strong>
              <span className="muted"> · out of 100</span>
            </span>
          </p>
          {risk.reasons.length === 0 ? (
            <p className="muted">No warning signs: steady conversations, no overdue issues.</p>
          ) : (
            <ul className="insight-factors" aria-label="Reasons">
              {risk.reasons.map((r) => (
                <li key={r.label} className="down">
                  <span aria-hidden="true">▲</span> {r.label}
                  <span className="muted num">+{r.points}</span>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
