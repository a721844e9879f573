import { useMemo } from 'react';
import { useRepos } from '../../app/crm-context';
import { useObservable } from '../../ui/useObservable';
import { type Content, type Engagement, engagementByContent, type Interaction } from './content-engagement';

/** Every content item, live. A library holds hundreds of assets, not hundreds of thousands. */
export function useContent(): Content[] | undefined {
  const repos = useRepos();
  return useObservable(() => repos.content.observe(), undefined as Content[] | undefined, [repos]);
}

/**
 * Engagement of every item, live, from all interactions.
 * TODO(issue 4): at the 100k data set (hundreds of thousands of interactions) keep running totals
 * per content item instead of reading every interaction.
 */
export function useEngagement(now: Date, weeks = 12): Map<string, Engagement> | undefined {
  const repos = useRepos();
  const interactions = useObservable(() => repos.contentInteraction.observe(), undefined as Interaction[] | undefined, [
    repos,
  ]);
  return useMemo(
    () => (interactions ? engagementByContent(interactions, now, weeks) : undefined),
    [interactions, now, weeks],
  );
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
