export { AddNoteDialog, type AddNoteDialogProps } from './components/AddNoteDialog';
export { NoteBody } from './components/NoteBody';
export { NotesScreen } from './NotesScreen';
