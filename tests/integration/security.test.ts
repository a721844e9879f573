import { generateKeyPairSync } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { decodeJwt, SignJWT } from 'jose';
import { describe, expect, it, onTestFinished } from 'vitest';
import { getEntity } from '../../src-shared/entities/registry';
import type { PullResponse, PushResponse, WireDoc } from '../../src-shared/sync/protocol';
import { MAX_PUSH_ROWS } from '../../src-shared/sync/protocol';
import { BODY_LIMIT, createApp } from '../../sync-server/src/app';
import { authRoutes, TOO_MANY_SIGN_INS } from '../../sync-server/src/auth/auth.routes';
import type { Session } from '../../sync-server/src/auth/auth.service';
import { jwtAuthenticate } from '../../sync-server/src/auth/jwt-authenticate';
import type { Database } from '../../sync-server/src/db/database';
import type { RateLimits } from '../../sync-server/src/http/rate-limit';
import { addUser, bootstrap, openMigrated, SECRET, sequentialIds, type TestClock, testClock } from './auth-fixtures';
import { caughtUp, sampleDoc } from './sync-server-fixtures';

/**
 * The hardened sync API (issue 7), tried as an attacker would: brute-forcing sign-in, flooding sync,
 * oversized and malformed bodies, documents that carry what only the server may set, forged tokens.
 * Real Postgres, the app as `npm run server` builds it (JWT authentication, the auth routes).
 * What other suites already prove is not repeated here: alg none, another secret or audience, expiry
 * and refresh rotation (auth.test.ts), CORS preflights (sync-server-cors.test.ts), scope of reads
 * and writes per role (sync-scope*.test.ts), the 16 MiB body limit (sync-server-http.test.ts).
 */

const REP = { id: 'u_rep', email: 'rep@example.com', password: 'rep password 1234', roleId: 'role_rep' };
const REP2 = { id: 'u_rep2', email: 'rep2@example.com', password: 'rep2 password 1234', roleId: 'role_rep' };
const OFF = { id: 'u_off', email: 'off@example.com', password: 'off password 1234', roleId: 'role_rep' };
const MINUTE = 60_000;

interface Fixture {
  app: FastifyInstance;
  db: Database;
  clock: TestClock;
}

async function setUp(rateLimits: Partial<RateLimits> = {}): Promise<Fixture> {
  const { db } = await openMigrated();
  const clock = testClock();
  await bootstrap(db, clock);
  await addUser(db, REP);
  await addUser(db, REP2);
  await addUser(db, OFF);
  const app = createApp({ db, authenticate: jwtAuthenticate(SECRET, { now: clock.now }), now: clock.now, rateLimits });
  authRoutes(app, { db, secret: SECRET, now: clock.now, newId: sequentialIds('rt'), rateLimits });
  onTestFinished(() => app.close());
  return { app, db, clock };
}

type ErrorBody = { error: string; field?: string };
interface Answer<T> {
  status: number;
  body: T & ErrorBody;
  headers: Record<string, unknown>;
  raw: string;
}

async function send<T>(
  app: FastifyInstance,
  url: string,
  payload: unknown,
  headers: Record<string, string> = {},
): Promise<Answer<T>> {
  const response = await app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json', ...headers },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
  const raw = response.body;
  let body: T & ErrorBody;
  try {
    body = JSON.parse(raw) as T & ErrorBody;
  } catch {
    body = { error: raw } as T & ErrorBody;
  }
  return { status: response.statusCode, body, headers: response.headers, raw };
}

const login = (app: FastifyInstance, email: string, password: string, ip?: string) =>
  app
    .inject({
      method: 'POST',
      url: '/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ email, password }),
      ...(ip ? { remoteAddress: ip } : {}),
    })
    .then((r) => ({ status: r.statusCode, body: r.json() as Session & ErrorBody, headers: r.headers }));

