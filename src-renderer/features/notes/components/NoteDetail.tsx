import { useEffect, useId, useRef, useState } from 'react';
import { noteEntity } from '../../../../src-shared/entities/work.entity';
import { useCan, useCrm, useRepos } from '../../../app/crm-context';
import { useNavigation } from '../../../app/navigation';
import { focusFirstProblem } from '../../../ui/focus-problem';
import { formatValue } from '../../../ui/format';
import { errorMessage, toast } from '../../../ui/toasts';
import { RecordName } from '../../../ui/useRecordName';
import { DeleteRestoreClose, useRecord } from '../../records';
import { type FormProblems, formProblems, SUBJECT_LABEL, SUBJECT_SCREEN } from '../../tasks';
import { type Note, type NoteType, noteHeading, updateNote, wasEdited } from '../note-actions';
import { type NoteEdit, useNoteEditDrafts } from '../note-drafts.store';
import { NoteBody } from './NoteBody';
import { NoteTypeField } from './NoteTypeField';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** The reader of one note, with Edit in place (Ctrl+Enter saves, Escape cancels), Pin and Delete. */
export function NoteDetail({ id, onClose }: { id: string; onClose: () => void }) {
  const repos = useRepos();
  const { user } = useCrm();
  const note = useRecord(repos.note, id) as Note | null | undefined;
  const canUpdate = useCan('note', 'update');
  const canDelete = useCan('note', 'delete');
  const open = useNavigation((s) => s.open);
  // An edit left unsaved for another note is reopened as it was left.
  const [editing, setEditing] = useState(() => id in useNoteEditDrafts.getState().drafts);
  const dropDraft = useNoteEditDrafts((s) => s.drop);
  const endEdit = () => {
    dropDraft(id);
    setEditing(false);
  };

  if (note === undefined) return <p className="muted pad">Loading…</p>;
  if (note === null)
    return <div className="empty pad">This note is not on this device (deleted, or outside your access).</div>;
  const subjectType = note.subjectType;
  return (
    <article className="record-detail note-detail" aria-label={`Note ${noteHeading(note)}`}>
      <header className="detail-head">
        <div>
          <p className="eyebrow">
            {formatValue(noteEntity.fields.noteType, note.noteType, {})} note{note.pinned ? ' · pinned' : ''}
          </p>
          <h2>{noteHeading(note)}</h2>
          {note.isDeleted && <p className="badge badge-lost">Deleted</p>}
        </div>
        <div className="detail-actions">
          {canUpdate && !note.isDeleted && !editing && (
            <>
              <button type="button" onClick={() => setEditing(true)}>
                Edit
              </button>
              <button
                type="button"
                aria-pressed={note.pinned}
                onClick={() =>
                  void updateNote(repos.note, id, { pinned: !note.pinned }).catch((error: unknown) =>
                    toast({ tone: 'error', message: errorMessage(error) }),
                  )
                }
              >
                {note.pinned ? 'Unpin' : 'Pin'}
              </button>
            </>
          )}
          <DeleteRestoreClose
            repo={repos.note as never}
            id={id}
            isDeleted={note.isDeleted}
            canUpdate={canUpdate}
            canDelete={canDelete}
            onClose={onClose}
          />
        </div>
      </header>
      <p className="note-byline">
        <span className="badge">{SUBJECT_LABEL[subjectType]}</span>{' '}
        <button
          type="button"
          className="note-subject-link"
          onClick={() => open(SUBJECT_SCREEN[subjectType], note.subjectId)}
        >
          <RecordName entity={subjectType} id={note.subjectId} />
        </button>
        <span className="muted">
          {' · '}
          {note.ownerId === user.id ? 'You' : <RecordName entity="user" id={note.ownerId} />}
          {' · '}
          {dateTime.format(new Date(note.createdAt))}
          {wasEdited(note) && ` · edited ${dateTime.format(new Date(note.updatedAt))}`}
        </span>
      </p>
      {editing ? <NoteEditor note={note} onDone={endEdit} /> : <NoteBody body={note.body} />}
    </article>
  );
}

function NoteEditor({ note, onDone }: { note: Note; onDone: () => void }) {
  const repos = useRepos();
  const formId = useId();
  const keepDraft = useNoteEditDrafts((s) => s.keep);
  const [edit, setEdit] = useState<NoteEdit>(
    () =>
      useNoteEditDrafts.getState().drafts[note.id] ?? {
        title: note.title ?? '',
        body: note.body,
        noteType: note.noteType,
      },
  );
  const { title, body, noteType } = edit;
  const change = (next: Partial<NoteEdit>) => {
    const changed = { ...edit, ...next };
    setEdit(changed);
    keepDraft(note.id, changed);
  };
  const [problems, setProblems] = useState<FormProblems>({ byField: {} });
  const formRef = useRef<HTMLFormElement>(null);
  // Bumped by a refused save; focus goes to the first problem once it is rendered.
  const [refused, setRefused] = useState(0);
  useEffect(() => {
    if (refused > 0) focusFirstProblem(formRef.current);
  }, [refused]);
  const save = async () => {
    try {
      await updateNote(repos.note, note.id, { title, body, noteType });
      toast({ tone: 'success', message: 'Note saved.' });
      onDone();
    } catch (error) {
      const found = formProblems(error, ['title', 'body', 'noteType'], {
        title: 'Title',
        body: 'Note',
        noteType: 'Type',
      });
      setProblems(found);
      if (Object.keys(found.byField).length > 0) setRefused((n) => n + 1);
    }
  };
  return (
    <form
      ref={formRef}
      className="note-editor"
      aria-label="Edit note"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          void save();
        } else if (e.key === 'Escape') {
          // Escape leaves the editor, not the note (the app's Escape closes the open record).
          e.preventDefault();
          e.stopPropagation();
          onDone();
        }
      }}
    >
      <div className="form-grid">
        <div className="form-row">
          <label htmlFor={`${formId}-title`}>Title</label>
          <input
            id={`${formId}-title`}
            value={title}
            onChange={(e) => change({ title: e.target.value })}
            aria-invalid={problems.byField.title ? true : undefined}
            aria-describedby={problems.byField.title ? `${formId}-title-problem` : undefined}
          />
          {problems.byField.title && (
            <span id={`${formId}-title-problem`} className="field-problem" role="alert">
              {problems.byField.title}
            </span>
          )}
        </div>
        <NoteTypeField formId={formId} value={noteType} onChange={(next: NoteType) => change({ noteType: next })} />
        <div className="form-row wide">
          <label htmlFor={`${formId}-body`}>Note</label>
          <textarea
            id={`${formId}-body`}
            // biome-ignore lint/a11y/noAutofocus: Edit was pressed to change this text.
            autoFocus
            rows={16}
            value={body}
            onChange={(e) => change({ body: e.target.value })}
            aria-invalid={problems.byField.body ? true : undefined}
            aria-describedby={problems.byField.body ? `${formId}-body-problem` : undefined}
          />
          {problems.byField.body && (
            <span id={`${formId}-body-problem`} className="field-problem" role="alert">
              {problems.byField.body}
            </span>
          )}
        </div>
      </div>
      {problems.other && (
        <p className="form-error" role="alert">
          {problems.other}
        </p>
      )}
      <div className="form-actions">
        <span className="muted note-hint">
          <kbd>Ctrl</kbd>+<kbd>Enter</kbd> saves · <kbd>Esc</kbd> cancels
        </span>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="primary">
          Save
        </button>
      </div>
    </form>
  );
}
