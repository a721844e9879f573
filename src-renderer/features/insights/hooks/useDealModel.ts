import { useEffect, useMemo, useState } from 'react';
import type { DealModel } from '../../../../src-shared/ai/deal-scoring';
import { useRepos } from '../../../app/crm-context';
import type { Repositories } from '../../../db/repositories';
import { type ToUsd, type TrainedDeals, trainDealModelFrom } from '../deal-model';
import type { Converter } from '../money';

export interface DealModelState {
  readonly model?: DealModel;
  /** The model's probability of an open deal (undefined: no model, weak signal, or closed). */
  readonly probabilityOf: TrainedDeals['probabilityOf'];
  readonly examples: number;
  readonly trainedAt?: string;
  readonly training: boolean;
  readonly error?: string;
}

/** A day: the deal model is rebuilt from the local history at most this often while the app is open. */
const MAX_AGE_MS = 86_400_000;

interface Cached {
  at: number;
  promise: Promise<Omit<DealModelState, 'training'>>;
}
const cache = new WeakMap<Repositories, Cached>();
const INITIAL: DealModelState = { examples: 0, training: true, probabilityOf: () => undefined };

export function usdOf(book: Converter): ToUsd {
  return (amount, currency, date) => {
    const c = book.convert({ amount, currency }, 'USD', date);
    return c.ok ? c.amount : undefined;
  };
}

function trained(repos: Repositories, book: Converter, force: boolean): Cached['promise'] {
  const hit = cache.get(repos);
  if (hit && !force && Date.now() - hit.at < MAX_AGE_MS) return hit.promise;
  const promise = trainDealModelFrom(repos, usdOf(book)).then(
    (r) => ({ ...r }),
    (error: unknown) => ({
      examples: 0,
      probabilityOf: () => undefined,
      error: error instanceof Error ? error.message : String(error),
    }),
  );
  cache.set(repos, { at: Date.now(), promise });
  return promise;
}

/**
 * The deal win model, trained on this device from its closed deals (in idle time, once a day at
 * most, shared by every component that asks); kept in memory only, as it is quick to rebuild.
 */
export function useDealModel(book: Converter | undefined): DealModelState & { retrain: () => void } {
  const repos = useRepos();
  const [state, setState] = useState<DealModelState>(INITIAL);
  const [force, setForce] = useState(0);
  useEffect(() => {
    if (!book) return;
    let live = true;
    setState((s) => ({ ...s, training: true }));
    const start = () =>
      void trained(repos, book, force > 0).then((r) => {
        if (live) setState({ ...r, training: false });
      });
    const idle = typeof requestIdleCallback === 'function' ? requestIdleCallback(start, { timeout: 1500 }) : undefined;
    if (idle === undefined) start();
    return () => {
      live = false;
      if (idle !== undefined) cancelIdleCallback(idle);
    };
  }, [repos, book, force]);
  return useMemo(() => ({ ...state, retrain: () => setForce((n) => n + 1) }), [state]);
}
