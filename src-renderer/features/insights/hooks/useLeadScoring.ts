import { useEffect, useSyncExternalStore } from 'react';
import { can } from '../../../../src-shared/auth/permissions';
import { type Crm, useCrm } from '../../../app/crm-context';
import type { LocalDatabase } from '../../../db/create-database';
import { LeadScoringService, type LeadScoringState } from '../lead-scoring.service';

/** One scoring service per open database, started on first use and kept while the app is open. */
const services = new WeakMap<LocalDatabase, LeadScoringService>();

export function leadScoringServiceOf(crm: Pick<Crm, 'db' | 'repos' | 'user' | 'mode'>): LeadScoringService {
  let service = services.get(crm.db);
  if (!service) {
    service = new LeadScoringService({
      db: crm.db,
      repos: crm.repos,
      context: {
        userId: crm.user.id,
        mode: crm.mode,
        canUpdate: can(crm.user.permissions, 'lead', 'update') !== 'none',
      },
    });
    services.set(crm.db, service);
    void service.start();
  }
  return service;
}

/** The lead scorer's state on this device and its Retrain action. */
export function useLeadScoring(): LeadScoringState & { retrain: () => Promise<LeadScoringState> } {
  const crm = useCrm();
  const service = leadScoringServiceOf(crm);
  const state = useSyncExternalStore(
    (onChange) => {
      const s = service.state$.subscribe(onChange);
      return () => s.unsubscribe();
    },
    () => service.state,
  );
  return { ...state, retrain: () => service.retrain().then(() => service.state) };
}

/** Starts the scoring service (re-scores on change, retrains on schedule) without rendering anything. */
export function useLeadScoringService(): void {
  const crm = useCrm();
  useEffect(() => {
    leadScoringServiceOf(crm);
  }, [crm]);
}