async function signIn(app: FastifyInstance, user: { email: string; password: string } = REP): Promise<Session> {
  const reply = await login(app, user.email, user.password);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const pull = (app: FastifyInstance, token: string) =>
  send<PullResponse>(app, '/sync/contacts/pull', { checkpoint: null, limit: 10 }, bearer(token));
const push = (app: FastifyInstance, token: string, docs: unknown[]) =>
  send<PushResponse>(app, '/sync/contacts/push', { rows: docs.map((d) => ({ newDocumentState: d })) }, bearer(token));

const contact = (id: string, overrides: Record<string, unknown> = {}): WireDoc =>
  sampleDoc(getEntity('contact'), id, { ownerId: REP.id, createdBy: REP.id, updatedBy: REP.id, ...overrides });

/** Nothing of the server's insides in an answer: no stack frames, source paths or SQL. */
function expectNoLeak(raw: string): void {
  expect(raw).not.toMatch(/\n\s+at |\.ts:\d|node_modules|\/work\/|\bSELECT\b|\bINSERT\b|\bUPDATE\b.*\bSET\b/);
}

async function rowOf(db: Database, id: string): Promise<Record<string, unknown> | undefined> {
  const { rows } = await db.query<Record<string, unknown>>('SELECT * FROM contacts WHERE id = $1', [id]);
  return rows[0];
}

describe('sign-in brute force', () => {
  it('locks an account after its failures, the right password too, until the window passes', async () => {
    const { app, clock } = await setUp({ loginPerAccount: 5, loginWindowSeconds: 15 * 60 });
    for (let i = 0; i < 5; i++) expect((await login(app, REP.email, `wrong guess ${i}xxxxxx`)).status).toBe(401);
    const locked = await login(app, REP.email, REP.password);
    expect(locked.status).toBe(429);
    expect(locked.body.error).toContain(TOO_MANY_SIGN_INS);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);
    expect(locked.body).not.toHaveProperty('accessToken');
    // The same email in other case is the same account.
    expect((await login(app, REP.email.toUpperCase(), REP.password)).status).toBe(429);
    // Another account is not locked by this one's failures.
    expect((await login(app, REP2.email, REP2.password)).status).toBe(200);

    clock.advance(15 * MINUTE);
    expect((await login(app, REP.email, REP.password)).status).toBe(200);
  });

  it('answers an unknown email exactly as a known one: the lockout tells nothing of who exists', async () => {
    const { app } = await setUp({ loginPerAccount: 3 });
    const answers = [];
    for (const email of [REP.email, 'nobody@example.com']) {
      const failures = [];
      for (let i = 0; i < 3; i++) failures.push(await login(app, email, 'a wrong password 123'));
      const locked = await login(app, email, 'a wrong password 123');
      answers.push({
        failures: failures.map((f) => [f.status, f.body.error]),
        locked: [locked.status, locked.body.error.replace(/\d+ s$/, 'N s'), 'retry-after' in locked.headers],
      });
    }
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0]?.locked).toEqual([429, `${TOO_MANY_SIGN_INS}: try again in N s`, true]);
  });

  it('limits failures per client address across accounts (password spraying)', async () => {
    const { app } = await setUp({ loginPerAccount: 100, loginPerAddress: 4 });
    for (let i = 0; i < 4; i++) {
      expect((await login(app, `user${i}@example.com`, 'Summer2026!Summer', '203.0.113.7')).status).toBe(401);
    }
    expect((await login(app, REP.email, REP.password, '203.0.113.7')).status).toBe(429);
    // Another address is not held back.
    expect((await login(app, REP.email, REP.password, '198.51.100.2')).status).toBe(200);
  });

  it('never limits a user who signs in correctly, however often (devices, the e2e tests)', async () => {
    const { app } = await setUp({ loginPerAccount: 3, loginPerAddress: 6 });
    for (let i = 0; i < 8; i++) await signIn(app);
    // A success forgets the account's earlier failures.
    for (let i = 0; i < 2; i++) expect((await login(app, REP.email, 'a wrong password 123')).status).toBe(401);
    await signIn(app);
    for (let i = 0; i < 2; i++) expect((await login(app, REP.email, 'a wrong password 123')).status).toBe(401);
    await signIn(app);
  });

  it('counts guesses sent in parallel before any of them is answered', async () => {
    const { app } = await setUp({ loginPerAccount: 3 });
    const replies = await Promise.all(
      Array.from({ length: 8 }, (_, i) => login(app, REP.email, `parallel guess ${i} xxxx`)),
    );
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
  });
});

