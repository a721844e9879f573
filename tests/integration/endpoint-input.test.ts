import { describe, expect, it, onTestFinished } from 'vitest';
import { BUILT_IN_ROLE_IDS } from '../../src-shared/auth/built-in-roles';
import { createApp } from '../../sync-server/src/app';
import { AUTH_BODY_LIMIT, authRoutes } from '../../sync-server/src/auth/auth.routes';
import { jwtAuthenticate } from '../../sync-server/src/auth/jwt-authenticate';
import { ADMIN, bootstrap, openMigrated, SECRET, sequentialIds, testClock } from './auth-fixtures';
import { ORG_USERS, startScopedServer } from './sync-scope-fixtures';
import { BACKENDS } from './sync-server-fixtures';

/**
 * Bad input at the edges the sync tests do not reach: bodies too large for what a route takes, and
 * request parameters a route does not know, each refused with a 4xx (naming the parameter) and
 * nothing done.
 */

const postgres = BACKENDS.find((b) => b.name === 'Postgres');
if (!postgres) throw new Error('no Postgres backend');

describe('the auth routes take small bodies only', () => {
  it('refuse a body over AUTH_BODY_LIMIT with 413 before reading it, and still sign in a normal one', async () => {
    const { db } = await openMigrated();
    const clock = testClock();
    await bootstrap(db, clock);
    const app = createApp({ db, authenticate: jwtAuthenticate(SECRET, { now: clock.now }), now: clock.now });
    authRoutes(app, { db, secret: SECRET, now: clock.now, newId: sequentialIds('rt') });
    onTestFinished(() => app.close());
    const padding = 'x'.repeat(AUTH_BODY_LIMIT);
    for (const [url, body] of [
      ['/auth/login', { email: ADMIN.email, password: padding }],
      ['/auth/refresh', { refreshToken: padding }],
      ['/auth/logout', { refreshToken: padding }],
      ['/auth/password', { newPassword: padding }],
    ] as const) {
      const answer = await app.inject({ method: 'POST', url, payload: body });
      expect([url, answer.statusCode], answer.body).toEqual([url, 413]);
      expect(answer.json()).toEqual({ error: 'request body is too large' });
    }
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM refresh_tokens');
    expect(rows[0]?.n).toBe(0);
    const signIn = await app.inject({ method: 'POST', url: '/auth/login', payload: ADMIN });
    expect(signIn.statusCode, signIn.body).toBe(200);
  });
});

describe('POST /api/v1/graphql', () => {
  it('refuses a request parameter GraphQL over HTTP does not define, naming it; extensions pass', async () => {
    const db = await postgres.open();
    const app = await startScopedServer(db);
    const made = await app.inject({
      method: 'POST',
      url: '/api-keys',
      headers: { 'x-user-id': ORG_USERS.admin.id },
      payload: { name: 'graphql', userId: ORG_USERS.repA1.id, roleId: BUILT_IN_ROLE_IDS.rep, scopes: { '*': 'read' } },
    });
    const key = { authorization: `Bearer ${(made.json() as { secret: string }).secret}` };
    const query = 'query($id: String!) { contact(id: $id) { id } }';
    const graphql = (payload: unknown) =>
      app.inject({ method: 'POST', url: '/api/v1/graphql', headers: key, payload: payload as object });

    // `variable` for `variables`: the query would run without its id.
    const misspelt = await graphql({ query, variable: { id: 'c_a1' } });
    expect([misspelt.statusCode, misspelt.json()]).toEqual([
      400,
      { error: 'variable is not a parameter of a GraphQL request', field: 'variable' },
    ]);
    const batch = await graphql([{ query, variables: { id: 'c_a1' } }]);
    expect(batch.statusCode).toBe(400);
    const good = await graphql({ query, variables: { id: 'c_a1' }, extensions: { persistedQuery: null } });
    expect([good.statusCode, good.json()]).toEqual([200, { data: { contact: { id: 'c_a1' } } }]);
  });
});
