import { useState } from 'react';
import { taskEntity } from '../../../../src-shared/entities/work.entity';
import type { FieldSpec } from '../../../../src-shared/schema/field';
import { useCan, useCrm, useRepos } from '../../../app/crm-context';
import { useNavigation } from '../../../app/navigation';
import { Dialog } from '../../../ui/Dialog';
import { editDraftPlace } from '../../../ui/form-drafts.store';
import { RecordForm } from '../../../ui/RecordForm';
import { errorMessage, toast } from '../../../ui/toasts';
import { DeleteRestoreClose, FieldCell, useRecord } from '../../records';
import { useNow } from '../hooks/useTaskData';
import { isSubject, SUBJECT_LABEL, SUBJECT_SCREEN } from '../subject';
import {
  dateInputValue,
  parseDue,
  rescheduleTask,
  SNOOZE_CHOICES,
  snoozeTask,
  timeInputValue,
  withStatusRules,
} from '../task-actions';
import { dueBucket, isOpen, type Task } from '../task-views';
import { runTaskToggle } from './task-commands';

const EDIT_FIELDS = ['title', 'description', 'type', 'status', 'priority', 'dueAt', 'reminderAt'] as const;
const SHOWN_FIELDS = ['status', 'priority', 'type', 'dueAt', 'reminderAt', 'completedAt', 'ownerId', 'workflowId'];

/** One task: complete or reopen, snooze, reschedule, edit, delete with undo; the record it is about. */
export function TaskDetail({ id, onClose }: { id: string; onClose: () => void }) {
  const repos = useRepos();
  const { user } = useCrm();
  const task = useRecord(repos.task, id) as Task | null | undefined;
  const now = useNow();
  const canUpdate = useCan('task', 'update');
  const canDelete = useCan('task', 'delete');
  const open = useNavigation((s) => s.open);
  const [editing, setEditing] = useState(false);

  if (task === undefined) return <p className="muted pad">Loading…</p>;
  if (task === null)
    return <div className="empty pad">This task is not on this device (deleted, or outside your access).</div>;
  const late = isOpen(task) && dueBucket(task, now) === 'overdue';
  return (
    <article className="record-detail task-detail" aria-label={`Task ${task.title}`}>
      <header className="detail-head">
        <div>
          <p className="eyebrow">Task{late ? ' · overdue' : ''}</p>
          <h2 className={task.status === 'completed' ? 'task-done-title' : undefined}>{task.title}</h2>
          {task.isDeleted && <p className="badge badge-lost">Deleted</p>}
        </div>
        <div className="detail-actions">
          {canUpdate && !task.isDeleted && (
            <button
              type="button"
              className={isOpen(task) ? 'primary' : undefined}
              onClick={() => void runTaskToggle(repos.task, task, now)}
            >
              {isOpen(task) ? '✓ Complete' : 'Reopen'}
            </button>
          )}
          {canUpdate && !task.isDeleted && (
            <button type="button" onClick={() => setEditing(true)}>
              Edit
            </button>
          )}
          <DeleteRestoreClose
            repo={repos.task as never}
            id={id}
            isDeleted={task.isDeleted}
            canUpdate={canUpdate}
            canDelete={canDelete}
            onClose={onClose}
          />
        </div>
      </header>
      {task.subjectType && task.subjectId && isSubject(task.subjectType) && (
        <p className="task-about">
          About <span className="badge">{SUBJECT_LABEL[task.subjectType]}</span>{' '}
          <button
            type="button"
            className="task-link task-about-link"
            onClick={() => task.subjectType && task.subjectId && open(SUBJECT_SCREEN[task.subjectType], task.subjectId)}
          >
            <FieldCell field={taskEntity.fields.subjectId} value={task.subjectId} record={task} />
          </button>
        </p>
      )}
      {task.description && <p className="task-description">{task.description}</p>}
      <dl className="field-list">
        {SHOWN_FIELDS.map((field) => {
          const value = (task as Record<string, unknown>)[field];
          if (value === undefined || value === '') return null;
          const spec = taskEntity.allFields[field as keyof typeof taskEntity.allFields] as FieldSpec;
          return (
            <div key={field}>
              <dt>{field === 'ownerId' ? 'Assigned to' : spec.label}</dt>
              <dd>
                {field === 'ownerId' && value === user.id ? (
                  'You'
                ) : (
                  <FieldCell field={spec} value={value} record={task} />
                )}
              </dd>
            </div>
          );
        })}
      </dl>
      {canUpdate && isOpen(task) && !task.isDeleted && <Reschedule task={task} now={now} />}
      <Dialog title="Edit task" open={editing} onClose={() => setEditing(false)}>
        <RecordForm
          entity={taskEntity}
          fields={EDIT_FIELDS}
          initial={task}
          submitLabel="Save"
          draftPlace={editDraftPlace('task', id)}
          onCancel={() => setEditing(false)}
          onSubmit={async (values) => {
            await repos.task.update(id, withStatusRules(task, values as never, now));
            setEditing(false);
            toast({ tone: 'success', message: 'Task saved.' });
          }}
        />
      </Dialog>
    </article>
  );
}

function Reschedule({ task, now }: { task: Task; now: Date }) {
  const repos = useRepos();
  const due = task.dueAt ? new Date(task.dueAt) : undefined;
  const [date, setDate] = useState(() => (due ? dateInputValue(due) : ''));
  const [time, setTime] = useState(() => (due ? timeInputValue(due) : ''));
  const [problem, setProblem] = useState<string>();
  const save = async () => {
    try {
      const next = parseDue(date, time);
      if (!next) throw new Error('Choose a date to reschedule to.');
      await rescheduleTask(repos.task, task.id, new Date(next));
      setProblem(undefined);
      toast({ tone: 'success', message: 'Task rescheduled.' });
    } catch (error) {
      setProblem(errorMessage(error).replace(/^task: dueAt/, 'Due date'));
    }
  };
  return (
    <section className="section" aria-label="Snooze or reschedule">
      <h3>Snooze or reschedule</h3>
      <div className="toolbar">
        {SNOOZE_CHOICES.map((choice) => (
          <button
            key={choice.key}
            type="button"
            onClick={() =>
              void snoozeTask(repos.task, task, choice.days, now).then(
                () => toast({ tone: 'success', message: `Snoozed to ${choice.label.toLowerCase()}.` }),
                (error: unknown) => toast({ tone: 'error', message: errorMessage(error) }),
              )
            }
          >
            {choice.label}
          </button>
        ))}
        <span className="muted">or</span>
        <input type="date" aria-label="New due date" value={date} onChange={(e) => setDate(e.target.value)} />
        <input type="time" aria-label="New due time" value={time} onChange={(e) => setTime(e.target.value)} />
        <button type="button" onClick={() => void save()}>
          Reschedule
        </button>
      </div>
      {problem && (
        <p className="field-problem" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}
