import type { FastifyInstance } from 'fastify';
import { decodeJwt, SignJWT } from 'jose';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { PullResponse, SyncCheckpoint } from '../../src-shared/sync/protocol';
import { createApp } from '../../sync-server/src/app';
import { authRoutes } from '../../sync-server/src/auth/auth.routes';
import { REFRESH_REUSE_GRACE_SECONDS, type Session, WRONG_CREDENTIALS } from '../../sync-server/src/auth/auth.service';
import { jwtAuthenticate } from '../../sync-server/src/auth/jwt-authenticate';
import { refreshTokenHash } from '../../sync-server/src/auth/tokens';
import type { Database } from '../../sync-server/src/db/database';
import {
  ADMIN,
  addUser,
  bootstrap,
  openMigrated,
  SECRET,
  sequentialIds,
  type TestClock,
  testClock,
} from './auth-fixtures';
import { caughtUp, post } from './sync-server-fixtures';

const REP = { id: 'u_rep', email: 'rep@example.com', password: 'rep password 1234', roleId: 'role_rep' };
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

interface Fixture {
  app: FastifyInstance;
  db: Database;
  clock: TestClock;
  adminId: string;
}

/** Bootstrapped database, a rep, and the app with the auth routes and JWT authentication. */
async function setUp(): Promise<Fixture> {
  const { db } = await openMigrated();
  const clock = testClock();
  const { userId } = await bootstrap(db, clock);
  await addUser(db, REP);
  const app = createApp({ db, authenticate: jwtAuthenticate(SECRET, { now: clock.now }), now: clock.now });
  authRoutes(app, { db, secret: SECRET, now: clock.now, newId: sequentialIds('rt') });
  onTestFinished(() => app.close());
  return { app, db, clock, adminId: userId };
}

type ErrorBody = { error: string; field?: string };

function login(app: FastifyInstance, body: unknown) {
  return post<Session & ErrorBody>(app, '/auth/login', body);
}

function refresh(app: FastifyInstance, refreshToken: string) {
  return post<Session & ErrorBody>(app, '/auth/refresh', { refreshToken });
}

function pullAs(app: FastifyInstance, authorization: string | undefined, checkpoint: SyncCheckpoint | null = null) {
  const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
  return post<PullResponse & ErrorBody>(app, '/sync/contacts/pull', { checkpoint, limit: 10 }, headers);
}

async function signIn(app: FastifyInstance, user: { email: string; password: string } = REP): Promise<Session> {
  const reply = await login(app, { email: user.email, password: user.password });
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body;
}

