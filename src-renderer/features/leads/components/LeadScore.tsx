import { formatDate } from '../../../ui/format';
import { readModelFactors } from '../../insights';
import { type ScoreReason, scoreBand, scoreReasons } from '../lead-inbox.queries';

/** The score in a coloured ring: hot (70+), warm (40+), cold; "weak signal" when the model learnt little. */
export function ScoreBadge({ score, large, weak }: { score: number; large?: boolean; weak?: boolean }) {
  const band = scoreBand(score);
  const title = weak
    ? `Score ${score} (${band}, weak signal: the model predicts barely better than average)`
    : `Score ${score} (${band})`;
  return (
    <span className={`lead-score lead-score-${band}${large ? ' large' : ''}${weak ? ' weak' : ''}`} title={title}>
      <span className="sr-only">Score </span>
      {score}
      {weak && <span className="sr-only"> (weak signal)</span>}
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
  // The row's badge knows only the number; the reasons cell says when they rest on weak signal.
  const weak = readModelFactors(factors)?.signal === 'weak';
  return (
    <span className={stacked ? 'lead-reasons stacked' : 'lead-reasons'}>
      {weak && (
        <span className="muted lead-weak-signal" title="The lead model predicts barely better than average">
          weak signal
        </span>
      )}
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
  // A trained model that barely beat the average on held-out leads: no "Hot lead" confidence.
  const weak = model?.signal === 'weak';
  const band = scoreBand(score);
  return (
    <section className="lead-score-card" aria-label="Score">
      <ScoreBadge score={score} large weak={weak} />
      <div className="lead-score-why">
        <h3>
          {weak
            ? `Score ${score}: weak signal`
            : band === 'hot'
              ? 'Hot lead'
              : band === 'warm'
                ? 'Warm lead'
                : 'Cold lead'}
          {scoredAt && <span className="muted"> · scored {formatDate(scoredAt)}</span>}
        </h3>
        {model && (
          <p className="muted lead-score-basis">
            {model.basis === 'prior'
              ? 'Built-in prior: too little history to learn from yet.'
              : `Model learnt from ${model.model.examples.toLocaleString()} closed leads on ${formatDate(model.model.trainedAt)}.`}
            {weak &&
              ' Weak signal: on leads it did not learn from it predicts barely better than the average, so these reasons are weak evidence.'}
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
