import { createDraftStore } from '../../ui/form-drafts.store';
import type { NoteType } from './note-actions';

/** What the note editor holds before Save. */
export interface NoteEdit {
  title: string;
  body: string;
  noteType: NoteType;
}

/** What the Add note form holds before the note is added. */
export interface NewNote extends NoteEdit {
  subjectType: string;
  subjectId: string;
  pinned: boolean;
}

/**
 * Edits of notes not saved yet, by note id, so that opening another note (or screen) mid-edit and
 * coming back finds the text as it was typed; Save or Cancel ends the edit. Kept in memory only
 * (form-drafts.store.ts): note text is encrypted at rest and must not land in plain localStorage.
 */
export const useNoteEditDrafts = createDraftStore<NoteEdit>();

/** The note being added, by where Add note was opened, until it is added or cancelled (Escape and × keep it). */
export const useNewNoteDrafts = createDraftStore<NewNote>();
