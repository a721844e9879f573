import { taskEntity } from '../../../../src-shared/entities/work.entity';
import { formatValue } from '../../../ui/format';
import { RecordName } from '../../../ui/useRecordName';
import { isSubject, SUBJECT_LABEL } from '../subject';
import { dueBucket, isOpen, startOfDay, type Task } from '../task-views';

const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const shortDate = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const longDate = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
const weekday = new Intl.DateTimeFormat(undefined, { weekday: 'short' });

/** "Today 17:00", "Tomorrow 09:30", "Fri 14:00", "3 Nov (27 days late)": what a rep scans for. */
export function dueLabel(task: Pick<Task, 'dueAt' | 'status'>, now: Date): string {
  if (!task.dueAt) return 'No due date';
  const due = new Date(task.dueAt);
  const today = startOfDay(now).getTime();
  const day = startOfDay(due).getTime();
  const days = Math.round((day - today) / 86_400_000);
  if (days === 0) return `Today ${time.format(due)}`;
  if (days === 1) return `Tomorrow ${time.format(due)}`;
  if (days > 1 && days < 7) return `${weekday.format(due)} ${time.format(due)}`;
  const date = (due.getFullYear() === now.getFullYear() ? shortDate : longDate).format(due);
  if (days === -1 && isOpen(task)) return `Yesterday ${time.format(due)}`;
  if (days < 0 && isOpen(task)) return `${date} · ${-days} days late`;
  return date;
}

export const TYPE_ICON: Record<Task['type'], string> = {
  call: '☏',
  email: '✉',
  meeting: '◷',
  todo: '•',
  followUp: '↻',
  demo: '▶',
};

interface TaskRowProps {
  task: Task;
  now: Date;
  showOwner: boolean;
  showSubject: boolean;
  currentUserId?: string;
  onToggle: () => void;
  onOpenSubject: () => void;
}

/** One task: its check box, title, what it is about, priority and due. */
export function TaskRowCells(props: TaskRowProps) {
  const { task, now, showOwner, showSubject, currentUserId, onToggle, onOpenSubject } = props;
  const done = task.status === 'completed';
  const closed = !isOpen(task);
  const late = isOpen(task) && dueBucket(task, now) === 'overdue';
  const lateToday =
    isOpen(task) &&
    dueBucket(task, now) === 'today' &&
    task.dueAt !== undefined &&
    Date.parse(task.dueAt) < now.getTime();
  return (
    <>
      <td className="task-check-cell">
        <button
          type="button"
          aria-pressed={done}
          tabIndex={-1}
          className={done ? 'task-check done' : 'task-check'}
          aria-label={done ? `Reopen “${task.title}”` : `Complete “${task.title}”`}
          title={done ? 'Reopen (Space)' : 'Complete (Space)'}
          onClick={(e) => {
            e.stopPropagation();
            onToggle();
          }}
        >
          {done ? '✓' : ''}
        </button>
      </td>
      <td className={closed ? 'task-title closed' : 'task-title'}>
        <span className="task-type" aria-hidden="true" title={formatValue(taskEntity.fields.type, task.type, {})}>
          {TYPE_ICON[task.type]}
        </span>
        {task.title}
        {task.status !== 'open' && task.status !== 'completed' && (
          <span className={`badge badge-${task.status}`}>{formatValue(taskEntity.fields.status, task.status, {})}</span>
        )}
      </td>
      {showSubject && (
        <td className="task-subject">
          {task.subjectType && task.subjectId && isSubject(task.subjectType) ? (
            <button
              type="button"
              tabIndex={-1}
              className="task-link"
              onClick={(e) => {
                e.stopPropagation();
                onOpenSubject();
              }}
            >
              <span className="muted">{SUBJECT_LABEL[task.subjectType]} · </span>
              <RecordName entity={task.subjectType} id={task.subjectId} />
            </button>
          ) : (
            <span className="muted">—</span>
          )}
        </td>
      )}
      <td>
        {task.priority !== 'normal' && (
          <span className={`badge badge-${task.priority}`}>
            {formatValue(taskEntity.fields.priority, task.priority, {})}
          </span>
        )}
      </td>
      <td className={late || lateToday ? 'task-due late' : 'task-due'}>{dueLabel(task, now)}</td>
      {showOwner && (
        <td className="muted">
          {task.ownerId === currentUserId ? 'You' : <RecordName entity="user" id={task.ownerId} />}
        </td>
      )}
    </>
  );
}
