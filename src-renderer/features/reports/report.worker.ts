/// <reference lib="webworker" />
import { answerReport, type ReportCache, type ReportRequest } from './report-compute';

/**
 * Reports computed off the page's thread: on 100k records a report takes up to ~2 s, during which
 * the page would not paint, scroll or take a click. Messages are handled in order, so a computation
 * sees every record posted before it.
 */
const cache: ReportCache = new Map();
const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = (event: MessageEvent<ReportRequest>) => {
  const reply = answerReport(cache, event.data, () => performance.now());
  if (reply) scope.postMessage(reply);
};
