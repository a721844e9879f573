import { useEffect, useState } from 'react';
import { useCrm } from '../../../app/crm-context';

const OPEN_STAGES = ['prospecting', 'qualification', 'proposal', 'negotiation'] as const;
const OPEN_TASKS = ['open', 'inProgress', 'waiting'] as const;
const LIVE_LEADS = ['new', 'contacted', 'nurturing', 'qualified'] as const;

export interface RepRecords {
  readonly deals: readonly Record<string, unknown>[];
  readonly overdueTasks: readonly Record<string, unknown>[];
  readonly hotLeads: readonly Record<string, unknown>[];
  readonly user?: Record<string, unknown>;
}

/**
 * One rep's open and won deals, overdue tasks and hot leads, each read with equality queries on the
 * [ownerId, stage|status, isDeleted, newest] indexes (never a scan of everyone's records).
 */
export function useRepRecords(ownerId: string | undefined, now: Date): RepRecords | undefined {
  const { repos } = useCrm();
  const [records, setRecords] = useState<RepRecords | undefined>(undefined);
  const nowIso = now.toISOString();
  useEffect(() => {
    if (!ownerId) return;
    let live = true;
    setRecords(undefined);
    void (async () => {
      const [deals, tasks, leads, user] = await Promise.all([
        Promise.all([...OPEN_STAGES, 'closedWon'].map((stage) => repos.deal.list({ where: { ownerId, stage } }))),
        Promise.all(OPEN_TASKS.map((status) => repos.task.list({ where: { ownerId, status } }))),
        Promise.all(LIVE_LEADS.map((status) => repos.lead.list({ where: { ownerId, status } }))),
        repos.user.get(ownerId),
      ]);
      if (!live) return;
      setRecords({
        deals: deals.flat() as never,
        overdueTasks: tasks
          .flat()
          .filter((t) => t.dueAt !== undefined && t.dueAt < nowIso)
          .sort((a, b) => String(a.dueAt).localeCompare(String(b.dueAt))) as never,
        hotLeads: leads
          .flat()
          .filter((l) => l.rating === 'hot')
          .sort((a, b) => b.score - a.score) as never,
        ...(user ? { user: user as never } : {}),
      });
    })();
    return () => {
      live = false;
    };
  }, [repos, ownerId, nowIso]);
  return records;
}

/** Whose dashboard to show first: the signed-in user if they are a user record, else the rep with most open deals. */
export function useDefaultRep(userId: string, users: readonly { id: string }[]): string | undefined {
  const { repos } = useCrm();
  const [rep, setRep] = useState<string | undefined>(undefined);
  useEffect(() => {
    if (users.length === 0) return;
    if (users.some((u) => u.id === userId)) return setRep(userId);
    let live = true;
    void Promise.all(
      users.map(async (u) => ({
        id: u.id,
        n: await repos.deal.count({ where: { ownerId: u.id, stage: 'proposal' } }),
      })),
    ).then((counts) => live && setRep(counts.sort((a, b) => b.n - a.n)[0]?.id));
    return () => {
      live = false;
    };
  }, [repos, userId, users]);
  return rep;
}
