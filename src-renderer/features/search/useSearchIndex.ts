import { useMemo } from 'react';
import { can } from '../../../src-shared/auth/permissions';
import { useCrm } from '../../app/crm-context';
import type { LocalDatabase } from '../../db/create-database';
import { DEMO_DATABASE_NAME, databaseKey } from '../../db/database-key';
import type { Repositories } from '../../db/repositories';
import { useObservable } from '../../ui/useObservable';
import { type VaultRef, vaultKey } from './index-vault';
import { rxdbSearchSource } from './record-source';
import { SEARCH_KINDS, type SearchKind } from './search-documents';
import { LazySearchEngine, LocalSearchEngine, type SearchEngine } from './search-engine';
import { type IndexPersistence, type IndexProgress, SearchIndex } from './search-index';
import { WorkerSearchEngine } from './search-worker-engine';

const indexes = new WeakMap<LocalDatabase, SearchIndex>();

/** The index in a worker where the platform has them (browsers, Electron), else in this thread. */
function createEngine(): SearchEngine {
  if (typeof Worker === 'undefined') return new LocalSearchEngine();
  try {
    return new WorkerSearchEngine(new Worker(new URL('./search.worker.ts', import.meta.url), { type: 'module' }));
  } catch (error) {
    console.warn('[search] no worker; the index is built on the page', error);
    return new LocalSearchEngine();
  }
}

/**
 * The index is sealed with the key the database was opened with (database-key.ts: the OS keychain
 * on the desktop, the password-derived session key or the demo's key in a browser).
 */
function persistenceOf(db: LocalDatabase): IndexPersistence {
  const name = db.rx.name;
  return {
    async vault(): Promise<VaultRef> {
      const secret = await databaseKey(name, name === DEMO_DATABASE_NAME ? 'demo' : 'user');
      return { database: name, key: await vaultKey(secret) };
    },
  };
}

/** The one search index of a database (a page opens one database; a sign-in reloads the page). */
export function searchIndexOf(db: LocalDatabase, repos: Repositories): SearchIndex {
  let index = indexes.get(db);
  if (!index) {
    // The worker is made when the build starts (or a search is asked), not as the app opens.
    index = new SearchIndex(rxdbSearchSource(db, repos), new LazySearchEngine(createEngine), persistenceOf(db));
    indexes.set(db, index);
  }
  return index;
}

export function useIndexProgress(index: SearchIndex): IndexProgress {
  return useObservable(() => index.progress$, index.progress, [index]);
}

/** How many times the index was saved this session (the palette shows it to the bench). */
export function useIndexSaves(index: SearchIndex): number {
  return useObservable(() => index.saved$, 0, [index]);
}

/** The kinds the user's role may read: search shows nothing else. */
export function useSearchableKinds(): readonly SearchKind[] {
  const { permissions } = useCrm().user;
  return useMemo(() => SEARCH_KINDS.filter((kind) => can(permissions, kind, 'read') !== 'none'), [permissions]);
}
