import { useState } from 'react';
import { useCrm } from '../../app/crm-context';
import type { CollisionItem } from '../../db/sync-review';
import { FieldInput } from '../../ui/FieldInput';
import { fromInputText, toInputText } from '../../ui/form-values';
import { formatFullDateTime } from '../../ui/format';
import { toast } from '../../ui/toasts';
import { useObservable } from '../../ui/useObservable';
import { RecordName } from '../../ui/useRecordName';
import { fieldLabel, fieldSpec, showValue } from './review-values';

/**
 * Same-field collisions the merge decided: base, mine and theirs side by side, and the user's
 * decision (keep mine, keep theirs, or another value). SyncReviewStore.resolveCollision writes it
 * through the repository and audits it.
 */
export function ConflictsInbox() {
  const { db } = useCrm();
  const collisions = useObservable(() => db.review.collisions$, [] as readonly CollisionItem[], [db]);
  if (collisions.length === 0) {
    return <p className="empty">No conflicts. When someone else changes the same field as you, it shows here.</p>;
  }
  return (
    <ul className="sync-items" aria-label="Conflicts">
      {collisions.map((item) => (
        <Collision key={item.id} item={item} />
      ))}
    </ul>
  );
}

function Collision({ item }: { item: CollisionItem }) {
  const { db, repos } = useCrm();
  const spec = fieldSpec(item.kind, item.field);
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const label = fieldLabel(item.kind, item.field);

  const decide = async (choice: Parameters<typeof db.review.resolveCollision>[1]) => {
    setBusy(true);
    setProblem(undefined);
    try {
      await db.review.resolveCollision(item.id, choice);
      toast({ tone: 'success', message: `${label}: decision saved and recorded in the audit trail` });
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };
  const startEdit = async () => {
    const record = (await (repos as unknown as Record<string, { get(id: string): Promise<unknown> }>)[item.kind]?.get(
      item.recordId,
    )) as Record<string, unknown> | undefined;
    setText(spec ? toInputText(spec, item.chosen, record ?? {}) : String(item.chosen ?? ''));
    setEditing(true);
  };
  const saveEdit = () => {
    const parsed = spec ? fromInputText(spec, text, {}) : { value: text };
    if (parsed.problem) return setProblem(`${label} ${parsed.problem}`);
    void decide({ value: parsed.value ?? null });
  };
  const cell = (side: 'base' | 'mine' | 'theirs', by?: string | null, at?: string | null) => (
    <td className={side !== 'base' && item.kept === side ? 'kept' : undefined}>
      <span className="diff-value">{showValue(item.kind, item.field, item[side])}</span>
      {at && (
        <span className="muted diff-who">
          {by ? (
            <>
              <RecordName entity="user" id={by} />,{' '}
            </>
          ) : null}
          {formatFullDateTime(at)}
        </span>
      )}
    </td>
  );
  return (
    <li className="sync-item conflict" data-conflict-field={item.field}>
      <div className="conflict-head">
        <strong>
          <RecordName entity={item.kind} id={item.recordId} />
        </strong>
        <span className="muted">
          {label} · changed here and elsewhere · the merge kept <b>{item.kept === 'mine' ? 'yours' : 'theirs'}</b>
        </span>
      </div>
      <table className="diff-table" aria-label={`${label}: base, mine and theirs`}>
        <thead>
          <tr>
            <th scope="col">Before (base)</th>
            <th scope="col">Mine</th>
            <th scope="col">Theirs</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            {cell('base')}
            {cell('mine', item.mineBy, item.mineAt)}
            {cell('theirs', item.theirsBy, item.theirsAt)}
          </tr>
        </tbody>
      </table>
      {editing && (
        <div className="conflict-edit form-row">
          <label htmlFor={`edit-${item.id}`}>New value for {label}</label>
          {spec ? (
            <FieldInput id={`edit-${item.id}`} field={spec} text={text} onText={setText} invalid={!!problem} />
          ) : (
            <input id={`edit-${item.id}`} value={text} onChange={(e) => setText(e.target.value)} />
          )}
        </div>
      )}
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
      <div className="sync-item-actions">
        {editing ? (
          <>
            <button type="button" onClick={() => setEditing(false)}>
              Cancel
            </button>
            <button type="button" className="primary" disabled={busy} onClick={saveEdit}>
              Save value
            </button>
          </>
        ) : (
          <>
            <button type="button" disabled={busy} onClick={() => void decide({ keep: 'mine' })}>
              Keep mine
            </button>
            <button type="button" disabled={busy} onClick={() => void decide({ keep: 'theirs' })}>
              Keep theirs
            </button>
            <button type="button" disabled={busy} onClick={() => void startEdit()}>
              Edit…
            </button>
          </>
        )}
      </div>
    </li>
  );
}
