import { useEffect } from 'react';
import { appSession } from '../app/app-session';
import { useCrm } from '../app/crm-context';
import { authorizedFetch } from '../sync/authenticated-transport';
import { FileStore } from './file-store';
import { type FileServer, FileSync } from './file-sync';

/** The file store and its sync of the open database: one pair per database (demo, or each user's). */
const byDatabase = new Map<string, FileSync>();

function serverOfSession(): FileServer | undefined {
  const session = appSession();
  const current = session.current();
  if (!current) return undefined;
  return { baseUrl: current.serverUrl.replace(/\/+$/, ''), fetch: authorizedFetch(session) };
}

export function fileSyncFor(databaseName: string, signedIn: boolean): FileSync {
  let sync = byDatabase.get(databaseName);
  if (!sync) {
    sync = new FileSync(new FileStore(`${databaseName}-files`), signedIn ? serverOfSession : () => undefined);
    byDatabase.set(databaseName, sync);
  }
  return sync;
}

/**
 * The files of the open database. While signed in, the upload queue runs from the first use on
 * (and keeps running for the page's life): mounting this hook anywhere is enough.
 */
export function useFiles(): FileSync {
  const { db, mode } = useCrm();
  const sync = fileSyncFor(db.rx.name, mode === 'signed-in');
  useEffect(() => {
    if (mode === 'signed-in') sync.start();
  }, [sync, mode]);
  return sync;
}
