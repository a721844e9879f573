import { readModelFactors } from '../../insights';
import { type ScoreReason, scoreBand, scoreReasons } from '../lead-inbox.queries';

/** The score in a coloured ring: hot (70+), warm (40+), cold. */
export function ScoreBadge({ score, large }: { score: number; large?: boolean }) {
  const band = scoreBand(score);
  return (
    <span className={`lead-score lead-score-${band}${large ? ' large' : ''}`} title={`Score ${score} (${band})`}>
      <span className="sr-only">Score </span>
      {score}
    </span>
  );
}

function Reason({ reason }: { reason: ScoreReason }) {
  const up = reason.impact > 0;
  return (
    <span className={`lead-reason ${up ? 'up' : 'down'}`} title={`${reason.factor}: ${reason.display ?? reason.value}`}>
      <span aria-hidden="true">{up ? '▲' : '▼'}</span>
      <span className="sr-only">{up ? 'Raises the score:' : 'Lowers the score:'}</span> {reason.label}
    </span>
  );
}

/** The strongest reason each way, for a list row. */
export function TopReasons({ factors, stacked }: { factors: unknown; stacked?: boolean }) {
  const { positive, negative } = scoreReasons(factors);
  const shown = [positive[0], negative[0]].filter((r): r is ScoreReason => r !== undefined);
  if (shown.length === 0) return <span className="muted">—</span>;
  return (
    <span className={stacked ? 'lead-reasons stacked' : 'lead-reasons'}>
      {shown.map((r) => (
        <Reason key={r.factor} reason={r} />
      ))}
    </span>
  );
}

/** The score with every reason behind it, strongest first, each with its strength as a bar. */
export function ScoreExplained({ score, factors, scoredAt }: { score: number; factors: unknown; scoredAt?: string }) {
  const { positive, negative } = scoreReasons(factors);
  const reasons = [...positive, ...negative];
  const model = readModelFactors(factors);
  return (
    <section className="lead-score-card" aria-label="Score">
      <ScoreBadge score={score} large />
      <div className="lead-score-why">
        <h3>
          {scoreBand(score) === 'hot' ? 'Hot lead' : scoreBand(score) === 'warm' ? 'Warm lead' : 'Cold lead'}
          {scoredAt && <span className="muted"> · scored {new Date(scoredAt).toLocaleDateString()}</span>}
        </h3>
        {model && (
          <p className="muted lead-score-basis">
            {model.basis === 'prior'
              ? 'Built-in prior: too little history to learn from yet.'
              : `Model learnt from ${model.model.examples.toLocaleString()} closed leads on ${new Date(model.model.trainedAt).toLocaleDateString()}.`}
          </p>
        )}
        {reasons.length === 0 ? (
          <p className="muted">No score factors recorded.</p>
        ) : (
          <ul className="lead-factor-list">
            {reasons.map((r) => (
              <li key={r.factor}>
                <Reason reason={r} />
                <span className="lead-factor-bar" aria-hidden="true">
                  <span
                    className={r.impact > 0 ? 'up' : 'down'}
                    style={{ width: `${Math.max(4, Math.min(100, r.value))}%` }}
                  />
                </span>
                <span className="muted num">{r.display ?? r.value}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
