import { useEffect, useState } from 'react';
import { createLocalDatabase, type LocalDatabase } from '../db/create-database';
import { deviceId } from '../db/device-id';
import { createRepositories, type Repositories } from '../db/repositories';
import type { SeedProgress } from '../db/seed-demo';

export type DatabaseState =
  | { status: 'opening' }
  | { status: 'seeding'; progress: SeedProgress }
  | { status: 'ready'; db: LocalDatabase; repos: Repositories; seeded: number }
  | { status: 'error'; message: string };

/** Until sign-in exists (the sync issue), the device's own user writes locally. */
const LOCAL_USER = 'local-user';
const DB_NAME = 'fieldcrm';
/** Set once the demo set is complete; an interrupted first run seeds again and resumes. */
const SEEDED_KEY = 'fieldcrm.demoSeeded';

let opening: Promise<{ db: LocalDatabase; repos: Repositories }> | undefined;

/** One database per page, even under StrictMode's double effects. */
function openOnce() {
  opening ??= createLocalDatabase({ name: DB_NAME, actor: () => ({ userId: LOCAL_USER, deviceId: deviceId() }) }).then(
    (db) => ({ db, repos: createRepositories(db) }),
  );
  return opening;
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
      if (localStorage.getItem(SEEDED_KEY) !== 'small') {
        // Loaded only on first run: the generator and faker are most of the bundle.
        const { seedDemoData } = await import('../db/seed-demo');
        seeded = await seedDemoData(repos, 'small', (progress) => update({ status: 'seeding', progress }));
        localStorage.setItem(SEEDED_KEY, 'small');
      }
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
