import { useEffect, useMemo } from 'react';
import type { ResearchProvider } from '../../../../src-shared/ai/company-research';
import { appSession, useSessionState } from '../../../app/app-session';
import { useRepos } from '../../../app/crm-context';
import { authorizedFetch } from '../../../sync/authenticated-transport';
import { toast } from '../../../ui/toasts';
import { useObservable } from '../../../ui/useObservable';
import { configuredProvider, localResearchQueue, type ResearchQueue, runQueuedBriefs } from '../research.service';

let sharedQueue: ResearchQueue | undefined;
/** One drain at a time: a request must not be sent twice. */
let draining = false;
export function researchQueue(): ResearchQueue {
  sharedQueue ??= localResearchQueue();
  return sharedQueue;
}

/**
 * The admin's language model when one is configured (externalIntegration 'openai'), else undefined;
 * through the sync server (which holds the endpoint's key) while signed in.
 */
export function useResearchProvider(): ResearchProvider | undefined {
  const repos = useRepos();
  const integrations = useObservable(() => repos.externalIntegration.observe(), [], [repos]);
  const session = useSessionState();
  const serverUrl = session.status === 'signed-in' ? session.serverUrl : undefined;
  return useMemo(
    () =>
      configuredProvider(
        integrations,
        undefined,
        serverUrl ? { serverUrl, fetch: authorizedFetch(appSession()) } : undefined,
      ),
    [integrations, serverUrl],
  );
}

/** Runs the briefs queued while offline once the device is back online. */
export function useQueuedResearch(provider: ResearchProvider | undefined, online: boolean): void {
  const repos = useRepos();
  useEffect(() => {
    if (!provider || !online || draining || researchQueue().list().length === 0) return;
    draining = true;
    void runQueuedBriefs(repos, provider, researchQueue()).then(({ done }) => {
      draining = false;
      if (done.length > 0)
        toast({
          tone: 'success',
          message: `${done.length} queued research ${done.length === 1 ? 'brief' : 'briefs'} written.`,
        });
    });
  }, [repos, provider, online]);
}
