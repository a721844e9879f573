import { type ComponentProps, useEffect, useMemo, useRef, useState } from 'react';
import { taskEntity } from '../../../src-shared/entities/work.entity';
import { useCan, useCrm, useRepos } from '../../app/crm-context';
import { useNavigation } from '../../app/navigation';
import type { Repositories } from '../../db/repositories';
import { listCountText } from '../../ui/count-text';
import { formatValue } from '../../ui/format';
import { otherChoices } from '../../ui/prefetch-pages';
import { servedByIndex, usePagedList, usePrefetchedPages } from '../../ui/usePagedList';
import { ExportButton } from '../exports';
import { AddTaskDialog } from './components/AddTaskDialog';
import { QuickAdd } from './components/QuickAdd';
import { TaskDetail } from './components/TaskDetail';
import { TaskList } from './components/TaskList';
import { runSnooze, runTaskToggle } from './components/task-commands';
import { useNow, useOpenTasks } from './hooks/useTaskData';
import { SUBJECT_SCREEN } from './subject';
import { TASK_EXPORT_COLUMNS, taskViewExport } from './task-export';
import {
  groupsFor,
  isTaskView,
  TASK_VIEW_LABELS,
  TASK_VIEWS,
  type Task,
  type TaskGroup,
  type TaskStatus,
  type TaskView,
  tasksInGroups,
} from './task-views';
import './tasks.css';

type Scope = 'mine' | 'everyone';

/** Overdue tasks shown in My day before "see all": today's tasks must stay in view. */
const MY_DAY_OVERDUE = 8;
const EMPTY: Record<TaskView, string> = {
  myDay: 'Nothing due today and nothing overdue. Add a task above, or look at Upcoming.',
  overdue: 'Nothing overdue. Well done.',
  upcoming: 'No open tasks due after today.',
  byRecord: 'No open tasks.',
  all: 'No tasks match.',
};

/** Tasks: My day, Overdue, Upcoming, By record and All; quick add, complete with Space, snooze with S. */
export function TasksScreen() {
  const { user, mode } = useCrm();
  const repos = useRepos();
  const canCreate = useCan('task', 'create');
  const route = useNavigation((s) => s.route);
  const go = useNavigation((s) => s.go);
  const openRecord = useNavigation((s) => s.open);
  const view: TaskView = route.screen === 'tasks' && isTaskView(route.tab) ? route.tab : 'myDay';
  const selectedId = route.screen === 'tasks' ? route.id : undefined;
  // The demo user owns none of the demo's tasks: show everyone's rather than an empty day.
  const [scope, setScope] = useState<Scope>(mode === 'demo' ? 'everyone' : 'mine');
  const [status, setStatus] = useState<TaskStatus | ''>('');
  const [adding, setAdding] = useState(false);
  const quickAddRef = useRef<HTMLInputElement>(null);
  const now = useNow();
  const ownerId = scope === 'mine' ? user.id : undefined;
  // The dated views are computed from the open tasks here, so the export writes the rows on screen.
  const openTasks = useOpenTasks(ownerId, view !== 'all');
  const groups = useMemo(
    () =>
      view === 'all' || openTasks === undefined ? undefined : groupsFor(view, openTasks, now, ownerId, MY_DAY_OVERDUE),
    [view, openTasks, now, ownerId],
  );
  const dated = view === 'all' ? undefined : taskViewExport(view, groups ?? []);

  const common: CommonListProps = {
    now,
    selectedId,
    showOwner: scope === 'everyone',
    currentUserId: user.id,
    onOpen: (task) => openTask(task),
    onToggle: (task) => void runTaskToggle(repos.task, task, now),
    onSnooze: (task) => void runSnooze(repos.task, task, now),
    onOpenSubject: (type, id) => openRecord(SUBJECT_SCREEN[type], id),
  };
  const switchView = (next: TaskView) => go({ screen: 'tasks', tab: next });
  function openTask(task: Task) {
    go({ screen: 'tasks', id: task.id, tab: view });
  }
  const close = () => go({ screen: 'tasks', tab: view });

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      const target = event.target as HTMLElement | null;
      if (target?.closest('input, textarea, select, dialog, [contenteditable="true"]')) return;
      if (event.key === 'n' || event.key === 'N') {
        event.preventDefault();
        quickAddRef.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className={selectedId ? 'list-detail open' : 'list-detail'}>
      <section className="entity-list tasks-screen" aria-label="Tasks">
        <div className="toolbar">
          <h2>Tasks</h2>
          <span className="spacer" />
          <select aria-label="Whose tasks" value={scope} onChange={(e) => setScope(e.target.value as Scope)}>
            <option value="mine">My tasks</option>
            <option value="everyone">Everyone's tasks</option>
          </select>
          {view === 'all' && (
            <select
              aria-label="Filter by status"
              value={status}
              onChange={(e) => setStatus(e.target.value as TaskStatus | '')}
            >
              <option value="">All statuses</option>
              {taskEntity.fields.status.values.map((v) => (
                <option key={v} value={v}>
                  {formatValue(taskEntity.fields.status, v, {})}
                </option>
              ))}
            </select>
          )}
          {/* All exports its filters; a dated view exports exactly the tasks it shows. */}
          <ExportButton
            entity="task"
            title={dated?.title ?? 'Tasks'}
            columns={TASK_EXPORT_COLUMNS}
            where={{ ...(ownerId ? { ownerId } : {}), ...(view === 'all' && status ? { status } : {}) }}
            {...(dated ? { ids: dated.ids, extraFilters: dated.extraFilters } : {})}
          />
          {canCreate && (
            <button type="button" className="primary" onClick={() => setAdding(true)}>
              New task
            </button>
          )}
        </div>
        <div className="view-tabs" role="tablist" aria-label="Task views">
          {TASK_VIEWS.map((v) => (
            <button
              key={v}
              type="button"
              role="tab"
              aria-selected={v === view}
              className={v === view ? 'view-tab active' : 'view-tab'}
              onClick={() => switchView(v)}
            >
              {TASK_VIEW_LABELS[v]}
            </button>
          ))}
        </div>
        {mode === 'demo' && scope === 'everyone' && (
          <p className="muted demo-note">
            Demo data: the demo user owns no tasks, so this shows everyone's. Tasks you add are yours.
          </p>
        )}
        {canCreate && <QuickAdd now={now} inputRef={quickAddRef} />}
        {view === 'all' ? (
          <AllTasks {...common} ownerId={ownerId} status={status} userId={user.id} />
        ) : (
          <CalendarTasks {...common} view={view} groups={groups} onMore={() => switchView('overdue')} />
        )}
        <p className="muted key-hints">
          <kbd>N</kbd> new · <kbd>↑</kbd>
          <kbd>↓</kbd> move · <kbd>Space</kbd> complete / reopen · <kbd>Enter</kbd> open · <kbd>S</kbd> snooze a day
        </p>
      </section>
      {selectedId && (
        <aside className="detail-pane" aria-label="Task">
          <TaskDetail id={selectedId} onClose={close} />
        </aside>
      )}
      <AddTaskDialog open={adding} onClose={() => setAdding(false)} onCreated={(task) => openTask(task)} />
    </div>
  );
}

