import { useOnline } from '../../../sync/useServerOnline';
import { useLeadScoringService } from './useLeadScoring';
import { useQueuedResearch, useResearchProvider } from './useResearch';

/**
 * The insights' background work, whichever screen is open: lead scores kept current (re-score on
 * change, retrain daily in idle time) and research briefs queued while offline written on reconnect.
 */
export function useInsights(): void {
  useLeadScoringService();
  const provider = useResearchProvider();
  const online = useOnline();
  useQueuedResearch(provider, online);
}
