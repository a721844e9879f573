import { type FormEvent, useEffect, useId, useState } from 'react';
import { dealEntity } from '../../../../src-shared/entities/deal.entity';
import { Dialog } from '../../../ui/Dialog';
import { errorMessage } from '../../../ui/toasts';
import type { MoveDeal } from '../hooks/useMoveDeal';

/** The usual reasons, offered as suggestions; anything else can be typed. */
const COMMON_REASONS = [
  'Went with a competitor',
  'Price too high',
  'No budget',
  'No decision / stalled',
  'Missing feature',
  'Timing: not a priority now',
  'Lost contact',
];

const LOSS_REASON_MAX = dealEntity.fields.lossReason.maxLength ?? 500;

/** Asks why a deal was lost before it moves to Closed lost; the move waits until then. */
export function LossReasonDialog({ move }: { move: MoveDeal }) {
  const id = useId();
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string>();
  const [saving, setSaving] = useState(false);
  const open = move.pending !== undefined;
  useEffect(() => {
    if (open) {
      setReason('');
      setProblem(undefined);
    }
  }, [open]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) {
      setProblem('Loss reason is required when a deal is lost');
      return;
    }
    // Said here, with the limit: the input's maxlength cut a pasted reason without a word.
    if (reason.trim().length > LOSS_REASON_MAX) {
      setProblem(`Loss reason must be at most ${LOSS_REASON_MAX} characters`);
      return;
    }
    setSaving(true);
    try {
      await move.confirm(reason.trim());
    } catch (error) {
      setProblem(errorMessage(error));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Dialog title="Why was this deal lost?" open={open} onClose={move.cancel}>
      <form onSubmit={submit} noValidate aria-label="Loss reason">
        <div className="form-row">
          <label htmlFor={`${id}-reason`}>Loss reason *</label>
          <input
            id={`${id}-reason`}
            list={`${id}-reasons`}
            value={reason}
            aria-invalid={problem !== undefined}
            aria-describedby={problem ? `${id}-problem` : undefined}
            onChange={(e) => setReason(e.target.value)}
          />
          <datalist id={`${id}-reasons`}>
            {COMMON_REASONS.map((r) => (
              <option key={r} value={r} />
            ))}
          </datalist>
          {problem && (
            <span id={`${id}-problem`} className="field-problem" role="alert">
              {problem}
            </span>
          )}
        </div>
        <div className="form-actions">
          <button type="button" onClick={move.cancel}>
            Cancel
          </button>
          <button type="submit" className="primary danger-primary" disabled={saving}>
            {saving ? 'Saving…' : 'Mark as lost'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
