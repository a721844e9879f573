import type { FastifyInstance } from 'fastify';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createApp } from '../../sync-server/src/app';
import { authRoutes } from '../../sync-server/src/auth/auth.routes';
import type { Session } from '../../sync-server/src/auth/auth.service';
import { jwtAuthenticate } from '../../sync-server/src/auth/jwt-authenticate';
import type { Database } from '../../sync-server/src/db/database';
import { crmInProcess, crmProcess } from '../support/crm-runner';
import { ADMIN, addUser, bootstrap, openMigrated, SECRET, sequentialIds, testClock } from './auth-fixtures';
import { post } from './sync-server-fixtures';

/** `POST /auth/password`: one's own password with the current one; anyone's as an administrator. */

const REP = { id: 'u_rep', email: 'rep@example.com', password: 'rep password 1234', roleId: 'role_rep' };
const NEW_REP = { id: 'u_new', email: 'new@example.com', roleId: 'role_rep' };
const NEXT = 'a brand new password 5678';

type ErrorBody = { error: string; field?: string };

async function setUp(): Promise<{ app: FastifyInstance; db: Database; url: string }> {
  const { db, url } = await openMigrated();
  const clock = testClock();
  await bootstrap(db, clock);
  await addUser(db, REP);
  await addUser(db, NEW_REP);
  const app = createApp({ db, authenticate: jwtAuthenticate(SECRET, { now: clock.now }), now: clock.now });
  authRoutes(app, { db, secret: SECRET, now: clock.now, newId: sequentialIds('rt') });
  onTestFinished(() => app.close());
  return { app, db, url };
}

async function signIn(app: FastifyInstance, email: string, password: string): Promise<Session> {
  const reply = await post<Session & ErrorBody>(app, '/auth/login', { email, password });
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body;
}

/** The answer's status and, unless it is a 204, its error body. */
async function setPassword(app: FastifyInstance, session: Session | undefined, body: unknown) {
  const response = await app.inject({
    method: 'POST',
    url: '/auth/password',
    headers: {
      'content-type': 'application/json',
      ...(session ? { authorization: `Bearer ${session.accessToken}` } : {}),
    },
    payload: JSON.stringify(body),
  });
  const text = response.body;
  return { status: response.statusCode, body: text === '' ? undefined : (JSON.parse(text) as ErrorBody) };
}

async function passwordAudit(db: Database) {
  const { rows } = await db.query<{ entity_id: string; actor_id: string; reason: string; doc: unknown }>(
    `SELECT entity_id, actor_id, reason, to_jsonb(a) AS doc FROM audit_log a WHERE reason LIKE '%password%' ORDER BY sync_txid`,
  );
  return rows;
}

describe('POST /auth/password (Postgres)', () => {
  it('changes one’s own password with the current one and ends every sign-in', async () => {
    const { app, db } = await setUp();
    const session = await signIn(app, REP.email, REP.password);
    const reply = await setPassword(app, session, { currentPassword: REP.password, newPassword: NEXT });
    expect(reply.status).toBe(204);
    expect((await post(app, '/auth/login', { email: REP.email, password: REP.password })).status).toBe(401);
    await signIn(app, REP.email, NEXT);
    // The sign-in that was open before the change can no longer be refreshed.
    expect((await post(app, '/auth/refresh', { refreshToken: session.refreshToken })).status).toBe(401);
    const audit = await passwordAudit(db);
    expect(audit.map((a) => [a.entity_id, a.actor_id])).toEqual([[REP.id, REP.id]]);
    expect(JSON.stringify(audit)).not.toContain(NEXT);
    expect(JSON.stringify(audit)).not.toContain('$argon2');
  });

  it('refuses bad input, naming the field, and changes nothing', async () => {
    const { app, db } = await setUp();
    const session = await signIn(app, REP.email, REP.password);
    const cases: [unknown, number, string][] = [
      [{ currentPassword: 'not my password!', newPassword: NEXT }, 401, 'currentPassword'],
      [{ newPassword: NEXT }, 400, 'currentPassword'],
      [{ currentPassword: REP.password, newPassword: 'short' }, 400, 'newPassword'],
      [{ currentPassword: REP.password }, 400, 'newPassword'],
      [{ currentPassword: REP.password, newPassword: NEXT, colour: 'red' }, 400, 'colour'],
    ];
    for (const [body, status, field] of cases) {
      const reply = await setPassword(app, session, body);
      expect([reply.status, reply.body?.field], JSON.stringify(body)).toEqual([status, field]);
    }
    await signIn(app, REP.email, REP.password);
    expect(await passwordAudit(db)).toEqual([]);
  });

  it('lets an administrator set a new user’s first password; a rep may not set anyone else’s', async () => {
    const { app, db } = await setUp();
    const admin = await signIn(app, ADMIN.email, ADMIN.password);
    expect((await post(app, '/auth/login', { email: NEW_REP.email, password: NEXT })).status).toBe(401);
    expect((await setPassword(app, admin, { userId: NEW_REP.id, newPassword: NEXT })).status).toBe(204);
    await signIn(app, NEW_REP.email, NEXT);

    const rep = await signIn(app, REP.email, REP.password);
    const refused = await setPassword(app, rep, { userId: NEW_REP.id, newPassword: 'taken over by the rep' });
    expect([refused.status, refused.body?.field]).toEqual([403, 'userId']);
    await signIn(app, NEW_REP.email, NEXT);
    const unknown = await setPassword(app, admin, { userId: 'u_nobody', newPassword: NEXT });
    expect([unknown.status, unknown.body?.error]).toEqual([404, 'user u_nobody does not exist']);
    expect((await passwordAudit(db)).map((a) => a.entity_id)).toEqual([NEW_REP.id]);
    // Without a token: nothing.
    expect((await setPassword(app, undefined, { newPassword: NEXT })).status).toBe(401);
  });
});

describe('npm run crm -- set-password', () => {
  it('sets a user’s password on the DATABASE_URL database; bad input exits 2 naming the flag', async () => {
    const { app, url } = await setUp();
    const env = { DATABASE_URL: url, DATA_DIR: undefined };
    const crm = (...args: string[]) => crmInProcess(env, 'set-password', ...args);
    const ok = await crm('--email', 'NEW@example.com', '--password', NEXT);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain(`password of NEW@example.com (user ${NEW_REP.id}) set in postgres`);
    await signIn(app, NEW_REP.email, NEXT);
    const short = await crm('--email', NEW_REP.email, '--password', 'short');
    expect([short.code, short.stderr.split('\n')[0]]).toEqual([
      2,
      'crm: --password must be at least 12 characters long (this one has 5)',
    ]);
    // As a real process: its exit code and stderr.
    const nobody = await crmProcess(env, 'set-password', '--email', 'nobody@example.com', '--password', NEXT);
    expect([nobody.code, nobody.stderr.split('\n')[0]]).toEqual([
      2,
      'crm: --email: no user has the email nobody@example.com',
    ]);
    await signIn(app, NEW_REP.email, NEXT);
  }, 90_000);
});