describe('POST /auth/login (Postgres)', () => {
  it('answers a 15-minute JWT (sub, role) and a refresh token the server keeps only as a hash', async () => {
    const { app, db } = await setUp();
    const reply = await login(app, { email: ' REP@Example.com ', password: REP.password });
    expect(reply.status).toBe(200);
    const session = reply.body;
    expect(session.user).toEqual({
      id: 'u_rep',
      email: 'rep@example.com',
      firstName: 'Test',
      lastName: 'u_rep',
      roleId: 'role_rep',
    });
    const claims = decodeJwt(session.accessToken);
    expect(claims).toMatchObject({ sub: 'u_rep', role: 'role_rep', iss: 'fieldcrm-sync', aud: 'fieldcrm' });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(15 * 60);
    expect(session.accessTokenExpiresAt).toBe('2026-04-01T09:15:00.000Z');
    expect(session.refreshTokenExpiresAt).toBe('2026-05-01T09:00:00.000Z');
    expect(session.refreshToken).toMatch(/^fcrt_[A-Za-z0-9_-]{43}$/);

    const stored = await db.query<{ row: string; token_hash: string }>(
      'SELECT to_jsonb(t)::text AS row, token_hash FROM refresh_tokens t',
    );
    expect(stored.rows.map((r) => r.token_hash)).toEqual([refreshTokenHash(session.refreshToken)]);
    expect(stored.rows[0]?.row).not.toContain(session.refreshToken.slice(5));

    expect((await pullAs(app, `Bearer ${session.accessToken}`)).status).toBe(200);
  });

  it('refuses a wrong password, an unknown email and a user without a password alike', async () => {
    const { app, db } = await setUp();
    await addUser(db, { id: 'u_imported', email: 'imported@example.com', roleId: 'role_rep' });
    const replies = [
      await login(app, { email: REP.email, password: `${REP.password}!` }),
      await login(app, { email: 'nobody@example.com', password: REP.password }),
      await login(app, { email: 'imported@example.com', password: REP.password }),
      await login(app, { email: REP.email, password: REP.password.toUpperCase() }),
    ];
    for (const reply of replies) expect([reply.status, reply.body]).toEqual([401, { error: WRONG_CREDENTIALS }]);
    expect(await db.query('SELECT 1 FROM refresh_tokens')).toEqual({ rows: [] });
  });

  it('tells a disabled or invited user so, once the password is right', async () => {
    const { app, db } = await setUp();
    await addUser(db, { ...REP, id: 'u_gone', email: 'gone@example.com', status: 'disabled' });
    await addUser(db, { ...REP, id: 'u_new', email: 'new@example.com', status: 'invited' });
    const gone = await login(app, { email: 'gone@example.com', password: REP.password });
    expect([gone.status, gone.body.error]).toEqual([403, 'the account is disabled: ask an administrator']);
    const wrong = await login(app, { email: 'gone@example.com', password: 'not the password' });
    expect(wrong.status).toBe(401);
    expect((await login(app, { email: 'new@example.com', password: REP.password })).status).toBe(403);
  });

  it('refuses malformed bodies with 400 naming the field', async () => {
    const { app } = await setUp();
    const cases: [string, string, unknown, string | undefined][] = [
      ['/auth/login', 'no email', { password: 'x' }, 'email'],
      ['/auth/login', 'a number for an email', { email: 5, password: 'x' }, 'email'],
      ['/auth/login', 'an email without @', { email: 'rep', password: 'x' }, 'email'],
      ['/auth/login', 'an empty email', { email: '  ', password: 'x' }, 'email'],
      ['/auth/login', 'no password', { email: REP.email }, 'password'],
      ['/auth/login', 'an empty password', { email: REP.email, password: '' }, 'password'],
      ['/auth/login', 'a password of 1,025 characters', { email: REP.email, password: 'x'.repeat(1025) }, 'password'],
      ['/auth/login', 'an unexpected field', { email: REP.email, password: 'x', remember: true }, 'remember'],
      ['/auth/login', 'an array', [REP.email, 'x'], undefined],
      ['/auth/refresh', 'no token', {}, 'refreshToken'],
      ['/auth/refresh', 'an access token for a refresh token', { refreshToken: 'eyJ.eyJ.sig' }, 'refreshToken'],
      ['/auth/logout', 'a number for a token', { refreshToken: 5 }, 'refreshToken'],
    ];
    for (const [url, what, body, field] of cases) {
      const reply = await post<ErrorBody>(app, url, body);
      expect([url, what, reply.status, reply.body.field]).toEqual([url, what, 400, field]);
      expect(reply.body.error.length).toBeGreaterThan(5);
    }
  });
});

