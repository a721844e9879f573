import { filter, firstValueFrom } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { createOfflineGate } from '../../src-renderer/sync/offline-gate';
import { type Outbox, observeOutbox, pendingTotal } from '../../src-renderer/sync/outbox';
import { createSession } from '../../src-renderer/sync/session';
import { replicateWhileSignedIn } from '../../src-renderer/sync/session-replication';
import { memoryTokenStore } from '../../src-renderer/sync/token-store';
import { authRoutes } from '../../sync-server/src/auth/auth.routes';
import { jwtAuthenticate } from '../../sync-server/src/auth/jwt-authenticate';
import { openTestDb } from '../support/local-db';
import { startTestServer, type TestServer } from '../support/sync-server';
import { ADMIN, bootstrap, SECRET, testClock } from './auth-fixtures';

/**
 * The outbox against the real server on Postgres: a signed-in device works with the forced-offline
 * switch on, sees its changes pending per collection while nothing reaches the server, and sees
 * them drain when the switch is turned back.
 */

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function memoryStorage() {
  const m = new Map<string, string>();
  return {
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    removeItem: (k: string) => void m.delete(k),
  };
}

async function serverCount(server: TestServer, table: string): Promise<number> {
  const { rows } = await server.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
  return Number(rows[0]?.n);
}

const counts = (outbox: Outbox) =>
  Object.fromEntries(
    [...outbox].filter(([, docs]) => (docs?.length ?? 0) > 0).map(([name, docs]) => [name, docs?.length]),
  );

describe('the outbox with the real server', () => {
  it('counts offline changes per collection and drains them when back online', async () => {
    const clock = testClock(new Date().toISOString());
    const server = await startTestServer('crm_outbox', {
      authenticate: jwtAuthenticate(SECRET, { now: clock.now }),
      async beforeListen(app, db) {
        await bootstrap(db, clock);
        authRoutes(app, { db, secret: SECRET, now: clock.now });
      },
    });
    cleanups.push(() => server.close());
    const session = createSession({ store: memoryTokenStore() });
    await session.signIn(server.url, ADMIN.email, ADMIN.password);
    const t = await openTestDb({
      actor: () => ({ userId: session.current()?.user.id ?? 'nobody', deviceId: 'device-outbox' }),
    });
    cleanups.push(() => t.close());
    const gate = createOfflineGate(memoryStorage());
    const sync = replicateWhileSignedIn(t.db, session, { batchSize: 100, retryTime: 200, gate });
    cleanups.push(() => sync.stop());
    await firstValueFrom(sync.replication$.pipe(filter(Boolean)));
    const replication = sync.replication$.value;
    if (!replication) throw new Error('not replicating');
    await replication.awaitInSync();
    const contactsBefore = await serverCount(server, 'contacts');

    gate.setOffline(true);
    const a = await t.repos.contact.create({ firstName: 'Offline A' });
    await t.repos.contact.create({ firstName: 'Offline B' });
    await t.repos.company.create({ name: 'Offline Co' });
    t.tick();
    await t.repos.contact.update(a.id, { city: 'Oslo' });

    const offline = await firstValueFrom(observeOutbox(replication, 20).pipe(filter((o) => pendingTotal(o) === 3)));
    expect(counts(offline)).toEqual({ contacts: 2, companies: 1, audit: 4 });
    expect(offline.get('contacts')?.map((p) => p.change)).toEqual(['created', 'created']);
    // Nothing left the device.
    expect(await serverCount(server, 'contacts')).toBe(contactsBefore);

    gate.setOffline(false);
    const drained = await firstValueFrom(
      observeOutbox(replication, 20).pipe(filter((o) => [...o.values()].every((docs) => docs?.length === 0))),
    );
    expect(pendingTotal(drained)).toBe(0);
    expect(await serverCount(server, 'contacts')).toBe(contactsBefore + 2);
    const { rows } = await server.db.query<{ city: string }>('SELECT city FROM contacts WHERE id = $1', [a.id]);
    expect(rows[0]?.city).toBe('Oslo');
    expect(replication.activity$.value.get('contacts')?.lastPushAt).toBeGreaterThan(0);
  }, 60_000);
});
