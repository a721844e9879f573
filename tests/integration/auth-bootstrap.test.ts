import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { BUILT_IN_ROLE_IDS, builtInPermissions } from '../../src-shared/auth/built-in-roles';
import { getEntity } from '../../src-shared/entities/registry';
import { BootstrapError } from '../../sync-server/src/auth/bootstrap-admin';
import { verifyPassword } from '../../sync-server/src/auth/passwords';
import type { Database } from '../../sync-server/src/db/database';
import { insertRow } from '../../sync-server/src/sync/row-writer';
import { type CliEnv, crmInProcess, crmProcess } from '../support/crm-runner';
import { ADMIN, addUser, bootstrap, openMigrated, sequentialIds, testClock } from './auth-fixtures';
import { countRows, sampleDoc } from './sync-server-fixtures';

/** `npm run crm -- bootstrap-admin …` with the given environment, through the CLI's runner in-process. */
const crm = (env: CliEnv, ...args: string[]) =>
  crmInProcess({ DATABASE_URL: undefined, DATA_DIR: undefined, ...env }, 'bootstrap-admin', ...args);
/** The same as a child process: what only a process shows (its exit code). */
const crmAsProcess = (env: CliEnv, ...args: string[]) =>
  crmProcess({ DATABASE_URL: undefined, DATA_DIR: undefined, ...env }, 'bootstrap-admin', ...args);

/** `db`, whose transactions pause at the first statement matching `sql` until `parties` arrived there or `timeoutMs` passed. */
function meetingAt(db: Database, sql: RegExp, parties: number, timeoutMs: number): Database {
  let arrived = 0;
  let release: () => void = () => {};
  const met = new Promise<void>((resolve) => {
    release = resolve;
  });
  const wait = () => {
    if (++arrived >= parties) release();
    return Promise.race([met, new Promise((resolve) => setTimeout(resolve, timeoutMs))]);
  };
  return {
    ...db,
    transaction: (fn) =>
      db.transaction((tx) =>
        fn({
          query: async (text, params) => {
            if (sql.test(text)) await wait();
            return tx.query(text, params);
          },
        }),
      ),
  };
}