describe('POST /auth/refresh and /auth/logout (Postgres)', () => {
  it('ends a live stream when the access token that opened it expires (the device reconnects with a fresh one)', async () => {
    const { app, clock } = await setUp();
    const session = await signIn(app);
    clock.advance(15 * MINUTE - 300);
    const started = Date.now();
    // inject resolves only when the response ends: without the expiry this would hang until the test's timeout.
    const response = await app.inject({
      method: 'GET',
      url: '/sync/stream',
      headers: { authorization: `Bearer ${session.accessToken}` },
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain(': connected');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a refresh whose answer was lost can be retried with the same token, once its successor is unused', async () => {
    const { app, clock } = await setUp();
    const first = await signIn(app);
    const lost = await refresh(app, first.refreshToken); // the device never receives this answer
    expect(lost.status).toBe(200);
    clock.advance(20_000);
    const retried = await refresh(app, first.refreshToken);
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    // The retried answer carries on; the one that never arrived is worthless (and whoever presents
    // it holds a copy the device never had: that ends the sign-in).
    const carriedOn = await refresh(app, retried.body.refreshToken);
    expect(carriedOn.status).toBe(200);
    expect((await refresh(app, lost.body.refreshToken)).status).toBe(401);
    expect((await refresh(app, carriedOn.body.refreshToken)).status).toBe(401);
    const second = await signIn(app);
    const next = await refresh(app, second.refreshToken);
    expect(next.status).toBe(200);
    // Once the successor has been used, the old token presented again is theft: that sign-in ends.
    expect((await refresh(app, next.body.refreshToken)).status).toBe(200);
    expect((await refresh(app, second.refreshToken)).status).toBe(401);
  });

  it('rotates the refresh token on use; presenting a used one ends that sign-in everywhere', async () => {
    const { app, db, clock } = await setUp();
    const first = await signIn(app);
    const other = await signIn(app); // another device: another family
    clock.advance(10 * MINUTE);
    const second = await refresh(app, first.refreshToken);
    expect(second.status).toBe(200);
    expect(second.body.refreshToken).not.toBe(first.refreshToken);
    expect(second.body.accessToken).not.toBe(first.accessToken);
    expect(decodeJwt(second.body.accessToken)).toMatchObject({ sub: 'u_rep', role: 'role_rep' });
    expect(second.body.refreshTokenExpiresAt).toBe('2026-05-01T09:10:00.000Z');

    // Past the grace for lost answers (see below), a used token presented again is theft.
    clock.advance((REFRESH_REUSE_GRACE_SECONDS + 1) * 1000);
    const reused = await refresh(app, first.refreshToken);
    expect([reused.status, reused.body.field]).toEqual([401, 'refreshToken']);
    expect(reused.body.error).toMatch(/already used or revoked/);
    // The thief's (or the device's) successor token is revoked too.
    expect((await refresh(app, second.body.refreshToken)).status).toBe(401);
    // The other device's sign-in goes on.
    expect((await refresh(app, other.refreshToken)).status).toBe(200);

    const { rows } = await db.query<{ family_id: string; live: number; total: number }>(
      `SELECT family_id, count(*) FILTER (WHERE revoked_at IS NULL)::int AS live, count(*)::int AS total
       FROM refresh_tokens GROUP BY family_id ORDER BY family_id`,
    );
    expect(rows).toEqual([
      { family_id: 'rt_0001', live: 0, total: 2 },
      { family_id: 'rt_0002', live: 1, total: 2 },
    ]);
  });

  it('refuses a refresh token past its 30 days, and each rotation grants 30 more', async () => {
    const { app, clock } = await setUp();
    const session = await signIn(app);
    clock.advance(29 * DAY);
    const renewed = await refresh(app, session.refreshToken);
    expect(renewed.status).toBe(200);
    clock.advance(30 * DAY - 1000);
    const last = await refresh(app, renewed.body.refreshToken);
    expect(last.status).toBe(200);
    clock.advance(30 * DAY);
    const expired = await refresh(app, last.body.refreshToken);
    expect([expired.status, expired.body.error]).toEqual([401, 'the refresh token has expired: sign in again']);
  });

  it('refuses unknown tokens, and stops refreshing a user who was disabled since', async () => {
    const { app, db } = await setUp();
    const unknown = await refresh(app, `fcrt_${'A'.repeat(43)}`);
    expect([unknown.status, unknown.body.error]).toEqual([401, 'the refresh token is not valid: sign in again']);
    const session = await signIn(app);
    await db.query(`UPDATE users SET status = 'disabled' WHERE id = 'u_rep'`);
    const refused = await refresh(app, session.refreshToken);
    expect([refused.status, refused.body.error]).toEqual([401, 'the account can no longer sign in']);
  });

  it('logs out: the sign-in’s tokens stop working; logging out again is harmless', async () => {
    const { app } = await setUp();
    const session = await signIn(app);
    const rotated = (await refresh(app, session.refreshToken)).body;
    const out = await app.inject({
      method: 'POST',
      url: '/auth/logout',
      payload: { refreshToken: rotated.refreshToken },
    });
    expect([out.statusCode, out.body]).toEqual([204, '']);
    expect((await refresh(app, rotated.refreshToken)).status).toBe(401);
    const again = await app.inject({
      method: 'POST',
      url: '/auth/logout',
      payload: { refreshToken: rotated.refreshToken },
    });
    expect(again.statusCode).toBe(204);
  });
});

describe('jwtAuthenticate (Postgres)', () => {
  /** The same claims, re-signed: with another secret, another audience, or no signature at all. */
  async function forged(session: Session, change: { secret?: string; audience?: string }): Promise<string> {
    const claims = decodeJwt(session.accessToken);
    return new SignJWT({ role: claims.role })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(String(claims.sub))
      .setIssuer('fieldcrm-sync')
      .setAudience(change.audience ?? 'fieldcrm')
      .setIssuedAt(claims.iat ?? 0)
      .setExpirationTime(claims.exp ?? 0)
      .sign(new TextEncoder().encode(change.secret ?? SECRET));
  }

  function base64url(value: unknown): string {
    return Buffer.from(JSON.stringify(value)).toString('base64url');
  }

  it('lets a valid access token in and refuses every other kind with 401', async () => {
    const { app, clock, adminId } = await setUp();
    const session = await signIn(app);
    const [header, payload, signature] = session.accessToken.split('.') as [string, string, string];
    const claims = decodeJwt(session.accessToken);
    const asAdmin = `${header}.${base64url({ ...claims, sub: adminId, role: 'role_admin' })}.${signature}`;
    const none = base64url({ alg: 'none', typ: 'JWT' });
    const cases: [string, string | undefined, RegExp][] = [
      ['no Authorization header', undefined, /sign in first/],
      ['another scheme', `Basic ${Buffer.from('rep:pw').toString('base64')}`, /must be "Bearer/],
      ['a bare token', session.accessToken, /must be "Bearer/],
      ['a refresh token', `Bearer ${session.refreshToken}`, /must be "Bearer/],
      ['a payload changed to the admin', `Bearer ${asAdmin}`, /not valid/],
      ['alg none, no signature', `Bearer ${none}.${payload}.`, /must be "Bearer/],
      ['alg none, the old signature', `Bearer ${none}.${payload}.${signature}`, /not valid/],
      ['a token signed with another secret', `Bearer ${await forged(session, { secret: `${SECRET}!` })}`, /not valid/],
      ['a token for another audience', `Bearer ${await forged(session, { audience: 'elsewhere' })}`, /not valid/],
      ['a truncated signature', `Bearer ${session.accessToken.slice(0, -2)}`, /not valid/],
    ];
    for (const [what, authorization, message] of cases) {
      const reply = await pullAs(app, authorization);
      expect([what, reply.status, reply.body.field], reply.body.error).toEqual([what, 401, 'authorization']);
      expect(reply.body.error).toMatch(message);
    }
    expect((await pullAs(app, `Bearer ${session.accessToken}`)).status).toBe(200);
    expect((await pullAs(app, `bearer  ${session.accessToken}`)).status).toBe(200);

    clock.advance(15 * MINUTE - 1000);
    expect((await pullAs(app, `Bearer ${session.accessToken}`)).status).toBe(200);
    clock.advance(1000);
    const expired = await pullAs(app, `Bearer ${session.accessToken}`);
    expect([expired.status, expired.body.error]).toEqual([
      401,
      'the access token has expired: refresh it with POST /auth/refresh',
    ]);
  });

  it('refuses to start with a secret shorter than 32 bytes', () => {
    expect(() => jwtAuthenticate('short secret')).toThrow(/JWT_SECRET must be at least 32 bytes/);
    const app = createApp({ db: {} as Database });
    onTestFinished(() => app.close());
    expect(() => authRoutes(app, { db: {} as Database, secret: 'x'.repeat(31) })).toThrow(/JWT_SECRET/);
  });
});

describe('password hashes stay on the server (Postgres)', () => {
  it('are in user_credentials only: not in users rows, not in any pull', async () => {
    const { app, db } = await setUp();
    const { rows: hashes } = await db.query<{ password_hash: string }>('SELECT password_hash FROM user_credentials');
    expect(hashes).toHaveLength(2);
    for (const { password_hash } of hashes) expect(password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const { rows: users } = await db.query<{ row: string }>('SELECT to_jsonb(u)::text AS row FROM users u');
    expect(users).toHaveLength(2);
    for (const { row } of users) {
      expect(row).not.toMatch(/argon2|password/i);
      for (const { password_hash } of hashes) expect(row).not.toContain(password_hash.split('$').at(-1));
    }
    const { rows: columns } = await db.query<{ table_name: string }>(
      `SELECT DISTINCT table_name FROM information_schema.columns
       WHERE table_schema = 'public' AND column_name LIKE '%password%'`,
    );
    expect(columns).toEqual([{ table_name: 'user_credentials' }]);

    const admin = await signIn(app, ADMIN);
    await caughtUp(db);
    for (const collection of ['users', 'settings']) {
      const reply = await post<PullResponse>(
        app,
        `/sync/${collection}/pull`,
        { checkpoint: null, limit: 1000 },
        { authorization: `Bearer ${admin.accessToken}` },
      );
      expect(reply.status).toBe(200);
      expect(reply.body.documents.length).toBeGreaterThan(0);
      const text = JSON.stringify(reply.body);
      expect(text).not.toMatch(/argon2|password/i);
      expect(text).not.toContain(ADMIN.password);
    }
  });
});