type CommonListProps = Pick<
  ComponentProps<typeof TaskList>,
  'now' | 'selectedId' | 'showOwner' | 'currentUserId' | 'onOpen' | 'onToggle' | 'onSnooze' | 'onOpenSubject'
>;

function Count({ count, capped = false }: { count: number | undefined; capped?: boolean }) {
  return (
    <p className="muted count task-count" aria-live="polite">
      {listCountText(count, capped, 'task', 'tasks')}
    </p>
  );
}

/** My day, Overdue, Upcoming, By record: computed from the open tasks, which stay few. */
function CalendarTasks({
  view,
  groups,
  ...common
}: CommonListProps & { view: Exclude<TaskView, 'all'>; groups: TaskGroup[] | undefined; onMore: () => void }) {
  return (
    <>
      <Count count={groups && tasksInGroups(groups)} />
      <TaskList
        {...common}
        label={TASK_VIEW_LABELS[view]}
        groups={groups}
        showSubject={view !== 'byRecord'}
        empty={<p>{EMPTY[view]}</p>}
      />
    </>
  );
}

/** The All view's filters: whose tasks (undefined: everyone's) and a status ('' is any). */
export interface AllTasksFilters {
  ownerId: string | undefined;
  status: TaskStatus | '';
}

/** What the All view shows under its filters. */
export const allTasksOptions = ({ ownerId, status }: AllTasksFilters) => ({
  where: { ...(ownerId ? { ownerId } : {}), ...(status ? { status } : {}) },
});

/**
 * The All view under the other choice of "Whose tasks" (mine: `userId`, or everyone's) and under
 * each other status (and all), the other select as chosen, that an index serves: their first pages
 * are read while idle. Every choice is: mine of any status has the owner index (tasks v2,
 * work.entity.ts), so it is read ahead from everyone's too.
 */
export const allTasksReadAhead = (repo: Repositories['task'], chosen: AllTasksFilters, userId: string) =>
  servedByIndex(
    repo,
    otherChoices(
      chosen,
      { ownerId: [userId, undefined], status: ['', ...taskEntity.fields.status.values] },
      allTasksOptions,
    ),
  );

/** All: every task (or one status), newest first, paged from the owner/status indexes. */
function AllTasks({ ownerId, status, userId, ...common }: CommonListProps & AllTasksFilters & { userId: string }) {
  const repos = useRepos();
  const { rows, total, totalCapped, loadMore, busy } = usePagedList(repos.task, allTasksOptions({ ownerId, status }));
  const readAhead = useMemo(
    () => allTasksReadAhead(repos.task, { ownerId, status }, userId),
    [repos.task, ownerId, status, userId],
  );
  usePrefetchedPages(repos.task, readAhead, !busy && rows !== undefined);
  const groups = useMemo<TaskGroup[] | undefined>(
    () =>
      rows === undefined
        ? undefined
        : [
            {
              key: 'all',
              label: status ? formatValue(taskEntity.fields.status, status, {}) : 'All tasks, newest first',
              tasks: rows as Task[],
              // Above the count's cap the group shows what is loaded; the line above says "10,000+".
              ...(total === undefined || totalCapped ? {} : { count: total }),
            },
          ],
    [rows, status, total, totalCapped],
  );
  return (
    <>
      <Count count={total} capped={totalCapped} />
      <TaskList {...common} label="All tasks" groups={groups} onEndReached={loadMore} empty={<p>{EMPTY.all}</p>} />
    </>
  );
}
