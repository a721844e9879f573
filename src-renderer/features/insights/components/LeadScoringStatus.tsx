import '../insights.css';
import type { Classifier } from '../../../../src-shared/ai/classifier';
import { MIN_OUTCOMES_PER_CLASS } from '../../../../src-shared/ai/lead-scoring';
import { toast } from '../../../ui/toasts';
import { useLeadScoring } from '../hooks/useLeadScoring';

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** What the scores on screen rest on, in words. */
export function modelSummary(model: Pick<Classifier, 'basis' | 'trainedAt' | 'examples' | 'positives'> | undefined) {
  if (!model) return 'Scores as imported. Retrain to learn from your own closed leads.';
  const at = when.format(new Date(model.trainedAt));
  if (model.basis === 'prior')
    return `Using a built-in prior: too little history (needs ${MIN_OUTCOMES_PER_CLASS} converted and ${MIN_OUTCOMES_PER_CLASS} lost leads). Set ${at}.`;
  return `Model trained ${at} on ${model.examples.toLocaleString()} outcomes (${model.positives.toLocaleString()} converted).`;
}

/** The lead model's status line with Retrain: when it learnt, from how much, or that it is a prior. */
export function LeadScoringStatus() {
  const { model, training, lastRun, error, retrain } = useLeadScoring();
  return (
    <div className={`insight-model-status${model?.basis === 'prior' ? ' prior' : ''}`} aria-live="polite">
      <span className="insight-model-text">{modelSummary(model)}</span>
      {lastRun && !training && (
        <span className="muted">
          {' '}
          Re-scored {lastRun.scored.toLocaleString()} open leads, {lastRun.written.toLocaleString()} changed.
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
