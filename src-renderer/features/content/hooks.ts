import { useMemo } from 'react';
import { asyncScheduler, throttleTime } from 'rxjs';
import { useCrm, useRepos } from '../../app/crm-context';
import { useObservable } from '../../ui/useObservable';
import type { Content, Engagement, Interaction } from './content-engagement';
import { type EngagementState, engagementState$ } from './live-engagement';

/** Every content item, live. A library holds hundreds of assets, not hundreds of thousands. */
export function useContent(): Content[] | undefined {
  const repos = useRepos();
  return useObservable(() => repos.content.observe(), undefined as Content[] | undefined, [repos]);
}

export interface EngagementView {
  /** Every engaged item's engagement; undefined until every interaction is counted. */
  engagement: Map<string, Engagement> | undefined;
  status: EngagementState['status'];
  counted: number;
  total: number;
}

/**
 * Engagement of every item, live: running totals counted once per visit (live-engagement.ts), not
 * every interaction re-read on each write. The weekly series end at `now`.
 */
export function useEngagement(now: Date, weeks = 12): EngagementView {
  const { db, repos } = useCrm();
  const state = useObservable(
    // A sync pulling thousands of interactions writes in many bulks: the screen follows at 4 a second.
    () => engagementState$(db, repos).pipe(throttleTime(250, asyncScheduler, { leading: true, trailing: true })),
    undefined as EngagementState | undefined,
    [db, repos],
  );
  const engagement = useMemo(
    () => (state?.status === 'ready' ? state.tally.snapshot(now, weeks) : undefined),
    [state, now, weeks],
  );
  return { engagement, status: state?.status ?? 'counting', counted: state?.counted ?? 0, total: state?.total ?? 0 };
}

/** One item's interactions, newest first, from the contentId index. */
export function useInteractions(contentId: string): Interaction[] | undefined {
  const repos = useRepos();
  const list = useObservable(
    () => repos.contentInteraction.observe({ where: { contentId } }),
    undefined as Interaction[] | undefined,
    [repos, contentId],
  );
  return useMemo(() => list && [...list].sort((a, b) => b.occurredAt.localeCompare(a.occurredAt)), [list]);
}
