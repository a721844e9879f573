/// <reference lib="webworker" />
import { answer, MiniSearchIndex, type WorkerRequest } from './search-engine';

/**
 * The search index off the page's thread: adding 100k records and ranking a query's matches run
 * here, so typing, scrolling and the first screen never wait for them. Messages are handled in
 * order, so a search or a settle sees every put and remove posted before it.
 */
const index = new MiniSearchIndex();
const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const reply = answer(index, event.data);
  if (reply) scope.postMessage(reply);
};
