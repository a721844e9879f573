import { setPassword } from '../../sync-server/src/auth/set-password';
import { HttpError } from '../../sync-server/src/http/errors';
import { parseArgs, UsageError } from './cli-error';
import { credentialFlags } from './credential-flags';
import { type CrmIo, processIo } from './crm-io';
import { withServerDatabase } from './server-database';

export const setPasswordUsage = `set-password --email E --password P
    Sets the password of the user with that email on the sync server's database (DATABASE_URL, else
    embedded PGlite in DATA_DIR), e.g. the first password of a user created in the app's settings.
    Every sign-in of that user ends. Audited as done by "system:cli". In the app, administrators do
    the same through POST /auth/password.`;

/** The operator at the server's console: trusted like the database connection they already hold. */
const CLI_PRINCIPAL = { userId: 'system:cli', unrestricted: true } as const;

export async function setPasswordCommand(argv: readonly string[], io: CrmIo = processIo()): Promise<void> {
  const { email, password } = credentialFlags(parseArgs(argv, ['email', 'password']));

  try {
    await withServerDatabase(io.env, async (db) => {
      const { rows } = await db.query<{ id: string }>(
        'SELECT id FROM users WHERE lower(email) = lower($1) AND NOT is_deleted AND NOT sync_removed LIMIT 2',
        [email],
      );
      if (rows.length === 0) throw new UsageError(`--email: no user has the email ${email}`);
      if (rows.length > 1) throw new UsageError(`--email: several users have the email ${email}; fix that first`);
      const userId = rows[0]?.id ?? '';
      await setPassword(db, CLI_PRINCIPAL, { userId, newPassword: password }, { now: () => new Date() });
      io.stdout.write(`password of ${email} (user ${userId}) set in ${db.description}; their sign-ins ended\n`);
    });
  } catch (error) {
    if (error instanceof HttpError) throw new UsageError(error.message);
    throw error;
  }
}
