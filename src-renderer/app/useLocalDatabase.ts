import { useEffect, useState } from 'react';
import type { SessionUser } from '../../src-shared/ipc/contract';
import { createLocalDatabase, type LocalDatabase, type MigrationProgress } from '../db/create-database';
import { DatabaseLockedError, DEMO_DATABASE_NAME, databaseKey, userDatabaseName } from '../db/database-key';
import { deviceId, forgetDeviceId } from '../db/device-id';
import { createRepositories, type Repositories } from '../db/repositories';
import type { SeedProgress } from '../db/seed-demo';
import { appOfflineGate } from '../sync/offline-gate';
import type { Session } from '../sync/session';
import { replicateWhileSignedIn, type SessionReplication } from '../sync/session-replication';
import { wipeLocalData } from '../sync/session-wipe';
import { toast } from '../ui/toasts';
import { appSession, sessionUser } from './app-session';

export type DatabaseState =
  | { status: 'opening' }
  /** A new version's schema migration copying this device's records, before the app can open. */
  | { status: 'upgrading'; progress: MigrationProgress }
  | { status: 'seeding'; progress: SeedProgress }
  | {
      status: 'ready';
      db: LocalDatabase;
      repos: Repositories;
      seeded: number;
      /** Who the database belongs to; undefined: the demo database of a device no one signed in on. */
      user: SessionUser | undefined;
      sync: SessionReplication | undefined;
    }
  | { status: 'error'; message: string };

/** Who writes when no one has signed in on this device. */
const LOCAL_USER = 'local-user';
/** Set once the demo set is complete; an interrupted first run seeds again and resumes. */
const SEEDED_KEY = 'fieldcrm.demoSeeded';
/** Why the last start signed out (the database key was gone); the sign-in dialog can say so. */
export const LOCKED_NOTICE = 'fieldcrm.lockedNotice';

/**
 * One database per user on a device, so that signing in never mixes the demo's made-up records, or
 * another user's, into what replicates. Switching databases reloads the page: RxDB's collection
 * limit (13 per page) leaves no room for two open at once.
 */
export function databaseName(user: SessionUser | undefined): string {
  return user ? userDatabaseName(user.id) : DEMO_DATABASE_NAME;
}

/**
 * The key of the database to open. A browser that no longer holds the key of the user's database
 * (a new browser session: it is derived from the password) signs out here, so the sign-in that
 * derives it again is offered; the encrypted records, unsent changes included, wait on the device.
 */
async function keyFor(session: Session, user: SessionUser | undefined): Promise<string | null> {
  try {
    return await databaseKey(databaseName(user), user ? 'user' : 'demo');
  } catch (error) {
    if (!(error instanceof DatabaseLockedError)) throw error;
    await session.signOut();
    sessionStorage.setItem(LOCKED_NOTICE, error.message);
    return null;
  }
}

let opening: Promise<{ db: LocalDatabase; repos: Repositories; user: SessionUser | undefined }> | undefined;
/** Who hears of the open's migration: the latest mount's state (StrictMode mounts twice, one open). */
let onMigration: ((progress: MigrationProgress) => void) | undefined;

/** One database per page, even under StrictMode's double effects; the stored session is read first (no network). */
function openOnce() {
  opening ??= (async () => {
    const session = appSession();
    await session.restore();
    let user = sessionUser(session.state());
    let key = await keyFor(session, user);
    if (key === null) {
      user = undefined;
      key = await databaseKey(databaseName(user), 'demo');
    }
    const db = await createLocalDatabase({
      name: databaseName(user),
      key,
      actor: () => ({ userId: sessionUser(session.state())?.id ?? LOCAL_USER, deviceId: deviceId() }),
      onMigration: (progress) => onMigration?.(progress),
    });
    return { db, repos: createRepositories(db), user };
  })();
  return opening;
}

let replication: SessionReplication | undefined;
let revocation: Promise<void> | undefined;

/**
 * The server said an administrator revoked this device: its copy of the user's data goes (records,
 * unsent changes, the session and the key), it becomes a new device, and the demo opens saying why.
 */
function wipeWhenRevoked(db: LocalDatabase, user: SessionUser): void {
  appSession().revoked$?.subscribe((reason) => {
    // Every collection's next request is refused at once: wipe once.
    if (revocation) return;
    revocation = (async () => {
      await wipeLocalData({ db, databaseName: databaseName(user), session: appSession(), sync: replication });
      forgetDeviceId();
      sessionStorage.setItem(LOCKED_NOTICE, `Signed out and this device's data removed: ${reason}`);
      location.reload();
    })().catch((error: unknown) => console.error('[session] could not wipe the revoked device', error));
  });
}

/** Says once, after the reload, why the app signed out by itself (a revoked device, a lost key). */
function showNotice(): void {
  const notice = sessionStorage.getItem(LOCKED_NOTICE);
  if (!notice) return;
  sessionStorage.removeItem(LOCKED_NOTICE);
  toast({ tone: 'error', message: notice });
}

/**
 * Replicates with the session's server while signed in (paused otherwise, resumed by a sign-in);
 * the forced-offline switch holds its requests on the device.
 */
function replicateOnce(db: LocalDatabase): SessionReplication {
  replication ??= replicateWhileSignedIn(db, appSession(), { gate: appOfflineGate() });
  return replication;
}

/** Opens the local database and, on a first run without a sign-in, fills it with the demo data set. */
export function useLocalDatabase(): DatabaseState {
  const [state, setState] = useState<DatabaseState>({ status: 'opening' });
  useEffect(() => {
    let live = true;
    const update = (next: DatabaseState) => live && setState(next);
    onMigration = (progress) => update({ status: 'upgrading', progress });
    (async () => {
      const { db, repos, user } = await openOnce();
      let seeded = 0;
      if (!user && localStorage.getItem(SEEDED_KEY) !== 'small') {
        // Loaded only on first run: the generator and faker are most of the bundle.
        const { seedDemoData } = await import('../db/seed-demo');
        seeded = await seedDemoData(repos, 'small', (progress) => update({ status: 'seeding', progress }));
        localStorage.setItem(SEEDED_KEY, 'small');
      }
      const sync = user ? replicateOnce(db) : undefined;
      if (user) wipeWhenRevoked(db, user);
      showNotice();
      update({ status: 'ready', db, repos, seeded, user, sync });
    })().catch((error: unknown) =>
      update({ status: 'error', message: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      live = false;
    };
  }, []);
  return state;
}