describe('bootstrapAdmin (Postgres)', () => {
  it('creates the built-in roles and an administrator who can sign in, each with a server audit entry', async () => {
    const { db } = await openMigrated();
    const result = await bootstrap(db, testClock(), { email: ' Admin@Example.com ' });
    expect(result).toEqual({
      userId: 'boot_0001',
      email: 'admin@example.com',
      rolesCreated: ['role_admin', 'role_manager', 'role_rep'],
    });
    const { rows: roles } = await db.query<{ id: string; permissions: unknown; is_system: boolean; owner_id: string }>(
      'SELECT id, permissions, is_system, owner_id FROM user_roles ORDER BY id',
    );
    expect(roles).toEqual(
      (['admin', 'manager', 'rep'] as const).map((role) => ({
        id: BUILT_IN_ROLE_IDS[role],
        permissions: builtInPermissions(role),
        is_system: true,
        owner_id: 'boot_0001',
      })),
    );
    const { rows: users } = await db.query('SELECT id, email, role_id, status, sync_removed FROM users');
    expect(users).toEqual([
      { id: 'boot_0001', email: 'admin@example.com', role_id: 'role_admin', status: 'active', sync_removed: false },
    ]);
    const { rows: audit } = await db.query<{ entity_id: string; action: string; reason: string; actor_id: string }>(
      'SELECT entity_id, action, reason, actor_id FROM audit_log ORDER BY entity_id',
    );
    expect(audit).toEqual(
      ['boot_0001', 'role_admin', 'role_manager', 'role_rep'].map((id) => ({
        entity_id: id,
        action: 'insert',
        reason: 'bootstrap-admin',
        actor_id: 'boot_0001',
      })),
    );
    const { rows: credentials } = await db.query<{ user_id: string; password_hash: string }>(
      'SELECT user_id, password_hash FROM user_credentials',
    );
    expect(credentials.map((c) => c.user_id)).toEqual(['boot_0001']);
    expect(credentials[0]?.password_hash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(credentials[0]?.password_hash ?? '', ADMIN.password)).toBe(true);
  });

  it('refuses a second run while an administrator can sign in, and changes nothing', async () => {
    const { db } = await openMigrated();
    await bootstrap(db, testClock());
    const again = await bootstrap(db, testClock(), { email: 'second@example.com' }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(BootstrapError);
    expect(again).toMatchObject({ field: undefined });
    expect((again as Error).message).toMatch(/an administrator who can sign in already exists \(admin@example.com\)/);
    for (const table of ['users', 'user_roles', 'user_credentials']) {
      expect([table, await countRows(db, table)]).toEqual([table, table === 'user_roles' ? 3 : 1]);
    }
  });

  it('runs one of two bootstraps started at once', async () => {
    const { db } = await openMigrated();
    // The roles exist already (so the two do not collide on their ids) and no administrator can sign in.
    await bootstrap(db, testClock(), { email: 'former@example.com' });
    await db.query(`UPDATE users SET status = 'disabled'`);
    // Each waits (up to 500 ms) for the other to reach its check for an administrator, so that
    // without the lock both would check before either commits.
    const racing = meetingAt(db, /JOIN user_credentials/, 2, 500);
    const results = await Promise.allSettled([
      bootstrap(racing, testClock(), { email: 'one@example.com' }, sequentialIds('one')),
      bootstrap(racing, testClock(), { email: 'two@example.com' }, sequentialIds('two')),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM users WHERE status = 'active'`);
    expect(rows).toEqual([{ n: 1 }]);
  });

  it('keeps roles that exist; an administrator without a password, or a disabled one, does not block', async () => {
    const { db } = await openMigrated();
    const custom = { contact: { read: 'all' } };
    await db.transaction((tx) =>
      insertRow(tx, getEntity('userRole'), {
        ...sampleDoc(getEntity('userRole'), BUILT_IN_ROLE_IDS.manager),
        name: 'Our managers',
        permissions: custom,
      }),
    );
    await addUser(db, { id: 'u_imported', email: 'imported@example.com', roleId: 'role_admin' });
    await bootstrap(db, testClock(), { email: 'first@example.com' });
    await db.query(`UPDATE users SET status = 'disabled' WHERE email = 'first@example.com'`);
    const result = await bootstrap(db, testClock(), { email: 'second@example.com' }, sequentialIds('again'));
    expect(result).toEqual({ userId: 'again_0001', email: 'second@example.com', rolesCreated: [] });
    const { rows } = await db.query<{ name: string; permissions: unknown }>(
      `SELECT name, permissions FROM user_roles WHERE id = 'role_manager'`,
    );
    expect(rows).toEqual([{ name: 'Our managers', permissions: custom }]);
  });

  it.each<[string, Partial<typeof ADMIN>, string, RegExp]>([
    ['a short password', { password: 'elevenchars' }, 'password', /at least 12 characters long \(this one has 11\)/],
    ['an email that is not one', { email: 'admin at example' }, 'email', /email must be a valid email address/],
  ])('refuses %s, naming the field', async (_, input, field, reason) => {
    const { db } = await openMigrated();
    const error = await bootstrap(db, testClock(), input).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'BootstrapError', field });
    expect((error as BootstrapError).reason).toMatch(reason);
    expect(await countRows(db, 'users')).toBe(0);
  });

  it('refuses an email another user has, whatever its case', async () => {
    const { db } = await openMigrated();
    await addUser(db, { id: 'u_rep', email: 'Rep@Example.com', roleId: 'role_rep' });
    const error = await bootstrap(db, testClock(), { email: 'rep@example.COM' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'BootstrapError', field: 'email' });
    expect(await countRows(db, 'user_roles')).toBe(0);
  });
});

describe('npm run crm -- bootstrap-admin', () => {
  it('bootstraps the DATABASE_URL database once; a second run exits 1; a short password exits 2', async () => {
    const { db, url } = await openMigrated();
    const args = ['--email', 'boss@example.com', '--password', ADMIN.password, '--first-name', 'Ada'];
    const first = await crm({ DATABASE_URL: url }, ...args, '--last-name', 'Lovelace');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^administrator boss@example.com created \(user [0-9a-f-]{36}\) in postgres /);
    expect(first.stdout).toContain('roles created: role_admin, role_manager, role_rep');
    const { rows } = await db.query('SELECT first_name, last_name, role_id FROM users');
    expect(rows).toEqual([{ first_name: 'Ada', last_name: 'Lovelace', role_id: 'role_admin' }]);

    const second = await crmAsProcess(
      { DATABASE_URL: url },
      '--email',
      'other@example.com',
      '--password',
      ADMIN.password,
    );
    expect([second.code, second.stdout]).toEqual([1, '']);
    expect(second.stderr).toMatch(/^crm bootstrap-admin: an administrator who can sign in already exists/);

    const short = await crm({ DATABASE_URL: url }, '--email', 'x@example.com', '--password', 'too short');
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('--password must be at least 12 characters long (this one has 9)');
    const missing = await crm({ DATABASE_URL: url }, '--password', ADMIN.password);
    expect([missing.code, missing.stderr.split('\n')[0]]).toEqual([2, 'crm: --email is required']);
    expect(await countRows(db, 'users')).toBe(1);
  }, 90_000);

  it('without DATABASE_URL, bootstraps the embedded PGlite database in DATA_DIR', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crm-bootstrap-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const result = await crm({ DATA_DIR: dir }, '--email', 'boss@example.com', '--password', ADMIN.password);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`in PGlite ${dir}; roles created: role_admin, role_manager, role_rep`);
  }, 90_000);
});
