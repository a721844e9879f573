import { describe, expect, it, onTestFinished } from 'vitest';
import { createApp } from '../../sync-server/src/app';
import { authRoutes } from '../../sync-server/src/auth/auth.routes';
import { jwtAuthenticate } from '../../sync-server/src/auth/jwt-authenticate';
import type { TrustProxy } from '../../sync-server/src/config';
import { ADMIN, bootstrap, openMigrated, SECRET, sequentialIds, testClock } from './auth-fixtures';

/**
 * TRUST_PROXY (config.ts): behind a load balancer every request comes from the balancer's address,
 * so the per-address limits (here sign-in's; lead capture and tracking clicks count `request.ip` the
 * same way) need X-Forwarded-For, but only from a proxy the server was told to trust.
 */

const BALANCER = '10.0.0.2';

async function setUp(trustProxy: TrustProxy | undefined) {
  const { db } = await openMigrated();
  const clock = testClock();
  await bootstrap(db, clock);
  const rateLimits = { loginPerAccount: 100, loginPerAddress: 2 };
  const app = createApp({
    db,
    authenticate: jwtAuthenticate(SECRET, { now: clock.now }),
    now: clock.now,
    rateLimits,
    ...(trustProxy === undefined ? {} : { trustProxy }),
  });
  authRoutes(app, { db, secret: SECRET, now: clock.now, newId: sequentialIds('rt'), rateLimits });
  onTestFinished(() => app.close());
  const login = async (from: string, forwardedFor: string | undefined, password = 'a wrong password 123') =>
    (
      await app.inject({
        method: 'POST',
        url: '/auth/login',
        remoteAddress: from,
        headers: {
          'content-type': 'application/json',
          ...(forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor }),
        },
        payload: JSON.stringify({ email: ADMIN.email, password }),
      })
    ).statusCode;
  return { login };
}

describe('TRUST_PROXY decides whose address the per-address limits count', () => {
  it('off (the default): the balancer is one address for everyone, X-Forwarded-For is ignored', async () => {
    const { login } = await setUp(undefined);
    expect(await login(BALANCER, '203.0.113.7')).toBe(401);
    expect(await login(BALANCER, '203.0.113.8')).toBe(401);
    // Another client behind the same balancer is held back by the first one's failures.
    expect(await login(BALANCER, '198.51.100.2', ADMIN.password)).toBe(429);
  });

  it('a list of proxies: only their X-Forwarded-For counts; a client sending the header is still itself', async () => {
    const { login } = await setUp(['10.0.0.0/8']);
    expect(await login(BALANCER, '203.0.113.7')).toBe(401);
    expect(await login(BALANCER, '203.0.113.7')).toBe(401);
    expect(await login(BALANCER, '203.0.113.7', ADMIN.password)).toBe(429);
    expect(await login(BALANCER, '198.51.100.2', ADMIN.password)).toBe(200);
    // Read back only past trusted proxies: an entry the client itself put further back is not believed.
    expect(await login(BALANCER, '198.51.100.9, 203.0.113.7', ADMIN.password)).toBe(429);
    // A direct client (not a listed proxy) cannot pick a fresh address per attempt.
    expect(await login('192.0.2.50', '198.51.100.20')).toBe(401);
    expect(await login('192.0.2.50', '198.51.100.21')).toBe(401);
    expect(await login('192.0.2.50', '198.51.100.22', ADMIN.password)).toBe(429);
  });
});
