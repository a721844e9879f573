import { type FormEvent, useId, useState } from 'react';
import { noteEntity } from '../../../../src-shared/entities/work.entity';
import { useRepos } from '../../../app/crm-context';
import { Dialog } from '../../../ui/Dialog';
import { formatValue } from '../../../ui/format';
import { toast } from '../../../ui/toasts';
import { type FormProblems, formProblems, type Subject, SubjectPicker } from '../../tasks';
import { createNote, type Note, type NoteType } from '../note-actions';

export interface AddNoteDialogProps {
  /** The record the note is about, when opened from a record (it cannot be changed then). */
  subjectType?: Subject;
  subjectId?: string;
  open: boolean;
  onClose: () => void;
  onCreated?: (note: Note) => void;
}

const SHOWN = ['title', 'body', 'subjectId', 'noteType'];
const LABELS: Record<string, string> = {
  title: 'Title',
  body: 'Note',
  subjectId: 'Record',
  subjectType: 'Kind of record',
  noteType: 'Type',
};

/** "Add note" for any screen: the record, a title, the text, its type; Ctrl+Enter saves. */
export function AddNoteDialog({ subjectType, subjectId, open, onClose, onCreated }: AddNoteDialogProps) {
  return (
    <Dialog title="Add note" open={open} onClose={onClose}>
      {open && <AddNoteForm subjectType={subjectType} subjectId={subjectId} onClose={onClose} onCreated={onCreated} />}
    </Dialog>
  );
}

function AddNoteForm({ subjectType, subjectId, onClose, onCreated }: Omit<AddNoteDialogProps, 'open'>) {
  const repos = useRepos();
  const formId = useId();
  const fixed = Boolean(subjectType && subjectId);
  const [subject, setSubject] = useState<{ type: Subject | ''; id: string }>({
    type: subjectType ?? 'contact',
    id: subjectId ?? '',
  });
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [noteType, setNoteType] = useState<NoteType>('general');
  const [pinned, setPinned] = useState(false);
  const [problems, setProblems] = useState<FormProblems>({ byField: {} });
  const [saving, setSaving] = useState(false);

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (saving) return;
    setSaving(true);
    try {
      const note = await createNote(repos.note, {
        subjectType: subject.type,
        subjectId: subject.id,
        title,
        body,
        noteType,
        pinned,
      });
      toast({ tone: 'success', message: 'Note added.' });
      onClose();
      onCreated?.(note);
    } catch (error) {
      setProblems(formProblems(error, SHOWN, LABELS));
    } finally {
      setSaving(false);
    }
  };
  const problem = (field: string) =>
    problems.byField[field] ? (
      <span id={`${formId}-${field}-problem`} className="field-problem" role="alert">
        {problems.byField[field]}
      </span>
    ) : null;

  return (
    <form
      className="record-form"
      onSubmit={submit}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          void submit();
        }
      }}
      noValidate
      aria-label="Note form"
    >
      <div className="form-grid">
        <div className="form-row wide">
          <label htmlFor={fixed ? undefined : `${formId}-subject-type`}>
            About<span aria-hidden="true"> *</span>
          </label>
          <SubjectPicker
            idPrefix={formId}
            type={subject.type}
            id={subject.id}
            fixed={fixed}
            required
            onChange={(type, id) => setSubject({ type, id })}
            invalid={Boolean(problems.byField.subjectId)}
            describedBy={problems.byField.subjectId ? `${formId}-subjectId-problem` : undefined}
          />
          {problem('subjectId')}
        </div>
        <div className="form-row">
          <label htmlFor={`${formId}-title`}>Title</label>
          <input
            id={`${formId}-title`}
            maxLength={200}
            value={title}
            placeholder="Optional: the first line is used"
            onChange={(e) => setTitle(e.target.value)}
          />
          {problem('title')}
        </div>
        <div className="form-row">
          <label htmlFor={`${formId}-type`}>Type</label>
          <select id={`${formId}-type`} value={noteType} onChange={(e) => setNoteType(e.target.value as NoteType)}>
            {noteEntity.fields.noteType.values.map((v) => (
              <option key={v} value={v}>
                {formatValue(noteEntity.fields.noteType, v, {})}
              </option>
            ))}
          </select>
        </div>
        <div className="form-row wide">
          <label htmlFor={`${formId}-body`}>
            Note<span aria-hidden="true"> *</span>
          </label>
          <textarea
            id={`${formId}-body`}
            // biome-ignore lint/a11y/noAutofocus: the dialog exists to write this.
            autoFocus={fixed}
            rows={9}
            maxLength={50_000}
            value={body}
            placeholder={'What happened, what was agreed, next steps.\n- Lists with "- "\n**bold** for what matters'}
            onChange={(e) => setBody(e.target.value)}
            aria-invalid={problems.byField.body ? true : undefined}
            aria-describedby={problems.byField.body ? `${formId}-body-problem` : undefined}
          />
          {problem('body')}
        </div>
        <label className="note-pin-check">
          <input type="checkbox" checked={pinned} onChange={(e) => setPinned(e.target.checked)} /> Pin to the top of the
          record
        </label>
      </div>
      {problems.other && (
        <p className="form-error" role="alert">
          {problems.other}
        </p>
      )}
      <div className="form-actions">
        <span className="muted note-hint">
          <kbd>Ctrl</kbd>+<kbd>Enter</kbd> saves
        </span>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={saving}>
          {saving ? 'Saving…' : 'Add note'}
        </button>
      </div>
    </form>
  );
}
