import { useEffect, useMemo, useRef, useState } from 'react';
import type { DataKey, ReportDef, ReportResult } from '../../../../src-shared/reports';
import { useCrm } from '../../../app/crm-context';
import type { Rate, RateBook } from '../../deals';
import { type LoadProgress, loadReportData } from '../load-report-data';
import type { ComputeFilters } from '../report-compute';
import { createReportRunner, type ReportRunner } from '../report-runner';

export type RunState =
  | { readonly status: 'loading'; readonly progress?: LoadProgress }
  | { readonly status: 'calculating' }
  | { readonly status: 'error'; readonly message: string }
  | { readonly status: 'ready'; readonly result: ReportResult; readonly ms: number; readonly loadedAt: Date };

export interface RunFilters {
  readonly currency: string;
  readonly from?: string;
  readonly to?: string;
  readonly ownerIds?: ReadonlySet<string>;
}

type Plain = Record<string, unknown>;

/** The stored rates and currency decimals, as the worker rebuilds the conversion from them. */
async function rateData(repos: ReturnType<typeof useCrm>['repos']) {
  const [rates, currencies] = await Promise.all([repos.exchangeRate.list(), repos.currency.list()]);
  const decimals = Object.fromEntries(
    (currencies as unknown as Plain[]).map((c) => [String(c.code), Number(c.decimals)]),
  );
  return { rates: rates as unknown as Rate[], decimals };
}

/**
 * Reads what a report needs (once per screen visit; Refresh reads again), then has the report
 * worker compute it (report.worker.ts) while the screen says "Calculating…" and stays responsive.
 * Records go to the worker once per read; switching reports or filters reuses them there.
 */
export function useReportRun(report: ReportDef, filters: RunFilters, book: RateBook | undefined, refresh: number) {
  const { repos } = useCrm();
  const cache = useRef<{ refresh: number; data: Partial<Record<DataKey, readonly unknown[]>>; at: Date }>({
    refresh,
    data: {},
    at: new Date(),
  });
  const runner = useRef<ReportRunner | undefined>(undefined);
  useEffect(() => {
    const created = createReportRunner();
    runner.current = created;
    return () => {
      created.dispose();
      if (runner.current === created) runner.current = undefined;
      // A new runner starts empty: what was read must be sent to it again.
      cache.current = { ...cache.current, data: {} };
    };
  }, []);
  const [state, setState] = useState<RunState>({ status: 'loading' });
  const compute = useMemo<ComputeFilters>(
    () => ({
      currency: filters.currency,
      ...(filters.from ? { from: filters.from } : {}),
      ...(filters.to ? { to: filters.to } : {}),
      ...(filters.ownerIds ? { ownerIds: [...filters.ownerIds] } : {}),
    }),
    [filters.currency, filters.from, filters.to, filters.ownerIds],
  );
  useEffect(() => {
    // The rate book is the sign that the rates are read; the worker gets the rates themselves.
    const run = runner.current;
    if (!book || !run) return;
    const controller = new AbortController();
    if (cache.current.refresh !== refresh) {
      cache.current = { refresh, data: {}, at: new Date() };
      run.reset();
    }
    const missing = report.needs.some((k) => !cache.current.data[k]);
    if (missing) setState({ status: 'loading' });
    void (async () => {
      try {
        const before = cache.current.data;
        const data = await loadReportData(
          repos,
          report.needs,
          before,
          (progress) => !controller.signal.aborted && setState({ status: 'loading', progress }),
          controller.signal,
        );
        if (controller.signal.aborted) return;
        for (const key of report.needs) {
          const records = data[key];
          if (records && records !== before[key]) run.setData(key, records);
        }
        if (missing) cache.current = { ...cache.current, data, at: new Date() };
        setState({ status: 'calculating' });
        const { rates, decimals } = await rateData(repos);
        const { result, ms } = await run.compute(report.id, compute, rates, decimals);
        if (!controller.signal.aborted) setState({ status: 'ready', result, ms, loadedAt: cache.current.at });
      } catch (error) {
        if (!controller.signal.aborted)
          setState({ status: 'error', message: error instanceof Error ? error.message : String(error) });
      }
    })();
    return () => controller.abort();
  }, [repos, report, compute, book, refresh]);
  return state;
}
