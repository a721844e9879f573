import { randomUUID } from 'node:crypto';
import { BootstrapError, bootstrapAdmin } from '../../sync-server/src/auth/bootstrap-admin';
import { parseArgs, UsageError } from './cli-error';
import { credentialFlags } from './credential-flags';
import { type CrmIo, processIo } from './crm-io';
import { withServerDatabase } from './server-database';

export const bootstrapAdminUsage = `bootstrap-admin --email E --password P [--first-name F] [--last-name L]
    First run of a sync server database (DATABASE_URL, else embedded PGlite in DATA_DIR; stop a
    server using that PGlite folder first): migrates it, creates the built-in roles admin, manager
    and rep if missing, and an administrator who can sign in (password of 12 characters or more,
    stored as an argon2id hash). Refuses when an administrator who can sign in already exists.`;

const FLAG_OF: Record<string, string> = {
  email: '--email',
  password: '--password',
  firstName: '--first-name',
  lastName: '--last-name',
};

export async function bootstrapAdminCommand(argv: readonly string[], io: CrmIo = processIo()): Promise<void> {
  const args = parseArgs(argv, ['email', 'password', 'first-name', 'last-name']);
  const { email, password } = credentialFlags(args);
  const firstName = args.flags.get('first-name');
  const lastName = args.flags.get('last-name');

  try {
    await withServerDatabase(io.env, async (db) => {
      const result = await bootstrapAdmin(
        db,
        {
          email,
          password,
          ...(firstName === undefined ? {} : { firstName }),
          ...(lastName === undefined ? {} : { lastName }),
        },
        { now: () => new Date(), newId: () => randomUUID() },
      );
      const roles = result.rolesCreated.length === 0 ? 'none (they existed)' : result.rolesCreated.join(', ');
      io.stdout.write(
        `administrator ${result.email} created (user ${result.userId}) in ${db.description}; roles created: ${roles}\n`,
      );
    });
  } catch (error) {
    // Bad input is a usage mistake (exit 2); a refusal (an administrator exists) is not.
    if (error instanceof BootstrapError && error.field !== undefined) {
      throw new UsageError(`${FLAG_OF[error.field] ?? error.field} ${error.reason}`);
    }
    throw error;
  }
}
