import '../insights.css';
import type { Classifier } from '../../../../src-shared/ai/classifier';
import { type LeadScorer, MIN_OUTCOMES_PER_CLASS } from '../../../../src-shared/ai/lead-scoring';
import { toast } from '../../../ui/toasts';
import { useLeadScoring } from '../hooks/useLeadScoring';
import { leadModelSignal } from '../lead-model';
import type { LeadScoringState } from '../lead-scoring.service';

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** What the scores on screen rest on, in words. */
export function modelSummary(
  model:
    | (Pick<Classifier, 'basis' | 'trainedAt' | 'examples' | 'positives'> &
        Partial<Pick<LeadScorer, 'signal' | 'heldOutAuc'>>)
    | undefined,
) {
  if (!model) return 'Scores as imported. Retrain to learn from your own closed leads.';
  const at = when.format(new Date(model.trainedAt));
  if (model.basis === 'prior')
    return `Using a built-in prior: too little history (needs ${MIN_OUTCOMES_PER_CLASS} converted and ${MIN_OUTCOMES_PER_CLASS} lost leads). Set ${at}.`;
  const trained = `Model trained ${at} on ${model.examples.toLocaleString()} outcomes (${model.positives.toLocaleString()} converted).`;
  const skill = leadModelSignal(model);
  if (skill?.signal !== 'weak') return trained;
  const auc = skill.heldOutAuc === undefined ? '' : ` (held-out AUC ${skill.heldOutAuc.toFixed(2)})`;
  return `${trained} Weak signal: on leads it did not learn from it predicts barely better than the average conversion rate${auc}; treat scores as rough.`;
}

/** Where a retrain is, in words (a retrain of a large history takes a while). */
export function progressText(progress: LeadScoringState['progress']): string {
  if (!progress) return 'Retraining…';
  if (!('total' in progress))
    return progress.phase === 'reading' ? 'Reading the lead history…' : 'Training on the closed leads…';
  if (progress.phase === 'reading') return 'Reading the open leads…';
  if (progress.phase === 'scoring')
    return `Scoring open leads: ${progress.done.toLocaleString()} of ${progress.total.toLocaleString()}…`;
  return `Saving ${progress.total.toLocaleString()} changed scores…`;
}

/** The lead model's status line with Retrain: when it learnt, from how much, or that it is a prior. */
export function LeadScoringStatus() {
  const { model, training, progress, lastRun, error, retrain } = useLeadScoring();
  return (
    <div
      className={`insight-model-status${model?.basis === 'prior' || leadModelSignal(model)?.signal === 'weak' ? ' prior' : ''}`}
      aria-live="polite"
    >
      <span className="insight-model-text">{modelSummary(model)}</span>
      {lastRun && !training && (
        <span className="muted">
          {' '}
          Re-scored {lastRun.scored.toLocaleString()} open leads, {lastRun.written.toLocaleString()} changed.
        </span>
      )}
      {training && (
        <span className="muted" role="status">
          {' '}
          {progressText(progress)}
          {progress?.phase === 'scoring' && (
            <progress max={progress.total} value={progress.done} aria-label="Leads scored" />
          )}
        </span>
      )}
      {error && <span className="insight-error"> Retrain failed: {error}</span>}
      <button
        type="button"
        disabled={training}
        onClick={() => {
          void retrain().then((after) => {
            if (!after.error) toast({ tone: 'success', message: 'Lead scores retrained.' });
          });
        }}
      >
        {training ? 'Retraining…' : 'Retrain'}
      </button>
    </div>
  );
}
