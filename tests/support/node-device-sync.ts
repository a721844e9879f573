import { afterAll, afterEach, beforeAll } from 'vitest';
import { type Replication, startReplication } from '../../src-renderer/db/replication';
import { httpTransport, type SyncTransport } from '../../src-renderer/db/sync-transport';
import type { CollectionName } from '../../src-shared/schema/define-entity';
import { openTestDb, type TestDb } from './local-db';
import { caughtUp } from './sync-horizon';
import { startTestServer, type TestServer } from './sync-server';

/** A Node RxDB device of the integration tests: its database and, while online, its replication. */
export interface NodeDevice {
  t: TestDb;
  sync?: Replication;
}

export interface ReplicateOptions {
  /** Documents per pull and push; 100 by default. */
  batchSize?: number;
  /** Wraps the device's HTTP transport, e.g. to change or fail requests on the way. */
  transport?: (http: SyncTransport) => SyncTransport;
}

/** Starts the device's replication to the server as its actor (scoped `x-user-id` seam). */
export function replicateDevice(server: TestServer, d: NodeDevice, options: ReplicateOptions = {}): Replication {
  const userId = d.t.db.actor().userId;
  const http = httpTransport({ baseUrl: server.url, headers: () => ({ 'x-user-id': userId }) });
  d.sync = startReplication(d.t.db, options.transport?.(http) ?? http, {
    batchSize: options.batchSize ?? 100,
    retryTime: 200,
  });
  return d.sync;
}

/** Brings the device online as its actor (scoped `x-user-id` seam) and waits until it is in sync with the server. */
export async function syncDevice(server: TestServer, d: NodeDevice): Promise<void> {
  const sync = d.sync ?? replicateDevice(server, d);
  await caughtUp(server.db);
  for (const state of sync.states.values()) state.reSync();
  await sync.awaitInSync();
}

/** Takes the device offline (its replication stopped; its local data kept). */
/** Stops and closes every device of the list, and empties it (a test's or a file's devices, after it). */
export async function closeDevices(devices: NodeDevice[]): Promise<void> {
  for (const d of devices.splice(0)) {
    await d.sync?.stop();
    await d.t.close();
  }
}

export async function offlineDevice(d: NodeDevice): Promise<void> {
  await d.sync?.stop();
  d.sync = undefined;
}

/** Reads until `ok` holds of the value or `ms` have passed, and returns the last value read. */
export async function until<T>(read: () => Promise<T> | T, ok: (value: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > end) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface SyncDevicesOptions {
  /** What each device opens: RxDB's open-source build allows 13 open collections per realm, so few. */
  collections: CollectionName[];
  /** Documents per pull and push of `online`; 100 by default. */
  batchSize?: number;
}

export interface SyncDevices {
  /** The file's sync server (started in `beforeAll`). */
  readonly server: TestServer;
  /** A fresh device of the user (device id `dev-<userId>` unless given), removed after the test. */
  device(userId: string, deviceId?: string): Promise<NodeDevice>;
  /** Starts the device's replication (the file's batch size unless the options say otherwise). */
  online(d: NodeDevice, options?: ReplicateOptions): Replication;
  offline(d: NodeDevice): Promise<void>;
  /** Takes the device offline and reopens its database from the same IndexedDB, as an app restart does. */
  restart(d: NodeDevice): Promise<void>;
}

/**
 * Devices replicating through one sync server, for a whole test file: registers the hooks that
 * start the server on a fresh migrated Postgres database before the file's tests (stopped and the
 * database dropped after them) and remove each test's devices after it. Call at the file's top level.
 */
export function syncDevices(options: SyncDevicesOptions): SyncDevices {
  let server: TestServer | undefined;
  const devices: NodeDevice[] = [];
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });
  afterEach(async () => {
    await closeDevices(devices);
  });
  const started = (): TestServer => {
    if (!server) throw new Error('the sync server is started in beforeAll: use it in a test or hook');
    return server;
  };
  return {
    get server() {
      return started();
    },
    async device(userId, deviceId = `dev-${userId}`) {
      let seq = 0;
      // Unique across the file's devices and tests, which share the server.
      const prefix = `${userId}-${Math.random().toString(36).slice(2, 8)}`;
      const t = await openTestDb({
        collections: options.collections,
        actor: () => ({ userId, deviceId }),
        newId: () => `${prefix}-${++seq}`,
      });
      const d: NodeDevice = { t };
      devices.push(d);
      return d;
    },
    online: (d, replicate = {}) => replicateDevice(started(), d, { batchSize: options.batchSize, ...replicate }),
    offline: offlineDevice,
    async restart(d) {
      await offlineDevice(d);
      await d.t.reopen();
    },
  };
}
