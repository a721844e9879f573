import { IndexHost } from '../../../../../src-renderer/features/search/index-host';
import { serialAnswers, type WorkerRequest } from '../../../../../src-renderer/features/search/search-worker-engine';

/** A worker in this process: the engine's messages cloned and answered a macrotask later, as across threads. */
export function fakeWorker(indexedDB?: IDBFactory): Worker {
  const handle = serialAnswers(new IndexHost(indexedDB), (reply) =>
    worker.onmessage?.({ data: structuredClone(reply) } as MessageEvent),
  );
  const worker = {
    onmessage: null as ((event: MessageEvent) => void) | null,
    postMessage(request: WorkerRequest) {
      const copy = structuredClone(request);
      setTimeout(() => handle(copy), 1);
    },
    terminate() {},
  };
  return worker as unknown as Worker;
}
