import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { authorizedFetch, DeviceRevokedError } from '../../src-renderer/sync/authenticated-transport';
import { createSession, type Session } from '../../src-renderer/sync/session';
import { replicateWhileSignedIn, type SessionReplication } from '../../src-renderer/sync/session-replication';
import { wipeLocalData } from '../../src-renderer/sync/session-wipe';
import { memoryTokenStore } from '../../src-renderer/sync/token-store';
import { authRoutes } from '../../sync-server/src/auth/auth.routes';
import { jwtAuthenticate } from '../../sync-server/src/auth/jwt-authenticate';
import { openTestDb, type TestDb } from '../support/local-db';
import { startTestServer, type TestServer } from '../support/sync-server';
import { ADMIN, bootstrap, SECRET, testClock } from './auth-fixtures';

/**
 * Issue 7, device revocation: one user signed in on two devices (real server, Postgres, Node RxDB
 * clients). An administrator revokes device A: its next request is refused with the device's own
 * 403, it wipes its local data, and device B goes on syncing.
 */

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

async function until(ok: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

interface Device {
  id: string;
  session: Session;
  t: TestDb;
  factory: IDBFactory;
  sync: SessionReplication;
  revoked: string[];
}

async function device(server: TestServer, id: string): Promise<Device> {
  const session = createSession({ store: memoryTokenStore(), deviceId: () => id });
  await session.signIn(server.url, ADMIN.email, ADMIN.password);
  const factory = new IDBFactory();
  let seq = 0;
  // Two collections per device: RxDB's open-source build allows 13 open collections per realm.
  const t = await openTestDb({
    name: `crm-${id}`,
    actor: () => ({ userId: session.current()?.user.id ?? 'nobody', deviceId: id }),
    indexedDB: { indexedDB: factory, IDBKeyRange },
    collections: ['contacts', 'audit'],
    newId: () => `${id}-${String(++seq).padStart(4, '0')}`,
  });
  const sync = replicateWhileSignedIn(t.db, session, { batchSize: 50, retryTime: 200 });
  const revoked: string[] = [];
  session.revoked$?.subscribe((reason) => revoked.push(reason));
  cleanups.push(async () => {
    await sync.stop();
    if (!t.db.rx.closed) await t.close();
  });
  return { id, session, t, factory, sync, revoked };
}

async function serverContacts(server: TestServer): Promise<string[]> {
  const { rows } = await server.db.query<{ first_name: string }>('SELECT first_name FROM contacts ORDER BY first_name');
  return rows.map((r) => r.first_name);
}

describe('device revocation (real server, Postgres, two devices of one user)', () => {
  it('refuses the revoked device with its own 403, which wipes it; the other device keeps syncing', async () => {
    const clock = testClock(new Date().toISOString());
    let adminId = '';
    const server = await startTestServer('crm_devices', {
      authenticate: jwtAuthenticate(SECRET, { now: clock.now }),
      async beforeListen(app, db) {
        adminId = (await bootstrap(db, clock)).userId;
        authRoutes(app, { db, secret: SECRET, now: clock.now });
      },
    });
    cleanups.push(() => server.close());

    const a = await device(server, 'device-A');
    const b = await device(server, 'device-B');
    await a.t.repos.contact.create({ firstName: 'FromA' });
    await until(async () => (await serverContacts(server)).includes('FromA'));
    await until(async () => (await b.t.repos.contact.list()).some((c) => c.firstName === 'FromA'));

    // The administrator's console: a session that names no device (scripts and the API do not).
    const adminSession = createSession({ store: memoryTokenStore() });
    await adminSession.signIn(server.url, ADMIN.email, ADMIN.password);
    const api = authorizedFetch(adminSession);
    const post = (body: unknown) =>
      api(`${server.url}/auth/devices/revoke`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

    const listed = (await (await api(`${server.url}/auth/devices?userId=${adminId}`)).json()) as {
      devices: { deviceId: string; lastSeenAt: string; revokedAt: string | null }[];
    };
    expect(listed.devices.map((d) => d.deviceId).sort()).toEqual(['device-A', 'device-B']);
    expect(listed.devices.every((d) => d.revokedAt === null && Date.parse(d.lastSeenAt) > 0)).toBe(true);

    // Bad input names the field; nothing is revoked by it.
    const missing = await post({ userId: adminId });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { field?: string }).field).toBe('deviceId');
    const unknown = await post({ userId: adminId, deviceId: 'device-Z' });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { field?: string }).field).toBe('deviceId');
    const extra = await post({ userId: adminId, deviceId: 'device-A', revokedAt: '2020-01-01T00:00:00Z' });
    expect(extra.status).toBe(400);

    const revoked = await post({ userId: adminId, deviceId: 'device-A', reason: 'laptop stolen' });
    expect(revoked.status).toBe(200);
    expect(((await revoked.json()) as { device: { revokedAt: string | null } }).device.revokedAt).not.toBeNull();

    // Device A's next contact is refused as revoked; it wipes itself as the app does.
    await a.t.repos.contact.create({ firstName: 'AfterRevoke' });
    await until(() => a.revoked.length > 0);
    expect(a.revoked[0]).toMatch(/revoked this device: laptop stolen/);
    const direct = await authorizedFetch(a.session)(`${server.url}/auth/devices`).catch((e: unknown) => e);
    expect(direct).toBeInstanceOf(DeviceRevokedError);
    await wipeLocalData({
      db: a.t.db,
      databaseName: 'crm-device-A',
      session: a.session,
      sync: a.sync,
      indexedDB: a.factory,
    });
    expect((await a.factory.databases()).map((d) => d.name)).toEqual([]);
    expect(a.session.state().status).toBe('signed-out');
    expect(await serverContacts(server)).not.toContain('AfterRevoke');

    // Device B, same user, keeps working both ways.
    await b.t.repos.contact.create({ firstName: 'FromB' });
    await until(async () => (await serverContacts(server)).includes('FromB'));
    expect(b.revoked).toEqual([]);
    expect(b.session.state().status).toBe('signed-in');

    // Audited on the server: who revoked which device, and why.
    const { rows } = await server.db.query<{ actor_id: string; reason: string }>(
      "SELECT actor_id, reason FROM audit_log WHERE reason LIKE 'device %revoked%'",
    );
    expect(rows).toEqual([{ actor_id: adminId, reason: 'device device-A revoked: laptop stolen' }]);
    const after = (await (await api(`${server.url}/auth/devices?userId=${adminId}`)).json()) as {
      devices: { deviceId: string; revokedAt: string | null; revokedBy: string | null }[];
    };
    expect(after.devices.find((d) => d.deviceId === 'device-A')).toMatchObject({ revokedBy: adminId });
    expect(after.devices.find((d) => d.deviceId === 'device-B')?.revokedAt).toBeNull();
    await adminSession.signOut();
  }, 120_000);
});
