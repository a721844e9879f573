import type { FastifyInstance } from 'fastify';
import { describe, expect, it, onTestFinished } from 'vitest';
import { DEVICE_ID_HEADER, DEVICE_REVOKED_FIELD } from '../../src-shared/auth/device';
import { createApp } from '../../sync-server/src/app';
import { authRoutes } from '../../sync-server/src/auth/auth.routes';
import type { Session } from '../../sync-server/src/auth/auth.service';
import { jwtAuthenticate } from '../../sync-server/src/auth/jwt-authenticate';
import { ADMIN, addUser, bootstrap, openMigrated, SECRET, sequentialIds, testClock } from './auth-fixtures';

/**
 * Issue 7 on every authenticated route, not only sync: once an administrator revokes a device, each
 * request naming it is refused with the device's own 403 (which the app takes as the order to wipe)
 * and changes nothing, as the app is wired by `npm run server` (index.ts: createApp + authRoutes,
 * bearer tokens).
 */

const REP = { id: 'u_rep', email: 'rep@example.com', password: 'rep password 1234', roleId: 'role_rep' };
const STOLEN = 'device-stolen-laptop';
const SHA = 'a'.repeat(64);

/** Every route that authenticates its caller as a signed-in user, with a body it would accept. */
const ROUTES: { method: 'GET' | 'POST' | 'PUT'; url: string; body?: unknown }[] = [
  { method: 'POST', url: '/sync/contacts/pull', body: { checkpoint: null, limit: 5 } },
  { method: 'POST', url: '/sync/contacts/push', body: { rows: [] } },
  { method: 'GET', url: '/audit' },
  { method: 'GET', url: '/auth/devices' },
  { method: 'POST', url: '/auth/devices/revoke', body: { userId: 'u_rep', deviceId: 'other' } },
  {
    method: 'POST',
    url: '/auth/password',
    body: { currentPassword: REP.password, newPassword: 'a new passphrase 1234' },
  },
  { method: 'GET', url: `/files/${SHA}` },
  { method: 'PUT', url: `/files/${SHA}`, body: 'bytes' },
  { method: 'GET', url: '/automation/runs' },
  { method: 'GET', url: '/automation/jobs' },
  { method: 'POST', url: '/automation/workflows/wf_1/run', body: { recordId: 'c_1' } },
  { method: 'POST', url: '/automation/jobs/1/retry', body: {} },
  { method: 'GET', url: '/privacy/subjects/contact/c_1/export' },
  { method: 'POST', url: '/privacy/subjects/contact/c_1/erase', body: { reason: 'asked' } },
  { method: 'GET', url: '/api-keys' },
  {
    method: 'POST',
    url: '/api-keys',
    body: { name: 'k', userId: 'u_rep', roleId: 'role_rep', scopes: { '*': 'read' } },
  },
  { method: 'POST', url: '/api-keys/key_1/revoke', body: {} },
  { method: 'GET', url: '/integrations/int_1/deliveries' },
  { method: 'POST', url: '/integrations/deliveries/1/replay', body: {} },
  { method: 'GET', url: '/integrations/workflow-webhook-secret' },
  { method: 'GET', url: '/integrations/int_1/webhook-secret' },
  { method: 'POST', url: '/integrations/int_1/webhook-secret/rotate', body: {} },
  {
    method: 'POST',
    url: '/integrations/tracking-links',
    body: { contentId: 'ct_1', subjectType: 'lead', subjectId: 'l_1' },
  },
  { method: 'GET', url: '/retention/runs' },
  { method: 'POST', url: '/retention/run', body: {} },
];

function send(app: FastifyInstance, route: (typeof ROUTES)[number], headers: Record<string, string>) {
  const raw = typeof route.body === 'string';
  return app.inject({
    method: route.method,
    url: route.url,
    headers: {
      ...headers,
      ...(route.body === undefined ? {} : { 'content-type': raw ? 'application/octet-stream' : 'application/json' }),
    },
    ...(route.body === undefined ? {} : { payload: raw ? String(route.body) : JSON.stringify(route.body) }),
  });
}

/** The app as `npm run server` wires it, with the bootstrapped administrator and a rep signed in. */
async function setUp() {
  const { db } = await openMigrated();
  const clock = testClock();
  await bootstrap(db, clock);
  await addUser(db, REP);
  const app = createApp({ db, authenticate: jwtAuthenticate(SECRET, { now: clock.now }), now: clock.now });
  authRoutes(app, { db, secret: SECRET, now: clock.now, newId: sequentialIds('rt') });
  onTestFinished(() => app.close());
  const login = async (body: unknown) =>
    (await app.inject({ method: 'POST', url: '/auth/login', payload: body as object })).json() as Session;
  const rep = await login({ email: REP.email, password: REP.password });
  const admin = await login({ email: ADMIN.email, password: ADMIN.password });
  return { db, app, rep, admin };
}

describe('a revoked device on every authenticated route (Postgres, bearer tokens)', () => {
  it('is refused with its own 403 before anything is read or written, the password included', async () => {
    const { db, app, rep, admin } = await setUp();
    const asRep = { authorization: `Bearer ${rep.accessToken}`, [DEVICE_ID_HEADER]: STOLEN };

    const seen = await send(app, ROUTES[0] as (typeof ROUTES)[number], asRep);
    expect(seen.statusCode).toBe(200);
    const revoked = await app.inject({
      method: 'POST',
      url: '/auth/devices/revoke',
      headers: { authorization: `Bearer ${admin.accessToken}` },
      payload: { userId: REP.id, deviceId: STOLEN, reason: 'stolen' },
    });
    expect(revoked.statusCode, revoked.body).toBe(200);

    const hash = async () =>
      (await db.query<{ h: string }>('SELECT password_hash AS h FROM user_credentials WHERE user_id = $1', [REP.id]))
        .rows[0]?.h;
    const before = await hash();
    for (const route of ROUTES) {
      const answer = await send(app, route, asRep);
      expect([route.method, route.url, answer.statusCode], answer.body).toEqual([route.method, route.url, 403]);
      expect(answer.json(), route.url).toMatchObject({ field: DEVICE_REVOKED_FIELD });
    }
    // The thief cannot lock the user out: the password is the one it was.
    expect(await hash()).toBe(before);
  });
});

describe('GET /auth/devices', () => {
  it('refuses a parameter it does not know, given twice or malformed, naming it, instead of listing one’s own', async () => {
    const { app, rep, admin } = await setUp();
    const list = (token: string, query: string) =>
      app.inject({ method: 'GET', url: `/auth/devices${query}`, headers: { authorization: `Bearer ${token}` } });
    expect((await list(rep.accessToken, '')).statusCode).toBe(200);
    for (const [query, field] of [
      ['?user=u_other', 'user'],
      ['?userId=u_rep&userid=u_other', 'userid'],
      ['?userId=u_rep&userId=u_rep', 'userId'],
      ['?userId=', 'userId'],
      [`?userId=${'x'.repeat(41)}`, 'userId'],
    ] as const) {
      const answer = await list(admin.accessToken, query);
      expect([query, answer.statusCode], answer.body).toEqual([query, 400]);
      expect(answer.json(), query).toMatchObject({ field });
    }
    // A rep naming another user is refused, as before.
    expect((await list(rep.accessToken, '?userId=u_other')).statusCode).toBe(403);
  });
});
