import type { SyncTransport } from '../../src-renderer/db/sync-transport';

export interface Flakiness {
  /** Chance that a push is delivered twice (the second delivery's answer is the one returned). */
  duplicate: number;
  /** Chance that a push reaches the server but its answer is lost (the device retries). */
  loseResponse: number;
  random: () => number;
}

/** A transport that duplicates deliveries and loses answers, as a bad network does. */
export function flakyTransport(inner: SyncTransport, flaky: Flakiness): SyncTransport {
  return {
    ...inner,
    async push(collection, request) {
      let response = await inner.push(collection, request);
      if (flaky.random() < flaky.duplicate) response = await inner.push(collection, request);
      if (flaky.random() < flaky.loseResponse) throw new Error('response lost');
      return response;
    },
    async pull(collection, request) {
      const response = await inner.pull(collection, request);
      if (flaky.random() < flaky.loseResponse) throw new Error('response lost');
      return response;
    },
  };
}
