import { afterEach, describe, expect, it } from 'vitest';
import { authorizedFetch } from '../../src-renderer/sync/authenticated-transport';
import { createSession } from '../../src-renderer/sync/session';
import { memoryTokenStore } from '../../src-renderer/sync/token-store';
import { authRoutes } from '../../sync-server/src/auth/auth.routes';
import { jwtAuthenticate } from '../../sync-server/src/auth/jwt-authenticate';
import { startTestServer, type TestServer } from '../support/sync-server';
import { ADMIN, bootstrap, SECRET, testClock } from './auth-fixtures';

/**
 * A session belongs to the device it was signed in on. Revoking a device must stop whoever holds
 * its tokens (a stolen laptop's disk) even when they leave out or change `x-device-id`: the access
 * and refresh tokens name the device, and the server checks the token's device, not the header's.
 */

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

interface Answer {
  status: number;
  body: { error?: string; field?: string; accessToken?: string; refreshToken?: string };
}

async function start(): Promise<{ server: TestServer; adminId: string }> {
  const clock = testClock(new Date().toISOString());
  let adminId = '';
  const server = await startTestServer('crm_bound_tokens', {
    authenticate: jwtAuthenticate(SECRET, { now: clock.now }),
    async beforeListen(app, db) {
      adminId = (await bootstrap(db, clock)).userId;
      authRoutes(app, { db, secret: SECRET, now: clock.now });
    },
  });
  cleanups.push(() => server.close());
  return { server, adminId };
}

function caller(server: TestServer) {
  return async (path: string, init: { token?: string; device?: string; body?: unknown } = {}): Promise<Answer> => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    if (init.device !== undefined) headers['x-device-id'] = init.device;
    const response = await fetch(`${server.url}${path}`, {
      method: init.body === undefined ? 'GET' : 'POST',
      headers,
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : {} };
  };
}

const PULL = { checkpoint: null, limit: 1 };

describe('tokens bound to the device they were signed in on (real server, Postgres)', () => {
  it('refuses a revoked device’s tokens with the header left out or changed, and its refresh and sign-in', async () => {
    const { server, adminId } = await start();
    const call = caller(server);
    const credentials = { email: ADMIN.email, password: ADMIN.password };

    const onA = await call('/auth/login', { device: 'device-A', body: credentials });
    expect(onA.status).toBe(200);
    const tokenA = onA.body.accessToken as string;
    expect((await call('/sync/contacts/pull', { token: tokenA, device: 'device-A', body: PULL })).status).toBe(200);
    // The same session under another device's name is refused, and names the header.
    const swapped = await call('/sync/contacts/pull', { token: tokenA, device: 'device-Z', body: PULL });
    expect([swapped.status, swapped.body.field]).toEqual([400, 'x-device-id']);

    // An administrator signed in with no device (a script) revokes device A.
    const admin = await call('/auth/login', { body: credentials });
    const revoke = await call('/auth/devices/revoke', {
      token: admin.body.accessToken as string,
      body: { userId: adminId, deviceId: 'device-A', reason: 'laptop stolen' },
    });
    expect(revoke.status).toBe(200);

    for (const device of ['device-A', undefined, 'device-Z']) {
      const pull = await call('/sync/contacts/pull', { token: tokenA, ...(device ? { device } : {}), body: PULL });
      expect([device, pull.status]).toEqual([device, device === 'device-Z' ? 400 : 403]);
    }
    // The stolen refresh token gets no new tokens, whatever the header says.
    for (const device of ['device-A', undefined, 'device-Z']) {
      const refresh = await call('/auth/refresh', {
        ...(device ? { device } : {}),
        body: { refreshToken: onA.body.refreshToken },
      });
      expect([device, refresh.status, refresh.body.field]).toEqual([device, 403, 'x-device-id']);
    }
    // Signing in again as the revoked device is refused too (a wiped app signs in as a new device).
    const again = await call('/auth/login', { device: 'device-A', body: credentials });
    expect([again.status, again.body.field]).toEqual([403, 'x-device-id']);
    const fresh = await call('/auth/login', { device: 'device-B', body: credentials });
    expect(fresh.status).toBe(200);
    expect((await call('/sync/contacts/pull', { token: fresh.body.accessToken, body: PULL })).status).toBe(200);
    // The script's session, bound to no device, goes on.
    expect((await call('/sync/contacts/pull', { token: admin.body.accessToken, body: PULL })).status).toBe(200);
  }, 60_000);

  it('names the header when sign-in or refresh sends a malformed device id, and signs nobody in', async () => {
    const { server } = await start();
    const call = caller(server);
    const bad = await call('/auth/login', {
      device: 'a device with spaces',
      body: { email: ADMIN.email, password: ADMIN.password },
    });
    expect([bad.status, bad.body.field]).toEqual([400, 'x-device-id']);
    const { rows } = await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM refresh_tokens');
    expect(rows[0]?.n).toBe(0);
    const ok = await call('/auth/login', {
      device: 'device-A',
      body: { email: ADMIN.email, password: ADMIN.password },
    });
    const refresh = await call('/auth/refresh', {
      device: 'x'.repeat(65),
      body: { refreshToken: ok.body.refreshToken },
    });
    expect([refresh.status, refresh.body.field]).toEqual([400, 'x-device-id']);
  }, 60_000);

  it('the app names its device when it signs in and refreshes, so its session is the device’s', async () => {
    const { server, adminId } = await start();
    const session = createSession({ store: memoryTokenStore(), deviceId: () => 'device-app' });
    await session.signIn(server.url, ADMIN.email, ADMIN.password);
    const admin = createSession({ store: memoryTokenStore() });
    await admin.signIn(server.url, ADMIN.email, ADMIN.password);
    const revoke = await authorizedFetch(admin)(`${server.url}/auth/devices/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: adminId, deviceId: 'device-app' }),
    });
    expect(revoke.status).toBe(200);
    // The app's access token, sent without its header, is still the revoked device's.
    const token = session.current()?.accessToken as string;
    const pull = await caller(server)('/sync/contacts/pull', { token, body: PULL });
    expect(pull.status).toBe(403);
    // Its refresh is refused as the device's: the app is told to wipe itself, and must sign in again.
    const revoked: string[] = [];
    session.revoked$?.subscribe((reason) => revoked.push(reason));
    await expect(session.refreshAfter(token)).rejects.toThrow(/revoked this device/);
    expect(revoked).toEqual([expect.stringMatching(/an administrator revoked this device/)]);
    expect(session.state().status).toBe('needs-sign-in');
    await expect(session.signIn(server.url, ADMIN.email, ADMIN.password)).rejects.toThrow(/revoked this device/);
    expect(revoked).toHaveLength(2);
  }, 60_000);
});
