/// <reference lib="webworker" />
import { IndexHost } from './index-host';
import { serialAnswers, type WorkerRequest } from './search-worker-engine';

/**
 * The search index off the page's thread: adding 100k records, ranking a query's matches, and
 * sealing or opening the saved index run here, so typing, scrolling and the first screen never
 * wait for them. Messages are handled in order, so a search or a settle sees every put, remove and
 * load posted before it.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;
const handle = serialAnswers(new IndexHost(scope.indexedDB), (reply) => scope.postMessage(reply));

scope.onmessage = (event: MessageEvent<WorkerRequest>) => handle(event.data);
