import type { DataKey, ReportResult } from '../../../src-shared/reports';
import type { Rate } from '../../../src-shared/reports/rate-book';
import {
  answerReport,
  type ComputeFilters,
  type ReportCache,
  type ReportReply,
  type ReportRequest,
} from './report-compute';

/**
 * The page's side of the report worker. Where a worker cannot start (or fails), the same function
 * runs on the page instead, after yielding once so that "Calculating…" is drawn first.
 */
export interface ReportRunner {
  reset(): void;
  setData(key: DataKey, records: readonly unknown[]): void;
  compute(
    reportId: string,
    filters: ComputeFilters,
    rates: readonly Rate[],
    decimals: Readonly<Record<string, number>>,
  ): Promise<{ result: ReportResult; ms: number }>;
  dispose(): void;
}

export function createReportRunner(makeWorker: (() => Worker) | undefined = defaultWorker): ReportRunner {
  let worker: Worker | undefined;
  try {
    worker = makeWorker?.();
  } catch {
    worker = undefined;
  }
  const local: ReportCache = new Map();
  const waiting = new Map<number, { resolve: (reply: ReportReply) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  const post = (request: ReportRequest) => {
    // The page keeps its own copy only for the inline fallback; the worker gets a structured clone.
    answerReport(local, request, () => performance.now());
    worker?.postMessage(request);
  };
  if (worker) {
    worker.onmessage = (event: MessageEvent<ReportReply>) => {
      waiting.get(event.data.id)?.resolve(event.data);
      waiting.delete(event.data.id);
    };
    worker.onerror = (event: ErrorEvent) => {
      worker?.terminate();
      worker = undefined;
      const error = new Error(`report worker failed: ${event.message || 'could not load'}`);
      for (const w of waiting.values()) w.reject(error);
      waiting.clear();
    };
  }
  return {
    reset: () => post({ type: 'reset' }),
    setData: (key, records) => post({ type: 'data', key, records }),
    async compute(reportId, filters, rates, decimals) {
      const id = ++nextId;
      const request: ReportRequest = { type: 'compute', id, reportId, filters, rates, decimals };
      let reply: ReportReply;
      if (worker) {
        const target = worker;
        reply = await new Promise<ReportReply>((resolve, reject) => {
          waiting.set(id, { resolve, reject });
          target.postMessage(request);
        });
      } else {
        await new Promise((resolve) => setTimeout(resolve, 0));
        reply = answerReport(local, request, () => performance.now()) as ReportReply;
      }
      if (!reply.ok) throw new Error(reply.message);
      return { result: reply.result, ms: reply.ms };
    },
    dispose() {
      worker?.terminate();
      worker = undefined;
      local.clear();
    },
  };
}

function defaultWorker(): Worker {
  return new Worker(new URL('./report.worker.ts', import.meta.url), { type: 'module' });
}
