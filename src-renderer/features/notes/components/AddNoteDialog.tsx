import { useState } from 'react';
import { useRepos } from '../../../app/crm-context';
import { CreateForm } from '../../../ui/CreateRecordDialog';
import { Dialog } from '../../../ui/Dialog';
import { formProblems, type Subject, SubjectPicker } from '../../tasks';
import { createNote, type Note, type NoteType } from '../note-actions';
import { type NewNote, useNewNoteDrafts } from '../note-drafts.store';
import { NoteTypeField } from './NoteTypeField';

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
  const fixed = Boolean(subjectType && subjectId);
  // A note closed unsaved (Escape, ×) is kept for the next Add note opened at the same place.
  const place = fixed ? `${subjectType}:${subjectId}` : '';
  const keepNew = useNewNoteDrafts((s) => s.keep);
  const dropNew = useNewNoteDrafts((s) => s.drop);
  const [draft, setDraft] = useState<NewNote>(
    () =>
      useNewNoteDrafts.getState().drafts[place] ?? {
        subjectType: subjectType ?? 'contact',
        subjectId: subjectId ?? '',
        title: '',
        body: '',
        noteType: 'general',
        pinned: false,
      },
  );
  const change = (next: Partial<NewNote>) => {
    const changed = { ...draft, ...next };
    setDraft(changed);
    keepNew(place, changed);
  };
  const subject = { type: draft.subjectType as Subject | '', id: draft.subjectId };
  const { title, body, noteType, pinned } = draft;

  return (
    <CreateForm
      label="Note form"
      submitLabel="Add note"
      savingLabel="Saving…"
      create={() =>
        createNote(repos.note, { subjectType: subject.type, subjectId: subject.id, title, body, noteType, pinned })
      }
      problemsOf={(error) => formProblems(error, SHOWN, LABELS)}
      successMessage={() => 'Note added.'}
      // Cancel (and closing once added) ends the draft; Escape and × close the dialog and keep it.
      onClose={() => {
        dropNew(place);
        onClose();
      }}
      onCreated={onCreated}
      submitOnCtrlEnter
      hint={
        <span className="muted note-hint">
          <kbd>Ctrl</kbd>+<kbd>Enter</kbd> saves
        </span>
      }
    >
      {({ formId, problems, problem, ariaOf }) => (
        <>
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
              onChange={(type, id) => change({ subjectType: type, subjectId: id })}
              invalid={Boolean(problems.byField.subjectId)}
              describedBy={ariaOf('subjectId')['aria-describedby']}
            />
            {problem('subjectId')}
          </div>
          <div className="form-row">
            <label htmlFor={`${formId}-title`}>Title</label>
            <input
              id={`${formId}-title`}
              value={title}
              placeholder="Optional: the first line is used"
              onChange={(e) => change({ title: e.target.value })}
              {...ariaOf('title')}
            />
            {problem('title')}
          </div>
          <NoteTypeField formId={formId} value={noteType} onChange={(next: NoteType) => change({ noteType: next })} />
          <div className="form-row wide">
            <label htmlFor={`${formId}-body`}>
              Note<span aria-hidden="true"> *</span>
            </label>
            <textarea
              id={`${formId}-body`}
              // The dialog exists to write this; with the record chosen already, it opens here (Dialog).
              data-autofocus={fixed || undefined}
              rows={9}
              value={body}
              placeholder={'What happened, what was agreed, next steps.\n- Lists with "- "\n**bold** for what matters'}
              onChange={(e) => change({ body: e.target.value })}
              {...ariaOf('body')}
            />
            {problem('body')}
          </div>
          <label className="note-pin-check">
            <input type="checkbox" checked={pinned} onChange={(e) => change({ pinned: e.target.checked })} /> Pin to the
            top of the record
          </label>
        </>
      )}
    </CreateForm>
  );
}
