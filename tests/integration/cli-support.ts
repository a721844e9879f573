import { getEntity } from '../../src-shared/entities/registry';
import { NEWEST_MAX } from '../../src-shared/schema/define-entity';
import type { WireDoc } from '../../src-shared/sync/protocol';
import { bootstrapAdmin } from '../../sync-server/src/auth/bootstrap-admin';
import { createPgDatabase, type Database } from '../../sync-server/src/db/database';
import { migrate } from '../../sync-server/src/db/migrate';
import { push } from '../../sync-server/src/sync/push';
import { type CliRun, crmInProcess, crmProcess } from '../support/crm-runner';

export type { CliRun };

/** `npm run crm -- …` as a separate process on the database at `url` (what a user runs). */
export function crm(url: string, ...args: string[]): Promise<CliRun> {
  return crmProcess({ DATABASE_URL: url }, ...args);
}

/** The same, through the CLI's runner in this process: seconds cheaper per call. */
export function crmInProcessAt(url: string, ...args: string[]): Promise<CliRun> {
  return crmInProcess({ DATABASE_URL: url }, ...args);
}

export const ADMIN_EMAIL = 'admin@example.com';

/** The server's schema and one administrator, as `bootstrap-admin` leaves a new server. */
export async function preparedServer(url: string): Promise<{ db: Database; adminId: string }> {
  const db = createPgDatabase(url, { max: 2 });
  await migrate(db);
  const { userId } = await bootstrapAdmin(
    db,
    { email: ADMIN_EMAIL, password: 'Correct-Horse-Battery-9', firstName: 'Ada', lastName: 'Admin' },
    { now: () => new Date('2026-01-05T10:00:00.000Z'), newId: () => crypto.randomUUID() },
  );
  return { db, adminId: userId };
}

/** Writes records as the server's own push would for an unrestricted caller (test set-up only). */
export async function seed(
  db: Database,
  actorId: string,
  entityName: string,
  records: readonly Record<string, unknown>[],
): Promise<void> {
  const entity = getEntity(entityName);
  const at = '2026-01-02T00:00:00.000Z';
  const docs = records.map((fields) => ({
    kind: entity.name,
    ownerId: actorId,
    createdAt: at,
    updatedAt: at,
    createdBy: actorId,
    updatedBy: actorId,
    isDeleted: false,
    newest: NEWEST_MAX - Date.parse(at),
    ...fields,
  }));
  const result = await push(
    db,
    entity.collection ?? 'settings',
    { rows: docs.map((doc) => ({ newDocumentState: doc as unknown as WireDoc })) },
    {
      userId: actorId,
      access: { kind: 'unrestricted', userId: actorId },
      now: () => new Date(at),
      newId: () => crypto.randomUUID(),
    },
  );
  if (result.rejected.length > 0) throw new Error(`seed ${entityName}: ${JSON.stringify(result.rejected)}`);
}
