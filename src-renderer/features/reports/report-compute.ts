import {
  type DataKey,
  EMPTY_DATA,
  type ReportData,
  type ReportFilter,
  type ReportResult,
  reportById,
} from '../../../src-shared/reports';
import { createRateBook, type Rate } from '../../../src-shared/reports/rate-book';

/**
 * The messages between the Reports screen and the report worker (report.worker.ts), and the
 * worker's side as a plain function so that it runs the same in the worker, inline where no worker
 * can start, and in a unit test. The records are sent once per read (`data`), not with every
 * computation: a filter change posts only the filters, so the page never clones 100k records again.
 */

/** The filters as data: the conversion is rebuilt from the rates in the worker (a function cannot be posted). */
export interface ComputeFilters {
  readonly currency: string;
  readonly from?: string;
  readonly to?: string;
  readonly ownerIds?: readonly string[];
}

export type ReportRequest =
  | { readonly type: 'reset' }
  | { readonly type: 'data'; readonly key: DataKey; readonly records: readonly unknown[] }
  | {
      readonly type: 'compute';
      readonly id: number;
      readonly reportId: string;
      readonly filters: ComputeFilters;
      readonly rates: readonly Rate[];
      readonly decimals: Readonly<Record<string, number>>;
    };

export type ReportReply =
  | { readonly id: number; readonly ok: true; readonly result: ReportResult; readonly ms: number }
  | { readonly id: number; readonly ok: false; readonly message: string };

/** What the worker holds between messages: the records read, by kind. */
export type ReportCache = Map<DataKey, readonly unknown[]>;

export function reportFilter(
  filters: ComputeFilters,
  rates: readonly Rate[],
  decimals: Readonly<Record<string, number>>,
): ReportFilter {
  const book = createRateBook(rates, decimals);
  return {
    currency: filters.currency,
    ...(filters.from ? { from: filters.from } : {}),
    ...(filters.to ? { to: filters.to } : {}),
    ...(filters.ownerIds ? { ownerIds: new Set(filters.ownerIds) } : {}),
    convert: (amount, currency, target, date) => {
      const r = book.convert({ amount, currency }, target, date);
      return r.ok ? r.amount : undefined;
    },
  };
}

export function answerReport(cache: ReportCache, request: ReportRequest, now: () => number): ReportReply | undefined {
  switch (request.type) {
    case 'reset':
      cache.clear();
      return undefined;
    case 'data':
      cache.set(request.key, request.records);
      return undefined;
    case 'compute': {
      try {
        const report = reportById(request.reportId);
        const data = { ...EMPTY_DATA, ...Object.fromEntries(cache) } as ReportData;
        const started = now();
        const result = report.compute(data, reportFilter(request.filters, request.rates, request.decimals));
        return { id: request.id, ok: true, result, ms: now() - started };
      } catch (error) {
        return { id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) };
      }
    }
  }
}
