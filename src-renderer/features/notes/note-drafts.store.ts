import { create } from 'zustand';
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
 * coming back finds the text as it was typed; Save or Cancel ends the edit. Likewise the note being
 * added, by where Add note was opened, until it is added or cancelled (Escape and × keep it). Kept
 * in memory only: note text is encrypted at rest in the database and must not land in plain
 * localStorage.
 */
interface NoteDraftsState {
  edits: Readonly<Record<string, NoteEdit>>;
  keep: (id: string, edit: NoteEdit) => void;
  drop: (id: string) => void;
  added: Readonly<Record<string, NewNote>>;
  keepNew: (place: string, note: NewNote) => void;
  dropNew: (place: string) => void;
}

export const useNoteDrafts = create<NoteDraftsState>()((set) => ({
  edits: {},
  added: {},
  keepNew: (place, note) => set((state) => ({ added: { ...state.added, [place]: note } })),
  dropNew: (place) =>
    set((state) => {
      if (!(place in state.added)) return state;
      const { [place]: _added, ...rest } = state.added;
      return { added: rest };
    }),
  keep: (id, edit) => set((state) => ({ edits: { ...state.edits, [id]: edit } })),
  drop: (id) =>
    set((state) => {
      if (!(id in state.edits)) return state;
      const { [id]: _ended, ...rest } = state.edits;
      return { edits: rest };
    }),
}));
