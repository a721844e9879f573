import { type Replication, startReplication } from '../../src-renderer/db/replication';
import { httpTransport } from '../../src-renderer/db/sync-transport';
import type { TestDb } from './local-db';
import { caughtUp } from './sync-horizon';
import type { TestServer } from './sync-server';

/** A Node RxDB device of the integration tests: its database and, while online, its replication. */
export interface NodeDevice {
  t: TestDb;
  sync?: Replication;
}

/** Brings the device online as its actor (scoped `x-user-id` seam) and waits until it is in sync with the server. */
export async function syncDevice(server: TestServer, d: NodeDevice): Promise<void> {
  const userId = d.t.db.actor().userId;
  d.sync ??= startReplication(
    d.t.db,
    httpTransport({ baseUrl: server.url, headers: () => ({ 'x-user-id': userId }) }),
    { batchSize: 100, retryTime: 200 },
  );
  await caughtUp(server.db);
  for (const state of d.sync.states.values()) state.reSync();
  await d.sync.awaitInSync();
}

/** Takes the device offline (its replication stopped; its local data kept). */
export async function offlineDevice(d: NodeDevice): Promise<void> {
  await d.sync?.stop();
  d.sync = undefined;
}
