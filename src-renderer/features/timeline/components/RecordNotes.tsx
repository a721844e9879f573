import { useMemo, useState } from 'react';
import { ValidationError } from '../../../../src-shared/schema/validation-error';
import { useCan, useRepos } from '../../../app/crm-context';
import { useNavigation } from '../../../app/navigation';
import { errorMessage, toast } from '../../../ui/toasts';
import { useObservable } from '../../../ui/useObservable';
import { addNote } from '../notes.service';
import type { TimelineSubjectType } from '../timeline.queries';
import '../timeline.css';

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A record's notes, pinned first, and a box to add one. */
export function RecordNotes({
  subjectType,
  subjectId,
  limit = 20,
}: {
  subjectType: TimelineSubjectType;
  subjectId: string;
  limit?: number;
}) {
  const repos = useRepos();
  const open = useNavigation((s) => s.open);
  const canCreate = useCan('note', 'create');
  const notes = useObservable(() => repos.note.observe({ where: { subjectId }, limit }), undefined, [
    repos,
    subjectId,
    limit,
  ]);
  const total = useObservable(() => repos.note.observeCount({ where: { subjectId } }), undefined, [repos, subjectId]);
  const sorted = useMemo(
    () => (notes ? [...notes].sort((a, b) => Number(b.pinned) - Number(a.pinned)) : undefined),
    [notes],
  );
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: { preventDefault(): void }) => {
    event.preventDefault();
    setBusy(true);
    try {
      await addNote(repos, { subjectType, subjectId, body });
      setBody('');
      setError(undefined);
      toast({ tone: 'success', message: 'Note added.' });
    } catch (e) {
      setError(
        e instanceof ValidationError
          ? e.problems.map((p) => `${p.field === 'body' ? 'Note' : p.field} ${p.problem}`).join('; ')
          : errorMessage(e),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="section card-360 record-notes" aria-labelledby={`notes-${subjectId}`}>
      <header className="card-360-head">
        <h3 id={`notes-${subjectId}`}>Notes {total ? <span className="muted count-360">{total}</span> : null}</h3>
      </header>
      {canCreate && (
        <form className="form-360" onSubmit={(e) => void submit(e)} noValidate>
          <label htmlFor={`note-body-${subjectId}`} className="sr-only">
            New note
          </label>
          <textarea
            id={`note-body-${subjectId}`}
            rows={2}
            value={body}
            placeholder="Write a note…  (Ctrl+Enter to add)"
            aria-invalid={error ? true : undefined}
            onChange={(e) => setBody(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit(e);
            }}
          />
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
          <div className="row-360 end">
            <button type="submit" className="primary" disabled={busy || body.trim() === ''}>
              Add note
            </button>
          </div>
        </form>
      )}
      {sorted === undefined ? (
        <p className="muted">Loading…</p>
      ) : sorted.length === 0 ? (
        <p className="muted">No notes yet.</p>
      ) : (
        <ul className="notes-360">
          {sorted.map((note) => (
            <li key={note.id}>
              <div className="note-360-meta">
                <a
                  href={`#/notes/${encodeURIComponent(note.id)}`}
                  onClick={(e) => {
                    e.preventDefault();
                    open('notes', note.id);
                  }}
                >
                  {note.title || 'Note'}
                </a>
                {note.pinned && <span className="badge badge-high">Pinned</span>}
                <time className="muted" dateTime={note.createdAt}>
                  {when.format(new Date(note.createdAt))}
                </time>
              </div>
              <p className="note-360-body">{note.body}</p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
