import { useState } from 'react';
import { taskEntity } from '../../../../src-shared/entities/work.entity';
import { useRepos } from '../../../app/crm-context';
import { CreateForm } from '../../../ui/CreateRecordDialog';
import { Dialog } from '../../../ui/Dialog';
import { formatValue } from '../../../ui/format';
import { formProblems } from '../form-problems';
import { useNow } from '../hooks/useTaskData';
import type { Subject } from '../subject';
import { createTask, dateInputValue } from '../task-actions';
import { type TaskDraftForm, useTaskDrafts } from '../task-drafts.store';
import type { Task } from '../task-views';
import { SubjectPicker } from './SubjectPicker';

export interface AddTaskDialogProps {
  /** The record the task is about, when the dialog is opened from a record (it cannot be changed then). */
  subjectType?: Subject;
  subjectId?: string;
  open: boolean;
  onClose: () => void;
  /** Called with the created task (after the dialog closed). */
  onCreated?: (task: Task) => void;
}

const SHOWN = ['title', 'dueAt', 'priority', 'type', 'description', 'subjectId'];
const LABELS: Record<string, string> = {
  title: 'Title',
  dueAt: 'Due',
  priority: 'Priority',
  type: 'Type',
  description: 'Description',
  subjectId: 'Record',
  subjectType: 'Kind of record',
};

/** "Add task" for any screen: title, due date and time, priority, type, notes, the record it is about. */
export function AddTaskDialog({ subjectType, subjectId, open, onClose, onCreated }: AddTaskDialogProps) {
  return (
    <Dialog title="Add task" open={open} onClose={onClose}>
      {open && <AddTaskForm subjectType={subjectType} subjectId={subjectId} onClose={onClose} onCreated={onCreated} />}
    </Dialog>
  );
}

function AddTaskForm({ subjectType, subjectId, onClose, onCreated }: Omit<AddTaskDialogProps, 'open'>) {
  const repos = useRepos();
  const now = useNow();
  const fixed = Boolean(subjectType && subjectId);
  const place = fixed ? `${subjectType}:${subjectId}` : '';
  const keepDraft = useTaskDrafts((s) => s.keep);
  const dropDraft = useTaskDrafts((s) => s.drop);
  const [form, setForm] = useState<TaskDraftForm>(
    () =>
      useTaskDrafts.getState().drafts[place] ?? {
        title: '',
        dueDate: dateInputValue(now),
        dueTime: '',
        priority: 'normal',
        type: '',
        description: '',
        subject: { type: subjectType ?? '', id: subjectId ?? '' },
      },
  );
  const { title, dueDate, dueTime, priority, type, description, subject } = form;
  const change = (next: Partial<TaskDraftForm>) => {
    const changed = { ...form, ...next };
    setForm(changed);
    // Kept once a title or description is typed; the other fields alone are quick picks.
    if (changed.title.trim() !== '' || changed.description.trim() !== '') keepDraft(place, changed);
  };
  const setTitle = (value: string) => change({ title: value });
  const setDueDate = (value: string) => change({ dueDate: value });
  const setDueTime = (value: string) => change({ dueTime: value });
  const setPriority = (value: Task['priority']) => change({ priority: value });
  const setType = (value: Task['type'] | '') => change({ type: value });
  const setDescription = (value: string) => change({ description: value });
  const setSubject = (value: TaskDraftForm['subject']) => change({ subject: value });

  return (
    <CreateForm
      label="Task form"
      submitLabel="Add task"
      savingLabel="Adding…"
      create={() =>
        createTask(repos.task, {
          title,
          dueDate,
          dueTime,
          priority,
          ...(type ? { type } : {}),
          description,
          ...(subject.type ? { subjectType: subject.type, subjectId: subject.id } : {}),
        })
      }
      problemsOf={(error) => formProblems(error, SHOWN, LABELS)}
      successMessage={(task) => `Task “${task.title}” added.`}
      // Cancel (and closing once added) ends the draft; Escape and × close the dialog and keep it.
      onClose={() => {
        dropDraft(place);
        onClose();
      }}
      onCreated={onCreated}
    >
      {({ formId, problems, problem, ariaOf }) => (
        <>
          <div className="form-row wide">
            <label htmlFor={`${formId}-title`}>
              Title<span aria-hidden="true"> *</span>
            </label>
            <input
              id={`${formId}-title`}
              value={title}
              placeholder="e.g. Call Ada about the renewal"
              onChange={(e) => setTitle(e.target.value)}
              {...ariaOf('title')}
            />
            {problem('title')}
          </div>
          <div className="form-row">
            <label htmlFor={`${formId}-dueAt`}>Due date</label>
            <input
              // Named by the field, so that a date the browser cannot read is refused at it (CreateForm).
              id={`${formId}-dueAt`}
              type="date"
              value={dueDate}
              onChange={(e) => setDueDate(e.target.value)}
              {...ariaOf('dueAt')}
            />
            {problem('dueAt')}
          </div>
          <div className="form-row">
            <label htmlFor={`${formId}-dueTime`}>Time (default 17:00)</label>
            <input
              id={`${formId}-dueTime`}
              type="time"
              value={dueTime}
              onChange={(e) => setDueTime(e.target.value)}
              {...ariaOf('dueTime')}
            />
            {problem('dueTime')}
          </div>
          <div className="form-row">
            <label htmlFor={`${formId}-priority`}>Priority</label>
            <select
              id={`${formId}-priority`}
              value={priority}
              onChange={(e) => setPriority(e.target.value as Task['priority'])}
            >
              {taskEntity.fields.priority.values.map((v) => (
                <option key={v} value={v}>
                  {formatValue(taskEntity.fields.priority, v, {})}
                </option>
              ))}
            </select>
          </div>
          <div className="form-row">
            <label htmlFor={`${formId}-type`}>Type</label>
            <select id={`${formId}-type`} value={type} onChange={(e) => setType(e.target.value as Task['type'] | '')}>
              <option value="">From the title</option>
              {taskEntity.fields.type.values.map((v) => (
                <option key={v} value={v}>
                  {formatValue(taskEntity.fields.type, v, {})}
                </option>
              ))}
            </select>
          </div>
          <div className="form-row wide">
            <label htmlFor={fixed ? undefined : `${formId}-subject-type`}>About</label>
            <SubjectPicker
              idPrefix={formId}
              type={subject.type}
              id={subject.id}
              fixed={fixed}
              onChange={(t, id) => setSubject({ type: t, id })}
              invalid={Boolean(problems.byField.subjectId)}
              describedBy={ariaOf('subjectId')['aria-describedby']}
            />
            {problem('subjectId')}
          </div>
          <div className="form-row wide">
            <label htmlFor={`${formId}-description`}>Description</label>
            <textarea
              id={`${formId}-description`}
              rows={3}
              value={description}
              onChange={(e) => setDescription(e.target.value)}
              {...ariaOf('description')}
            />
            {problem('description')}
          </div>
        </>
      )}
    </CreateForm>
  );
}
