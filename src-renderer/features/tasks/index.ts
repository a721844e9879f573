export { AddTaskDialog, type AddTaskDialogProps } from './components/AddTaskDialog';
export { SubjectPicker } from './components/SubjectPicker';
export { type FormProblems, formProblems } from './form-problems';
export { SUBJECT_LABEL, SUBJECT_SCREEN, type Subject } from './subject';
export { TasksScreen } from './TasksScreen';