describe('sync flood', () => {
  it('limits requests per user per minute with 429 and Retry-After; other users go on', async () => {
    const { app, clock } = await setUp({ syncPerMinute: 5 });
    const rep = await signIn(app);
    const rep2 = await signIn(app, REP2);
    // Two devices of the same user share the allowance.
    const device2 = await signIn(app);
    for (let i = 0; i < 3; i++) expect((await pull(app, rep.accessToken)).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await pull(app, device2.accessToken)).status).toBe(200);
    const flooded = await pull(app, rep.accessToken);
    expect(flooded.status).toBe(429);
    expect(flooded.body.error).toMatch(/too many requests/);
    expect(Number(flooded.headers['retry-after'])).toBeGreaterThan(0);
    expect((await push(app, device2.accessToken, [contact('c_flood')])).status).toBe(429);
    expect((await pull(app, rep2.accessToken)).status).toBe(200);

    clock.advance(MINUTE);
    expect((await pull(app, rep.accessToken)).status).toBe(200);
  });

  it('lets several devices of a user pull every collection at the default limit', async () => {
    const { app } = await setUp();
    const devices = await Promise.all([signIn(app), signIn(app), signIn(app)]);
    const collections = ['contacts', 'companies', 'deals', 'activities', 'leads', 'users', 'settings', 'tasks'];
    for (const device of devices) {
      for (const collection of collections) {
        for (let page = 0; page < 10; page++) {
          const reply = await send(
            app,
            `/sync/${collection}/pull`,
            { checkpoint: null, limit: 100 },
            bearer(device.accessToken),
          );
          expect([collection, reply.status]).toEqual([collection, 200]);
        }
      }
    }
  });
});

