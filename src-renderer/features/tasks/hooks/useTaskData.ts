import { useEffect, useState } from 'react';
import { combineLatest } from 'rxjs';
import { useCrm, useRepos } from '../../../app/crm-context';
import { OPEN_STATUSES, type Task } from '../task-views';

/**
 * The open tasks (open, in progress, waiting), live: one index query per status, of one owner
 * (`ownerId`, `status`, … index) or of everyone (`status`, … index). Closed tasks, the bulk of a
 * mature CRM, are never loaded for the calendar views.
 */
export function useOpenTasks(ownerId: string | undefined, enabled = true): Task[] | undefined {
  const repos = useRepos();
  const [tasks, setTasks] = useState<Task[] | undefined>(undefined);
  useEffect(() => {
    setTasks(undefined);
    if (!enabled) return;
    const queries = OPEN_STATUSES.map((status) =>
      repos.task.observe({ where: ownerId ? { ownerId, status } : { status } }),
    );
    const subscription = combineLatest(queries).subscribe((lists) => setTasks(lists.flat()));
    return () => subscription.unsubscribe();
  }, [repos, ownerId, enabled]);
  return tasks;
}

/** The clock of the database (injected in tests), re-read every minute so "today" rolls over at midnight. */
export function useNow(intervalMs = 60_000): Date {
  const { db } = useCrm();
  const [now, setNow] = useState(() => db.clock.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(db.clock.now()), intervalMs);
    return () => clearInterval(timer);
  }, [db, intervalMs]);
  return now;
}
