import { useRepos } from '../../../app/crm-context';
import { useObservable } from '../../../ui/useObservable';
import { observeOpenTasks } from '../related.queries';
import { sentence } from '../timeline.queries';
import { RecordLink } from './RecordLink';
import '../timeline.css';

const due = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** A record's open tasks, soonest due first, overdue ones marked. */
export function OpenTasks({ subjectId, now = Date.now() }: { subjectId: string; now?: number }) {
  const repos = useRepos();
  const tasks = useObservable(() => observeOpenTasks(repos, subjectId), undefined, [repos, subjectId]);
  return (
    <section className="section card-360 open-tasks" aria-labelledby={`tasks-${subjectId}`}>
      <header className="card-360-head">
        <h3 id={`tasks-${subjectId}`}>
          Open tasks {tasks?.length ? <span className="muted count-360">{tasks.length}</span> : null}
        </h3>
      </header>
      {tasks === undefined ? (
        <p className="muted">Loading…</p>
      ) : tasks.length === 0 ? (
        <p className="muted">No open tasks.</p>
      ) : (
        <ul className="tasks-360">
          {tasks.map((task) => {
            const overdue = task.dueAt !== undefined && Date.parse(task.dueAt) < now;
            return (
              <li key={task.id}>
                <span aria-hidden="true">☐</span>
                <RecordLink entity="task" id={task.id}>
                  {task.title}
                </RecordLink>
                {task.priority === 'high' || task.priority === 'urgent' ? (
                  <span className={`badge badge-${task.priority}`}>{sentence(task.priority)}</span>
                ) : null}
                {task.dueAt && (
                  <time className={overdue ? 'due overdue' : 'due muted'} dateTime={task.dueAt}>
                    {overdue ? 'Overdue · ' : 'Due '}
                    {due.format(new Date(task.dueAt))}
                  </time>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