describe('bodies, batches and documents', () => {
  it('refuses an oversized body with 413, too many rows with 400 naming the limit', async () => {
    const { app } = await setUp();
    const { accessToken } = await signIn(app);
    const huge = await send(
      app,
      '/sync/contacts/push',
      `{"rows":[{"newDocumentState":{"id":"c_big","kind":"contact","_deleted":false,"notes":"${'x'.repeat(BODY_LIMIT)}"}}]}`,
      bearer(accessToken),
    );
    expect([huge.status, huge.body.error]).toEqual([413, 'request body is too large']);
    const rows = Array.from({ length: MAX_PUSH_ROWS + 1 }, (_, i) => contact(`c_${i}`));
    const many = await push(app, accessToken, rows);
    expect([many.status, many.body.field]).toEqual([400, 'rows']);
    expect(many.body.error).toMatch(new RegExp(String(MAX_PUSH_ROWS)));
    const bigPage = await send(app, '/sync/contacts/pull', { checkpoint: null, limit: 100_000 }, bearer(accessToken));
    expect([bigPage.status, bigPage.body.field]).toEqual([400, 'limit']);
  });

  it('refuses malformed JSON and prototype-pollution keys without leaking anything', async () => {
    const { app } = await setUp();
    const { accessToken } = await signIn(app);
    const bodies = [
      '{"rows": [',
      '{"rows": [{"newDocumentState": {"id": "c_1", "kind": "contact", "_deleted": false}}]} trailing',
      '{"rows":[],"__proto__":{"polluted":true}}',
      '{"rows":[{"newDocumentState":{"id":"c_p","kind":"contact","_deleted":false,"__proto__":{"isAdmin":true}}}]}',
      '{"rows":[{"newDocumentState":{"id":"c_c","kind":"contact","_deleted":false,"constructor":{"prototype":{"polluted":true}}}}]}',
    ];
    for (const body of bodies) {
      const reply = await send(app, '/sync/contacts/push', body, bearer(accessToken));
      expect([body, reply.status]).toEqual([body, 400]);
      expectNoLeak(reply.raw);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    const login = await send(app, '/auth/login', '{"email":"rep@example.com","password":"x","__proto__":{"a":1}}');
    expect(login.status).toBe(400);
  });

  it('refuses, per document, unknown fields, wrong types and strings over the registry’s length', async () => {
    const { app, db } = await setUp();
    const { accessToken } = await signIn(app);
    const reply = await push(app, accessToken, [
      contact('c_unknown', { isAdmin: true }),
      contact('c_type', { firstName: 42 }),
      contact('c_long', { firstName: 'x'.repeat(101) }),
      contact('c_enum_type', { isDeleted: 'yes' }),
      contact('c_kind', { kind: 'user' }),
      contact('c_ok'),
    ]);
    expect(reply.status).toBe(200);
    const fields = Object.fromEntries(reply.body.rejected.map((r) => [r.id, r.field]));
    expect(fields).toEqual({
      c_unknown: 'isAdmin',
      c_type: 'firstName',
      c_long: 'firstName',
      c_enum_type: 'isDeleted',
      c_kind: 'kind',
    });
    for (const r of reply.body.rejected) expectNoLeak(r.reason);
    expect(await rowOf(db, 'c_unknown')).toBeUndefined();
    expect(await rowOf(db, 'c_ok')).toBeDefined();
  });
});

describe('fields only the server sets', () => {
  it('ignores revisions, sync stamps and server times a device sends', async () => {
    const { app, db } = await setUp();
    const { accessToken } = await signIn(app);
    const forged = {
      ...contact('c_stamps'),
      _rev: '999-forged',
      _meta: { lwt: 1 },
      _attachments: { a: { data: 'eA==' } },
      syncTxid: '1',
      sync_txid: '1',
      serverUpdatedAt: '2000-01-01T00:00:00.000Z',
      server_updated_at: '2000-01-01T00:00:00.000Z',
      syncRemoved: true,
    };
    const reply = await push(app, accessToken, [forged]);
    expect(reply.body.rejected).toEqual([]);
    const row = await rowOf(db, 'c_stamps');
    expect(row?.sync_removed).toBe(false);
    expect(new Date(String(row?.server_updated_at)).getUTCFullYear()).toBeGreaterThan(2000);
    expect(String(row?.sync_txid)).not.toBe('1');
    await caughtUp(db);
    const page = await pull(app, accessToken);
    const doc = page.body.documents.find((d) => d.id === 'c_stamps');
    expect(doc).toBeDefined();
    for (const key of ['_rev', '_meta', '_attachments', 'syncTxid', 'serverUpdatedAt', 'syncRemoved']) {
      expect(doc).not.toHaveProperty(key);
    }
  });

  it('refuses a rep’s document that names another owner', async () => {
    const { app, db } = await setUp();
    const { accessToken } = await signIn(app);
    const reply = await push(app, accessToken, [
      contact('c_other_owner', { ownerId: REP2.id }),
      contact('c_other_author', { createdBy: REP2.id, updatedBy: REP2.id }),
    ]);
    const ids = reply.body.rejected.map((r) => [r.id, r.field]);
    expect(ids).toContainEqual(['c_other_owner', 'ownerId']);
    expect(await rowOf(db, 'c_other_owner')).toBeUndefined();
    // A NEW record naming another author is written as the caller's (write-access.ts authoredByCaller).
    expect(ids.map(([id]) => id)).not.toContain('c_other_author');
    expect((await rowOf(db, 'c_other_author'))?.created_by).toBe(REP.id);
  });

  it('keeps a record’s author: an update may not rewrite createdBy', async () => {
    const { app, db } = await setUp();
    const { accessToken } = await signIn(app);
    const original = contact('c_author');
    expect((await push(app, accessToken, [original])).body.rejected).toEqual([]);
    const rewritten = { ...original, createdBy: REP2.id, lastName: 'Changed' };
    const reply = await send<PushResponse>(
      app,
      '/sync/contacts/push',
      { rows: [{ newDocumentState: rewritten, assumedMasterState: original }] },
      bearer(accessToken),
    );
    expect(reply.body.rejected.map((r) => [r.id, r.field])).toEqual([['c_author', 'createdBy']]);
    expect((await rowOf(db, 'c_author'))?.created_by).toBe(REP.id);
  });
});

describe('access tokens (RFC 8725)', () => {
  async function resigned(
    session: Session,
    change: { alg?: string; key?: Parameters<SignJWT['sign']>[0]; claims?: Record<string, unknown>; iss?: string },
  ): Promise<string> {
    const claims = decodeJwt(session.accessToken);
    const jwt = new SignJWT({ role: claims.role, ...change.claims })
      .setProtectedHeader({ alg: change.alg ?? 'HS256', typ: 'JWT' })
      .setSubject(String(claims.sub))
      .setIssuer(change.iss ?? 'fieldcrm-sync')
      .setAudience('fieldcrm')
      .setIssuedAt(claims.iat ?? 0);
    if (!change.claims || !('exp' in change.claims)) jwt.setExpirationTime(claims.exp ?? 0);
    return jwt.sign(change.key ?? new TextEncoder().encode(SECRET));
  }

  it('refuses other algorithms, a wrong issuer, a token not yet valid or without expiry', async () => {
    const { app, clock } = await setUp();
    const session = await signIn(app);
    const secret = new TextEncoder().encode(SECRET);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const now = Math.floor(clock.now().getTime() / 1000);
    const cases: [string, string][] = [
      ['HS384 under the same secret', await resigned(session, { alg: 'HS384', key: secret })],
      ['HS512 under the same secret', await resigned(session, { alg: 'HS512', key: secret })],
      ['RS256 under an attacker’s key', await resigned(session, { alg: 'RS256', key: rsa.privateKey })],
      ['ES256 under an attacker’s key', await resigned(session, { alg: 'ES256', key: ec.privateKey })],
      ['another issuer', await resigned(session, { iss: 'someone-else' })],
      ['not valid before an hour from now', await resigned(session, { claims: { nbf: now + 3600 } })],
      ['no expiry', await resigned(session, { claims: { exp: undefined } })],
      ['an admin role claimed', await resigned(session, { claims: {}, key: new TextEncoder().encode(`${SECRET}x`) })],
    ];
    for (const [what, token] of cases) {
      const reply = await pull(app, token);
      expect([what, reply.status, reply.body.field]).toEqual([what, 401, 'authorization']);
    }
    // A token signed by the server with the same alg and claims is accepted: the refusals above are not accidents.
    expect((await pull(app, await resigned(session, {}))).status).toBe(200);
  });

  it('keeps refresh and access tokens apart', async () => {
    const { app } = await setUp();
    const session = await signIn(app);
    const asRefresh = await send(app, '/auth/refresh', { refreshToken: session.accessToken });
    expect([asRefresh.status, asRefresh.body.field]).toEqual([400, 'refreshToken']);
    const asAccess = await pull(app, session.refreshToken);
    expect([asAccess.status, asAccess.body.field]).toEqual([401, 'authorization']);
  });

  it('refuses a disabled user’s still-unexpired access token', async () => {
    const { app, db } = await setUp();
    const session = await signIn(app, OFF);
    expect((await pull(app, session.accessToken)).status).toBe(200);
    await db.query(`UPDATE users SET status = 'disabled' WHERE id = $1`, [OFF.id]);
    const reply = await pull(app, session.accessToken);
    expect(reply.status).toBe(403);
    expect(reply.body.error).toMatch(/disabled/);
    expect((await push(app, session.accessToken, [contact('c_off', { ownerId: OFF.id })])).status).toBe(403);
  });
});

describe('passwords', () => {
  it('are stored as argon2id with at least OWASP’s parameters (m=19 MiB, t=2, p=1)', async () => {
    const { db } = await setUp();
    const { rows } = await db.query<{ password_hash: string }>('SELECT password_hash FROM user_credentials');
    expect(rows.length).toBeGreaterThan(0);
    for (const { password_hash } of rows) {
      const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(password_hash);
      expect(match, password_hash.slice(0, 30)).not.toBeNull();
      const [, m, t, p] = match as RegExpExecArray;
      expect(Number(m)).toBeGreaterThanOrEqual(19_456);
      expect(Number(t)).toBeGreaterThanOrEqual(2);
      expect(Number(p)).toBeGreaterThanOrEqual(1);
    }
  });

  it('refuses a new password too short, too long or among the most common', async () => {
    const { app, db } = await setUp();
    const session = await signIn(app);
    const before = (await db.query('SELECT password_hash FROM user_credentials WHERE user_id = $1', [REP.id])).rows;
    for (const newPassword of ['short', 'x'.repeat(1025), '123456789012', 'passwordpassword', 'qwertyuiop123']) {
      const reply = await send(
        app,
        '/auth/password',
        { currentPassword: REP.password, newPassword },
        bearer(session.accessToken),
      );
      expect([newPassword.slice(0, 20), reply.status, reply.body.field]).toEqual([
        newPassword.slice(0, 20),
        400,
        'newPassword',
      ]);
    }
    const after = (await db.query('SELECT password_hash FROM user_credentials WHERE user_id = $1', [REP.id])).rows;
    expect(after).toEqual(before);
  });
});

describe('answers', () => {
  it('carry security headers, on success and on refusal', async () => {
    const { app } = await setUp();
    const session = await signIn(app);
    const replies = [
      await pull(app, session.accessToken),
      await pull(app, 'nope'),
      await send(app, '/nowhere', {}),
      await send(app, '/auth/login', { email: REP.email, password: 'wrong password 1234' }),
    ];
    for (const reply of replies) {
      expect(reply.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'cache-control': 'no-store',
        'referrer-policy': 'no-referrer',
      });
      expect(String(reply.headers['content-security-policy'])).toContain("default-src 'none'");
      expect(reply.headers).not.toHaveProperty('x-powered-by');
      expectNoLeak(reply.raw);
    }
  });

  it('give a disallowed origin no CORS grant on a real request', async () => {
    const { app } = await setUp();
    const session = await signIn(app);
    const reply = await app.inject({
      method: 'POST',
      url: '/sync/contacts/pull',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example', ...bearer(session.accessToken) },
      payload: JSON.stringify({ checkpoint: null, limit: 1 }),
    });
    expect(reply.headers['access-control-allow-origin']).toBeUndefined();
    expect(reply.headers['access-control-allow-credentials']).toBeUndefined();
  });
});
