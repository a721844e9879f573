import { useVirtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import { RecordName } from '../../../ui/useRecordName';
import { SUBJECT_LABEL } from '../subject';
import type { Task, TaskGroup } from '../task-views';
import { TaskRowCells } from './TaskRow';

type Item =
  | { kind: 'group'; group: TaskGroup }
  | { kind: 'task'; task: Task; group: TaskGroup }
  | { kind: 'more'; group: TaskGroup };

interface TaskListProps {
  label: string;
  groups: readonly TaskGroup[] | undefined;
  now: Date;
  selectedId?: string;
  showOwner: boolean;
  /** Hidden in By record, where the group says it. */
  showSubject?: boolean;
  onOpen: (task: Task) => void;
  onToggle: (task: Task) => void;
  onSnooze: (task: Task) => void;
  onOpenSubject: (type: NonNullable<Task['subjectType']>, id: string) => void;
  onEndReached?: () => void;
  /** "See all": a group that shows only some of its tasks links to where all are. */
  onMore?: (group: TaskGroup) => void;
  currentUserId?: string;
  empty: ReactNode;
}

const ROW = 44;
const HEAD = 36;

/**
 * Tasks in groups (Overdue / Today, days, records), virtualised. One tab stop: ↑↓ Home End move,
 * Space completes or reopens, Enter opens, S snoozes a day.
 */
export function TaskList(props: TaskListProps) {
  const { label, groups, now, selectedId, onEndReached, empty } = props;
  // Beside an open task the list is narrow: title, priority and due only.
  const compact = selectedId !== undefined;
  const showOwner = props.showOwner && !compact;
  const showSubject = (props.showSubject ?? true) && !compact;
  const scrollRef = useRef<HTMLDivElement>(null);
  const items = useMemo<Item[]>(
    () =>
      (groups ?? []).flatMap((group) => [
        { kind: 'group' as const, group },
        ...group.tasks.map((task) => ({ kind: 'task' as const, task, group })),
        ...(group.more ? [{ kind: 'more' as const, group }] : []),
      ]),
    [groups],
  );
  const taskIndexes = useMemo(() => items.flatMap((item, i) => (item.kind === 'task' ? [i] : [])), [items]);
  const [activeId, setActiveId] = useState<string>();
  const activeIndex = items.findIndex((item) => item.kind === 'task' && item.task.id === activeId);
  const active = activeIndex >= 0 ? activeIndex : (taskIndexes[0] ?? -1);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => (items[i]?.kind === 'task' ? ROW : HEAD),
    overscan: 12,
  });
  const virtualItems = virtualizer.getVirtualItems();
  const last = virtualItems.at(-1)?.index ?? 0;
  useEffect(() => {
    if (items.length > 0 && last >= items.length - 20) onEndReached?.();
  }, [last, items.length, onEndReached]);

  // A completed task leaves My day: keep the cursor at the same place rather than jumping to the top.
  const lastPosition = useRef(0);
  useEffect(() => {
    if (activeIndex >= 0) lastPosition.current = taskIndexes.indexOf(activeIndex);
    else if (activeId !== undefined && taskIndexes.length > 0) {
      const next = items[taskIndexes[Math.min(lastPosition.current, taskIndexes.length - 1)] ?? -1];
      if (next?.kind === 'task') setActiveId(next.task.id);
    }
  }, [activeIndex, activeId, taskIndexes, items]);

  if (groups === undefined) return <p className="muted pad">Loading…</p>;
  if (taskIndexes.length === 0) return <div className="empty task-empty">{empty}</div>;

  const move = (delta: number | 'first' | 'last') => {
    const position = taskIndexes.indexOf(active);
    const target =
      delta === 'first'
        ? 0
        : delta === 'last'
          ? taskIndexes.length - 1
          : Math.max(0, Math.min(taskIndexes.length - 1, position + delta));
    const index = taskIndexes[target];
    const item = index === undefined ? undefined : items[index];
    if (item?.kind !== 'task' || index === undefined) return;
    setActiveId(item.task.id);
    virtualizer.scrollToIndex(index, { align: 'auto' });
  };
  const activeTask = (() => {
    const item = items[active];
    return item?.kind === 'task' ? item.task : undefined;
  })();
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW) - 1);
    const moves: Record<string, number | 'first' | 'last'> = {
      ArrowDown: 1,
      ArrowUp: -1,
      PageDown: page,
      PageUp: -page,
      Home: 'first',
      End: 'last',
    };
    const step = moves[event.key];
    if (step !== undefined) {
      event.preventDefault();
      move(step);
      return;
    }
    if (!activeTask) return;
    if (event.key === ' ') {
      event.preventDefault();
      props.onToggle(activeTask);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      props.onOpen(activeTask);
    } else if (event.key === 's' || event.key === 'S') {
      event.preventDefault();
      props.onSnooze(activeTask);
    }
  };
  const columns = 4 + (showSubject ? 1 : 0) + (showOwner ? 1 : 0);
  const grid = [
    '32px',
    'minmax(0, 2.4fr)',
    ...(showSubject ? ['minmax(0, 1.5fr)'] : []),
    '84px',
    '210px',
    ...(showOwner ? ['minmax(0, 1fr)'] : []),
  ].join(' ');

  return (
    <div ref={scrollRef} className="vtable tasks-grid">
      <table
        // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: an ARIA grid on a table is the documented pattern for a keyboard-navigable data table.
        role="grid"
        aria-label={label}
        tabIndex={0}
        onKeyDown={onKeyDown}
        aria-activedescendant={activeTask ? `task-${activeTask.id}` : undefined}
        aria-keyshortcuts="Space Enter S"
      >
        <tbody style={{ height: virtualizer.getTotalSize() }}>
          {virtualItems.map((v) => {
            const item = items[v.index];
            if (!item) return null;
            const style = { height: v.size, transform: `translateY(${v.start}px)` };
            if (item.kind === 'group') {
              return (
                <tr key={`g-${item.group.key}`} className={`task-group ${item.group.tone ?? ''}`} style={style}>
                  <th colSpan={columns} scope="colgroup">
                    <GroupTitle group={item.group} onOpenSubject={props.onOpenSubject} />
                    <span className="task-group-count">
                      {(item.group.count ?? item.group.tasks.length + (item.group.more ?? 0)).toLocaleString()}
                    </span>
                  </th>
                </tr>
              );
            }
            if (item.kind === 'more') {
              return (
                <tr key={`m-${item.group.key}`} className="task-more" style={style}>
                  <td colSpan={columns}>
                    <button type="button" className="task-link" onClick={() => props.onMore?.(item.group)}>
                      {item.group.more} more {item.group.label.toLowerCase()} — see all →
                    </button>
                  </td>
                </tr>
              );
            }
            const { task } = item;
            const classes = ['vtable-row', 'task-row'];
            if (v.index === active) classes.push('active');
            if (task.id === selectedId) classes.push('selected');
            if (item.group.tone === 'danger') classes.push('task-row-overdue');
            return (
              <tr
                key={task.id}
                id={`task-${task.id}`}
                aria-selected={task.id === selectedId}
                className={classes.join(' ')}
                style={{ ...style, gridTemplateColumns: grid }}
                onClick={() => {
                  setActiveId(task.id);
                  props.onOpen(task);
                }}
              >
                <TaskRowCells
                  task={task}
                  now={now}
                  showOwner={showOwner}
                  showSubject={showSubject}
                  currentUserId={props.currentUserId}
                  onToggle={() => {
                    setActiveId(task.id);
                    props.onToggle(task);
                  }}
                  onOpenSubject={() =>
                    task.subjectType && task.subjectId && props.onOpenSubject(task.subjectType, task.subjectId)
                  }
                />
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function GroupTitle({ group, onOpenSubject }: { group: TaskGroup; onOpenSubject: TaskListProps['onOpenSubject'] }) {
  if (!group.subject) return <span>{group.label}</span>;
  const { type, id } = group.subject;
  return (
    <span>
      <span className="badge">{SUBJECT_LABEL[type]}</span>{' '}
      <button type="button" tabIndex={-1} className="task-link task-group-link" onClick={() => onOpenSubject(type, id)}>
        <RecordName entity={type} id={id} />
      </button>
    </span>
  );
}
