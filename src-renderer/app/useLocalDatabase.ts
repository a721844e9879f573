import { useEffect, useState } from 'react';
import { createLocalDatabase, type LocalDatabase } from '../db/create-database';
import { deviceId } from '../db/device-id';
import { createRepositories, type Repositories } from '../db/repositories';
import type { SeedProgress } from '../db/seed-demo';
import { replicateWhileSignedIn } from '../sync/session-replication';
import { appSession, sessionUser } from './app-session';

export type DatabaseState =
  | { status: 'opening' }
  | { status: 'seeding'; progress: SeedProgress }
  | { status: 'ready'; db: LocalDatabase; repos: Repositories; seeded: number }
  | { status: 'error'; message: string };

/** Who writes when no one has signed in on this device. */
const LOCAL_USER = 'local-user';
const DB_NAME = 'fieldcrm';
/** Set once the demo set is complete; an interrupted first run seeds again and resumes. */
const SEEDED_KEY = 'fieldcrm.demoSeeded';

let opening: Promise<{ db: LocalDatabase; repos: Repositories }> | undefined;

/**
 * One database per page, even under StrictMode's double effects. The stored session is read
 * first (no network), so that the app opens offline as the user who last signed in.
 */
function openOnce() {
  opening ??= (async () => {
    const session = appSession();
    await session.restore();
    const db = await createLocalDatabase({
      name: DB_NAME,
      actor: () => ({ userId: sessionUser(session.state())?.id ?? LOCAL_USER, deviceId: deviceId() }),
    });
    return { db, repos: createRepositories(db) };
  })();
  return opening;
}

let replicating = false;

/**
 * Replicates with the session's server while signed in (paused otherwise, resumed by a sign-in).
 * A device holding the demo data set never does: it would push 12,442 made-up records.
 */
function replicateOnce(db: LocalDatabase): void {
  if (replicating || localStorage.getItem(SEEDED_KEY) !== null) return;
  replicating = true;
  replicateWhileSignedIn(db, appSession());
}

/** Opens the local database and, on first run, fills it with the demo data set. */
export function useLocalDatabase(): DatabaseState {
  const [state, setState] = useState<DatabaseState>({ status: 'opening' });
  useEffect(() => {
    let live = true;
    const update = (next: DatabaseState) => live && setState(next);
    (async () => {
      const { db, repos } = await openOnce();
      let seeded = 0;
      // A signed-in device holds the server's records; the demo set is for trying the app alone.
      const signedIn = sessionUser(appSession().state()) !== undefined;
      if (!signedIn && localStorage.getItem(SEEDED_KEY) !== 'small') {
        // Loaded only on first run: the generator and faker are most of the bundle.
        const { seedDemoData } = await import('../db/seed-demo');
        seeded = await seedDemoData(repos, 'small', (progress) => update({ status: 'seeding', progress }));
        localStorage.setItem(SEEDED_KEY, 'small');
      }
      replicateOnce(db);
      update({ status: 'ready', db, repos, seeded });
    })().catch((error: unknown) =>
      update({ status: 'error', message: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      live = false;
    };
  }, []);
  return state;
}
