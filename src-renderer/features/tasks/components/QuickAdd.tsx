import { type FormEvent, type KeyboardEvent, type RefObject, useId, useRef, useState } from 'react';
import { taskEntity } from '../../../../src-shared/entities/work.entity';
import { useRepos } from '../../../app/crm-context';
import { unreadableInputs } from '../../../ui/focus-problem';
import { unreadableProblem } from '../../../ui/form-values';
import { formatValue } from '../../../ui/format';
import { toast } from '../../../ui/toasts';
import { type FormProblems, formProblems } from '../form-problems';
import type { Subject } from '../subject';
import { createTask, dateInputValue } from '../task-actions';
import type { Task } from '../task-views';
import { SubjectPicker } from './SubjectPicker';

const SHOWN = ['title', 'dueAt', 'subjectId'];
const LABELS: Record<string, string> = { title: 'Title', dueAt: 'Due date', subjectId: 'Record', priority: 'Priority' };

/**
 * One line to add a task: title, due date (today by default), priority and, optionally, the record.
 * Enter in the title or Ctrl+Enter anywhere in it adds; N on the screen focuses it.
 */
export function QuickAdd({ now, inputRef }: { now: Date; inputRef: RefObject<HTMLInputElement | null> }) {
  const repos = useRepos();
  const formId = useId();
  const [title, setTitle] = useState('');
  const [dueDate, setDueDate] = useState(() => dateInputValue(now));
  const [priority, setPriority] = useState<Task['priority']>('normal');
  const [subject, setSubject] = useState<{ type: Subject | ''; id: string }>({ type: '', id: '' });
  const [problems, setProblems] = useState<FormProblems>({ byField: {} });
  const [saving, setSaving] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (saving) return;
    // A date typed as 31/02 has the value "": the task was added with no due date, unasked.
    if (unreadableInputs(formRef.current).has(`${formId}-dueAt`)) {
      setProblems({ byField: { dueAt: `Due date ${unreadableProblem('date')}` } });
      return;
    }
    setSaving(true);
    try {
      const task = await createTask(repos.task, {
        title,
        dueDate,
        priority,
        ...(subject.type ? { subjectType: subject.type, subjectId: subject.id } : {}),
      });
      toast({ tone: 'success', message: `Task “${task.title}” added.` });
      setTitle('');
      setProblems({ byField: {} });
      inputRef.current?.focus();
    } catch (error) {
      setProblems(formProblems(error, SHOWN, LABELS));
    } finally {
      setSaving(false);
    }
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void submit();
    }
  };
  const messages = [...Object.values(problems.byField), ...(problems.other ? [problems.other] : [])];
  return (
    <form
      ref={formRef}
      className="quick-add"
      onSubmit={submit}
      onKeyDown={onKeyDown}
      noValidate
      aria-label="Quick add task"
    >
      <span className="quick-add-plus" aria-hidden="true">
        +
      </span>
      <input
        ref={inputRef}
        className="quick-add-title"
        aria-label="New task title"
        aria-keyshortcuts="N"
        placeholder="Add a task…  (N)  e.g. Call Ada about the renewal"
        value={title}
        onChange={(e) => setTitle(e.target.value)}
        aria-invalid={problems.byField.title ? true : undefined}
        aria-describedby={messages.length > 0 ? `${formId}-problems` : undefined}
      />
      <input
        id={`${formId}-dueAt`}
        type="date"
        aria-label="Due date"
        value={dueDate}
        onChange={(e) => setDueDate(e.target.value)}
        aria-invalid={problems.byField.dueAt ? true : undefined}
      />
      <select aria-label="Priority" value={priority} onChange={(e) => setPriority(e.target.value as Task['priority'])}>
        {taskEntity.fields.priority.values.map((v) => (
          <option key={v} value={v}>
            {formatValue(taskEntity.fields.priority, v, {})}
          </option>
        ))}
      </select>
      <SubjectPicker
        idPrefix={formId}
        type={subject.type}
        id={subject.id}
        onChange={(type, id) => setSubject({ type, id })}
        invalid={Boolean(problems.byField.subjectId)}
      />
      <button type="submit" className="primary" disabled={saving} title="Add (Enter, Ctrl+Enter)">
        Add
      </button>
      {messages.length > 0 && (
        <p id={`${formId}-problems`} className="field-problem quick-add-problems" role="alert">
          {messages.join(' · ')}
        </p>
      )}
    </form>
  );
}
